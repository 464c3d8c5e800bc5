"""Safe YAML loading that keeps every value's position and never guesses a type.

Built on libyaml's C parser (``yaml.CSafeLoader``) event stream; values are
constructed here rather than by PyYAML's resolver so that:

* anchors/aliases, explicit tags, duplicate keys, several documents and
  non-mapping top levels are rejected with a catalogued French message;
* plain scalars follow strict, predictable rules (YAML 1.2 core, minus the
  traps): ``06000`` stays the text ``"06000"`` in a text field, ``oui`` stays
  the text ``"oui"`` (and the validator explains how to write a yes/no),
  ``2025-03-01`` stays the text ``"2025-03-01"``, ``08:30`` stays ``"08:30"``;
* positions are recorded only when asked (``with_positions``), so the fast path
  used on every file stays lean and a problem's line is found by re-reading
  the single file concerned.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
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


@dataclass(slots=True)
class Document:
    """A loaded YAML file: its data and, if requested, where each value stands."""

    file: str
    data: dict[str, Any]
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)


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
    def __init__(self, file: str, events: Iterator[yaml.Event], text_keys: frozenset[str],
                 with_positions: bool) -> None:
        self.file = file
        self.events = events
        self.text_keys = text_keys
        self.with_positions = with_positions
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[Path_, tuple[int, int]] = {}

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

    def value(self, event: Any, path: Path_, key: str | None, depth: int = 0) -> Any:
        """Build the value that starts with ``event`` (this is the loader's hot loop)."""
        kind = type(event)
        if kind is _Alias:
            raise self.fail("yaml-alias", event.start_mark)
        if event.anchor or event.tag is not None:
            self.check(event)
        positions = self.with_positions
        if positions:
            self.positions[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        if kind is _Scalar:
            if event.style:  # quoted or block scalar: always text
                return event.value
            return plain_scalar(event.value, key in self.text_keys)
        events = self.events
        if depth >= MAX_DEPTH:
            raise self.fail("yaml-syntax", event.start_mark,
                            detail=f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux de listes ou de blocs)")
        depth += 1
        if kind is _SeqStart:
            items: list[Any] = []
            while True:
                ev = next(events)
                if type(ev) is _SeqEnd:
                    return items
                items.append(self.value(ev, (*path, len(items)) if positions else path, key, depth))
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
                marks[name] = ev.start_mark
                if positions:
                    self.key_positions[(*path, name)] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
                mapping[name] = self.value(next(events), (*path, name) if positions else path, name, depth)
        raise self.fail("yaml-syntax", getattr(event, "start_mark", None), detail="structure inattendue")


_Alias, _Scalar = yaml.AliasEvent, yaml.ScalarEvent
_SeqStart, _SeqEnd, _MapStart, _MapEnd = (yaml.SequenceStartEvent, yaml.SequenceEndEvent,
                                          yaml.MappingStartEvent, yaml.MappingEndEvent)


_LIBYAML_FR = [
    ("found character '\\t' that cannot start any token", None),
    ("found a tab character", None),
    ("mapping values are not allowed", "un « : » est mal placé (une valeur contenant « : » doit être "
     "entre guillemets)"),
    ("could not find expected ':'", "il manque « : » après le nom du champ"),
    ("did not find expected key", "indentation incorrecte : alignez ce champ sur les autres"),
    ("did not find expected '-' indicator", "indentation incorrecte dans la liste"),
    ("found unexpected end of stream", "fin de fichier inattendue (guillemet ou crochet non fermé ?)"),
    ("found unknown escape character", "caractère d'échappement inconnu après « \\ » entre guillemets"),
    ("found undefined tag handle", "étiquette YAML inconnue"),
    ("block sequence entries are not allowed", "un tiret de liste est mal placé"),
    ("found character that cannot start any token", "caractère inattendu (« @ », « ` », « % » ou "
     "tabulation) : mettez la valeur entre guillemets"),
    ("control characters are not allowed", "caractère de contrôle interdit"),
    ("found unexpected ':'", "un « : » est mal placé"),
    ("did not find expected node content", "valeur manquante ou mal placée"),
    ("did not find expected ',' or ']'", "liste entre crochets mal fermée"),
    ("did not find expected ',' or '}'", "bloc entre accolades mal fermé"),
]


def _translate(exc: yaml.MarkedYAMLError, file: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    raw = f"{exc.problem or ''} {exc.context or ''}"
    if "\t" in raw or "tab" in raw or (mark is not None and _tab_at(text, mark.line)):
        return problem("yaml-tab", file, line, col)
    for needle, french in _LIBYAML_FR:
        if needle in raw and french:
            return problem("yaml-syntax", file, line, col, detail=french)
    return problem("yaml-syntax", file, line, col, detail="structure incorrecte à cet endroit")


def _reader_problem(exc: yaml.reader.ReaderError, file: str, text: str) -> Problem:
    position = exc.position if isinstance(exc.position, int) and 0 <= exc.position <= len(text) else 0
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(text[position]) if position < len(text) else 0
    return problem("yaml-syntax", file, line, column,
                   detail=f"caractère de contrôle interdit (U+{char:04X}) : retapez cette ligne sans copier-coller")


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


def parse_text(text: str, file: str, text_keys: frozenset[str] = frozenset(),
               with_positions: bool = False) -> Document:
    """Parse one YAML document from text into a :class:`Document`, or raise :class:`LoadError`."""
    events = yaml.parse(text, Loader=yaml.CSafeLoader)
    builder = _Builder(file, events, text_keys, with_positions)
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
            found = ("une liste" if isinstance(root_event, yaml.SequenceStartEvent)
                     else "un texte seul" if isinstance(root_event, yaml.ScalarEvent) else "un alias")
            raise builder.fail("yaml-not-mapping", root_event.start_mark, found=found)
        data = builder.value(root_event, (), None)
        next(events)  # DocumentEnd
        end = next(events)
        if not isinstance(end, yaml.StreamEndEvent):
            raise builder.fail("yaml-multiple-documents", end.start_mark)
    except yaml.MarkedYAMLError as exc:
        raise LoadError(_translate(exc, file, text)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids (NUL, other control characters)
        raise LoadError(_reader_problem(exc, file, text)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml always marks its errors
        raise LoadError(problem("yaml-syntax", file, detail=str(exc))) from None
    except RecursionError:
        raise LoadError(problem("yaml-syntax", file, detail="imbrication trop profonde")) from None
    return Document(file, data, builder.positions, builder.key_positions)


def read_bytes(path: Path, file: str, limit: int = MAX_FILE_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise LoadError(problem("file-too-large", file, size=size, limit=limit))
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise LoadError(problem("file-unreadable", file, reason=exc.strerror or str(exc))) from None
    if len(raw) > limit:
        raise LoadError(problem("file-too-large", file, size=len(raw), limit=limit))
    return raw


def load_file(path: Path, file: str, text_keys: frozenset[str] = frozenset(),
              with_positions: bool = False, limit: int = MAX_FILE_BYTES) -> Document:
    """Read, decode and parse one record file."""
    text = decode(read_bytes(path, file, limit), file)
    return parse_text(text, file, text_keys, with_positions)


@lru_cache(maxsize=4)
def _positioned(path: Path, file: str, text_keys: frozenset[str], mtime_ns: int, size: int) -> Document:
    """A file read with positions, kept while it is unchanged: a file with thousands of problems
    is parsed once, not once per problem."""
    return load_file(path, file, text_keys, with_positions=True)


def locate(path: Path, file: str, value_path: Path_, text_keys: frozenset[str] = frozenset(),
           key: bool = False) -> tuple[int, int]:
    """Line and column of a value (or of its key) in a file, found by re-reading it.

    Falls back to the nearest enclosing value that exists (for a missing field,
    the mapping that should hold it).
    """
    try:
        stat = path.stat()
        doc = _positioned(path, file, text_keys, stat.st_mtime_ns, stat.st_size)
    except (LoadError, OSError):
        return (0, 0)
    table = doc.key_positions if key else doc.positions
    probe = tuple(value_path)
    while True:
        if probe in table:
            return table[probe]
        if key and probe in doc.positions:
            return doc.positions[probe]
        if not probe:
            return doc.positions.get((), (1, 1))
        probe = probe[:-1]
