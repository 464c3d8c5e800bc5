"""Safe YAML loading that keeps every value's position and never guesses a type.

Built on libyaml's C parser (``yaml.CSafeLoader``) event stream; values are
constructed here rather than by PyYAML's resolver so that:

* anchors/aliases, explicit tags, duplicate keys, several documents and
  non-mapping top levels are rejected with a catalogued French message;
* plain scalars follow strict, predictable rules (YAML 1.2 core, minus the
  traps): ``06000`` stays the text ``"06000"`` in a text field, ``oui`` stays
  the text ``"oui"`` (and the validator explains how to write a yes/no),
  ``2025-03-01`` stays the text ``"2025-03-01"``, ``08:30`` stays ``"08:30"``;
* every value's position (and every key's) is recorded once, while loading, in a
  compact array in document order (two integers per node, no path built on the hot
  path); :meth:`Document.position` indexes it by path the first time a problem needs
  it. Nothing is ever re-read from disk to place a problem.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from maillage.core.problems import Problem, problem

MAX_FILE_BYTES = 256 * 1024
# A record is at most four levels deep; anything much deeper is a mistake or a trap.
MAX_DEPTH = 32
# Longer digit strings are kept as text (Python refuses to convert beyond 4,300 digits).
_MAX_NUMBER_CHARS = 40

Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_LEADING_ZERO_INT = re.compile(r"[-+]?0[0-9]+")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+")
_CORE_TAG = "tag:yaml.org,2002:"
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


class LoadError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


# After this many position lookups in one document, its positions are indexed by path.
_INDEX_AFTER = 8


def _size(node: Any) -> int:
    """How many marks (values and keys) the value ``node`` takes, itself included."""
    if isinstance(node, dict):
        return 1 + sum(1 + _size(item) for item in node.values())
    if isinstance(node, list):
        return 1 + sum(_size(item) for item in node)
    return 1


@dataclass(slots=True)
class Document:
    """A loaded YAML file: its data, and where each value and key stands in the file.

    ``marks`` holds 0-based (line, column) pairs in document order: each value, and for
    a mapping each key before its value. ``data`` must not be changed after loading
    (positions are matched to it by walking both in the same order). A few lookups walk
    the data along the path; a document with many problems gets an index by path.
    """

    file: str
    data: dict[str, Any]
    marks: array[int] = field(default_factory=lambda: array("I"))
    _lookups: int = 0
    _values: dict[Path_, tuple[int, int]] | None = None
    _keys: dict[Path_, tuple[int, int]] | None = None

    def position(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value at ``path`` (or of its key), else of the
        nearest enclosing value that exists (for a missing field: the mapping that should hold it)."""
        if len(self.marks) < 2:
            return (0, 0)  # a document built without positions
        if self._values is None:
            self._lookups += 1
            if self._lookups <= _INDEX_AFTER:
                return self._walk(tuple(path), key)
            self._index()
        values, keys = self._values or {}, self._keys or {}
        probe = tuple(path)
        while True:
            if key and probe in keys:
                return keys[probe]
            if probe in values:
                return values[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]

    def _mark(self, at: int) -> tuple[int, int]:
        return (self.marks[2 * at] + 1, self.marks[2 * at + 1] + 1)

    def _walk(self, path: Path_, key: bool) -> tuple[int, int]:
        """The same answer as the index, found by walking the data along ``path`` (no allocation)."""
        node: Any = self.data
        at = 0  # the mark of ``node``
        levels: list[tuple[int, int | None]] = [(0, None)]  # (value mark, key mark) of each level reached
        for part in path:
            child = at + 1
            if isinstance(node, dict) and isinstance(part, str) and part in node:
                for name, item in node.items():
                    if name == part:
                        break
                    child += 1 + _size(item)
                levels.append((child + 1, child))
                node, at = node[part], child + 1
            elif (isinstance(node, list) and isinstance(part, int) and not isinstance(part, bool)
                  and 0 <= part < len(node)):
                for item in node[:part]:
                    child += _size(item)
                levels.append((child, None))
                node, at = node[part], child
            else:
                break
        value_at, key_at = levels[-1]
        return self._mark(key_at if key and key_at is not None else value_at)

    def _index(self) -> None:
        values: dict[Path_, tuple[int, int]] = {}
        keys: dict[Path_, tuple[int, int]] = {}
        marks = self.marks
        cursor = 0

        def take() -> tuple[int, int]:
            nonlocal cursor
            line, column = marks[cursor] + 1, marks[cursor + 1] + 1
            cursor += 2
            return (line, column)

        def visit(node: Any, path: Path_) -> None:
            values[path] = take()
            if isinstance(node, dict):
                for name, item in node.items():
                    keys[(*path, name)] = take()
                    visit(item, (*path, name))
            elif isinstance(node, list):
                for index, item in enumerate(node):
                    visit(item, (*path, index))

        visit(self.data, ())
        self._values, self._keys = values, keys


def plain_scalar(text: str, keep_text: bool) -> Any:
    """The value of an unquoted scalar. ``keep_text`` is set for fields declared as text."""
    if text in _NULLS:
        return None
    if keep_text:
        return text
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if len(text) > _MAX_NUMBER_CHARS:
        return text  # not a plausible number: the schema reports it as text
    if _INT.fullmatch(text):
        return int(text)
    if _LEADING_ZERO_INT.fullmatch(text):
        # YAML 1.1 would read 06000 as octal 3072: keep the digits the partner wrote.
        return text
    if _FLOAT.fullmatch(text):
        number = float(text)
        # 1e309 overflows to infinity: keep what was written rather than a number no field allows.
        return number if math.isfinite(number) else text
    return text


class _Builder:
    def __init__(self, file: str, events: Iterator[yaml.Event], text_keys: frozenset[str]) -> None:
        self.file = file
        self.events = events
        self.text_keys = text_keys
        self.marks: list[int] = []
        self.mark = self.marks.append

    def fail(self, code: str, mark: Any, **fields: object) -> LoadError:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        return LoadError(problem(code, self.file, line, col, **fields))

    def check(self, event: Any) -> None:
        if getattr(event, "anchor", None):
            raise self.fail("yaml-alias", event.start_mark)
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = "!!" + tag[len(_CORE_TAG):] if tag.startswith(_CORE_TAG) else tag
            raise self.fail("yaml-tag", event.start_mark, tag=shown)

    def value(self, event: Any, key: str | None, depth: int = 0) -> Any:
        """Build the value that starts with ``event`` (this is the loader's hot loop)."""
        kind = type(event)
        if kind is _Alias:
            raise self.fail("yaml-alias", event.start_mark)
        if event.anchor or event.tag is not None:
            self.check(event)
        start = event.start_mark
        self.mark(start.line)
        self.mark(start.column)
        if kind is _Scalar:
            if event.style:  # quoted or block scalar: always text
                return event.value
            return plain_scalar(event.value, key in self.text_keys)
        events = self.events
        if depth >= MAX_DEPTH:
            raise self.fail("yaml-syntax", event.start_mark, reason="too-deep", limit=MAX_DEPTH)
        depth += 1
        if kind is _SeqStart:
            items: list[Any] = []
            while True:
                ev = next(events)
                if type(ev) is _SeqEnd:
                    return items
                items.append(self.value(ev, key, depth))
        if kind is _MapStart:
            mapping: dict[str, Any] = {}
            marks: dict[str, Any] = {}
            while True:
                ev = next(events)
                ev_kind = type(ev)
                if ev_kind is _MapEnd:
                    return mapping
                if ev_kind is _Alias:
                    raise self.fail("yaml-alias", ev.start_mark)
                if ev.anchor or ev.tag is not None:
                    self.check(ev)
                if ev_kind is not _Scalar:
                    raise self.fail("yaml-complex-key", ev.start_mark)
                name = ev.value
                if name == "<<" and not ev.style:
                    raise self.fail("yaml-merge-key", ev.start_mark)
                if name in marks:
                    raise self.fail("yaml-duplicate-key", ev.start_mark, key=name,
                                    first_line=marks[name].line + 1)
                marks[name] = start = ev.start_mark
                self.mark(start.line)
                self.mark(start.column)
                mapping[name] = self.value(next(events), name, depth)
        raise self.fail("yaml-syntax", getattr(event, "start_mark", None), reason="unexpected-structure")


_Alias, _Scalar = yaml.AliasEvent, yaml.ScalarEvent
_SeqStart, _SeqEnd, _MapStart, _MapEnd = (yaml.SequenceStartEvent, yaml.SequenceEndEvent,
                                          yaml.MappingStartEvent, yaml.MappingEndEvent)


# libyaml's messages and the reason of « yaml-syntax » each stands for (French in the catalogue).
_LIBYAML_REASONS = [
    ("mapping values are not allowed", "colon-in-value"),
    ("could not find expected ':'", "missing-colon"),
    ("did not find expected key", "indentation"),
    ("did not find expected '-' indicator", "list-indentation"),
    ("found unexpected end of stream", "unexpected-end"),
    ("found unknown escape character", "unknown-escape"),
    ("found undefined tag handle", "unknown-tag-handle"),
    ("block sequence entries are not allowed", "misplaced-dash"),
    ("found character that cannot start any token", "unexpected-character"),
    ("control characters are not allowed", "control-character"),
    ("found unexpected ':'", "misplaced-colon"),
    ("did not find expected node content", "missing-value"),
    ("did not find expected ',' or ']'", "unclosed-list"),
    ("did not find expected ',' or '}'", "unclosed-block"),
]


def _translate(exc: yaml.MarkedYAMLError, file: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    raw = f"{exc.problem or ''} {exc.context or ''}"
    if "\t" in raw or "tab" in raw or (mark is not None and _tab_at(text, mark.line)):
        return problem("yaml-tab", file, line, col)
    for needle, reason in _LIBYAML_REASONS:
        if needle in raw:
            return problem("yaml-syntax", file, line, col, reason=reason)
    return problem("yaml-syntax", file, line, col, reason="unexpected-structure")


def _reader_problem(exc: yaml.reader.ReaderError, file: str, text: str) -> Problem:
    position = exc.position if isinstance(exc.position, int) and 0 <= exc.position <= len(text) else 0
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(text[position]) if position < len(text) else 0
    return problem("yaml-syntax", file, line, column, reason="control-character-code", char=f"U+{char:04X}")


def _tab_at(text: str, line0: int) -> bool:
    lines = text.splitlines()
    if 0 <= line0 < len(lines):
        stripped = lines[line0].lstrip(" ")
        return stripped.startswith("\t")
    return False


def decode(raw: bytes, file: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError(problem("file-encoding", file, line, col)) from None


def parse_text(text: str, file: str, text_keys: frozenset[str] = frozenset()) -> Document:
    """Parse one YAML document from text into a :class:`Document`, or raise :class:`LoadError`."""
    events = yaml.parse(text, Loader=yaml.CSafeLoader)
    builder = _Builder(file, events, text_keys)
    try:
        next(events)  # StreamStart
        ev = next(events)
        if isinstance(ev, yaml.StreamEndEvent):
            raise LoadError(problem("yaml-empty", file))
        builder.check(ev)  # DocumentStart carries no anchor/tag, kept for symmetry
        root_event = next(events)
        if isinstance(root_event, yaml.ScalarEvent) and not root_event.style and root_event.value == "":
            raise LoadError(problem("yaml-empty", file))
        if not isinstance(root_event, yaml.MappingStartEvent):
            found = ("list" if isinstance(root_event, yaml.SequenceStartEvent)
                     else "scalar" if isinstance(root_event, yaml.ScalarEvent) else "alias")
            raise builder.fail("yaml-not-mapping", root_event.start_mark, found=found)
        data = builder.value(root_event, None)
        next(events)  # DocumentEnd
        end = next(events)
        if not isinstance(end, yaml.StreamEndEvent):
            raise builder.fail("yaml-multiple-documents", end.start_mark)
    except yaml.MarkedYAMLError as exc:
        raise LoadError(_translate(exc, file, text)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids (NUL, other control characters)
        raise LoadError(_reader_problem(exc, file, text)) from None
    except yaml.YAMLError:  # pragma: no cover - libyaml always marks its errors
        raise LoadError(problem("yaml-syntax", file, reason="unexpected-structure")) from None
    except RecursionError:
        raise LoadError(problem("yaml-syntax", file, reason="too-deep", limit=MAX_DEPTH)) from None
    return Document(file, data, array("I", builder.marks))


def _unreadable(file: str, exc: OSError) -> LoadError:
    if isinstance(exc, FileNotFoundError):
        return LoadError(problem("file-unreadable", file, reason="missing"))
    if isinstance(exc, PermissionError):
        return LoadError(problem("file-unreadable", file, reason="denied"))
    return LoadError(problem("file-unreadable", file, reason="system", error=exc.strerror or type(exc).__name__))


def read_bytes(path: Path, file: str, limit: int = MAX_FILE_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise LoadError(problem("file-too-large", file, size=size, limit=limit))
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise _unreadable(file, exc) from None
    return raw


def load_bytes(raw: bytes, file: str, text_keys: frozenset[str] = frozenset(),
               limit: int = MAX_FILE_BYTES) -> Document:
    """Check the size, decode and parse the bytes of one file (read from disk or given in memory)."""
    if len(raw) > limit:
        raise LoadError(problem("file-too-large", file, size=len(raw), limit=limit))
    return parse_text(decode(raw, file), file, text_keys)


def load_file(path: Path, file: str, text_keys: frozenset[str] = frozenset(),
              limit: int = MAX_FILE_BYTES) -> Document:
    """Read, decode and parse one record file."""
    return load_bytes(read_bytes(path, file, limit), file, text_keys, limit)
