"""The one writer of record files: edits in place with minimal diffs, and new canonical files.

Every command that changes a record goes through :class:`RecordFile` (or
:func:`write_new_record` for a new one):

* an edit rewrites only the lines of the entries it touches: every other byte of the file
  (comments, blank lines, hand formatting, field order) stays as it was, so the diff shows
  only the changed lines (``verifie_le`` confirmed → one line; ``interne:`` removed → only
  removed lines);
* a missing field is inserted at its place in the schema order; new values are written in
  the canonical form (:mod:`maillage.editing.canonical`); comments go with their entry
  (:mod:`maillage.editing.sourcemap`): deleting a field deletes the comment lines above it;
* after each edit the new text is read back with the registry's own loader
  (:mod:`maillage.load.safe_yaml`) and must give exactly the intended values (types
  included: ``"06000"`` stays a text, a date stays the text ``AAAA-MM-JJ``); otherwise the
  edit is refused (:class:`WriterError`) and nothing is written;
* :meth:`RecordFile.save` replaces the file atomically (temporary file and rename).

Values follow the loader's types: ``None``, ``bool``, ``int``, ``float``, ``str``,
``list`` and ``dict`` with text keys; a :class:`datetime.date` is written as its text
``AAAA-MM-JJ`` (dates are texts in the loaded data).

This module parses with libyaml, like the loader, rather than with a round-trip library:
the positions it edits are those the validator reports, and a comment above a field is
kept with that field (a round-trip library attaches it to the field before, and loses or
misplaces it when either is removed or inserted).
"""

from __future__ import annotations

import copy
import difflib
import json
import math
import os
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from maillage.core.files import atomic_write
from maillage.core.kinds import BY_NAME, KIND_NAMES
from maillage.core.schemas import load_schemas
from maillage.editing.canonical import (
    CanonicalError,
    Emitter,
    field_order,
    key_text,
    kind_of_file,
    normalise_newlines,
    record_text,
    render,
    same_values,
)
from maillage.editing.sourcemap import MAP, SEQ, Node, read_source
from maillage.load.safe_yaml import MAX_FILE_BYTES, LoadError, decode, read_bytes

Path_ = tuple[str | int, ...]
_MISSING: Any = object()


class WriterError(Exception):
    """An edit that cannot be made (French message); the file is left as it was."""


def _spath(path: Path_) -> tuple[str, ...]:
    return tuple("*" if isinstance(part, int) else part for part in path)


def _shown(path: Path_) -> str:
    """A value path as a partner reads it: ``lieux n° 1 › telephone``."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1] if parts else ''} n° {part + 1}".strip()]
        else:
            parts.append(part)
    return " › ".join(parts) or "(la fiche)"


def plain_value(value: Any, where: Path_ = ()) -> Any:
    """``value`` as the loader would give it back: dates as text, tuples as lists; others refused."""
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise WriterError(f"« {_shown(where)} » contient un caractère invalide (demi-paire UTF-16).") from None
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise WriterError(f"« {_shown(where)} » : un nombre infini ou indéfini ne s'écrit pas dans une fiche.")
        return value
    if isinstance(value, datetime):
        raise WriterError(f"« {_shown(where)} » : une date s'écrit sans heure (AAAA-MM-JJ).")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise WriterError(f"« {_shown(where)} » : le nom de champ {key!r} n'est pas un texte.")
            result[key] = plain_value(item, (*where, key))
        return result
    if isinstance(value, list | tuple):
        return [plain_value(item, (*where, index)) for index, item in enumerate(value)]
    raise WriterError(f"« {_shown(where)} » : valeur impossible à écrire dans une fiche ({type(value).__name__}).")


def _fingerprint(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class RecordFile:
    """One record file opened for editing. Paths are tuples of keys and list indexes:
    ``("lieux", 0, "telephone")``.

    Edits change the text in memory (:attr:`text`); :meth:`save` writes it. Every edit is
    checked (the loader must read the intended values back) before it is kept.
    """

    def __init__(self, text: str, kind: str, file: str = "<texte>", path: Path | None = None) -> None:
        if kind not in KIND_NAMES:
            raise WriterError(f"Type de fiche inconnu : « {kind} » (professionnel, structure ou convention).")
        self.kind = kind
        self.file = file
        self.path = path
        self.original_text = text
        self._crlf = "\r\n" in text
        self._text_keys = load_schemas().text_keys
        self._source = read_source(normalise_newlines(text), file, self._text_keys)

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, kind: str | None = None, file: str | None = None) -> RecordFile:
        """Open a record file; ``kind`` defaults to the one of its folder (``professionnels/`` …).

        Raises :class:`maillage.load.safe_yaml.LoadError` (the loader's French message) when
        the file cannot be read or does not load, :class:`WriterError` when its kind is unknown.
        """
        path = Path(path)
        shown = file or path.as_posix()
        kind = kind or kind_of_file(path)
        if kind is None:
            raise WriterError(f"{shown} : ce n'est pas une fiche (les fiches sont dans professionnels/, "
                              "structures/ ou conventions/ et se terminent par .yaml).")
        raw = read_bytes(path, shown, MAX_FILE_BYTES)
        return cls(decode(raw, shown), kind, shown, path)

    @classmethod
    def from_text(cls, text: str, kind: str, file: str = "<texte>") -> RecordFile:
        return cls(text, kind, file)

    # -- reading ---------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The file's text with the edits made so far (line endings as in the file)."""
        text = self._source.text
        return text.replace("\n", "\r\n") if self._crlf else text

    @property
    def data(self) -> dict[str, Any]:
        """A copy of the values, as the registry's loader reads them."""
        return copy.deepcopy(self._source.data)

    @property
    def changed(self) -> bool:
        return self.text != self.original_text

    def get(self, path: Path_ | str, default: Any = _MISSING) -> Any:
        """The value at ``path`` (a copy); ``default`` when absent, else :class:`KeyError`."""
        path = _as_path(path)
        value: Any = self._source.data
        for part in path:
            found = (isinstance(part, int) and isinstance(value, list) and 0 <= part < len(value)) or \
                (isinstance(part, str) and isinstance(value, dict) and part in value)
            if found:
                value = value[part]
            else:
                if default is _MISSING:
                    raise KeyError(_shown(path))
                return default
        return copy.deepcopy(value)

    def has(self, path: Path_ | str) -> bool:
        return self.get(path, _MISSING_SENTINEL) is not _MISSING_SENTINEL

    def diff(self) -> str:
        """Unified diff from the file as opened to its current text."""
        name = self.file
        return "".join(difflib.unified_diff(self.original_text.splitlines(keepends=True),
                                            self.text.splitlines(keepends=True), f"a/{name}", f"b/{name}"))

    @property
    def modeline(self) -> str | None:
        """The ``# yaml-language-server: $schema=…`` line of the file, if it has one."""
        for comment in self._source.header:
            if "yaml-language-server" in comment.text:
                return comment.text
        return None

    def section_text(self, key: str) -> str:
        """The lines of a top-level field as written: comments above it, the field, its block."""
        node = self._source.root.by_key.get(key)
        if node is None:
            raise KeyError(key)
        lines = self._source.lines[node.first_line:node.end_line + 1]
        return "\n".join(lines) + "\n"

    # -- editing ---------------------------------------------------------------------

    def set(self, path: Path_ | str, value: Any) -> None:
        """Give ``path`` the value ``value``; a missing field is inserted at its schema position.

        Mappings and lists are updated entry by entry (comments inside are kept); setting a
        value equal to the current one changes nothing.
        """
        path = _as_path(path)
        if not path:
            raise WriterError("Indiquez le champ à modifier.")
        value = plain_value(value, path)
        node = self._source.node(path)
        if node is not None:
            self._set_existing(node, value)
            return
        # the deepest existing ancestor
        depth = len(path) - 1
        while depth > 0 and self._source.node(path[:depth]) is None:
            depth -= 1
        ancestor = self._source.node(path[:depth])
        assert ancestor is not None  # the root always exists
        rest = path[depth:]
        current = self.get(path[:depth])
        if isinstance(current, list):
            if rest[0] != len(current):
                raise WriterError(f"« {_shown(path[:depth + 1])} » n'existe pas : ajoutez les éléments d'une liste "
                                  "à sa fin.")
            self.append(path[:depth], _nest(rest[1:], value, path))
            return
        if isinstance(rest[0], int):
            raise WriterError(f"« {_shown(path[:depth])} » n'est pas une liste.")
        nested = _nest(rest[1:], value, path)
        if isinstance(current, dict):
            self._insert_key(ancestor, current, str(rest[0]), nested)
        elif current is None:  # a field without a value (``interne:``) becomes a mapping
            self._set_existing(ancestor, {str(rest[0]): nested})
        else:
            raise WriterError(f"« {_shown(path[:depth])} » a une valeur simple : il ne peut pas contenir "
                              f"« {rest[0]} » (remplacez d'abord sa valeur).")

    def delete(self, path: Path_ | str) -> Any:
        """Remove a field (with the comment lines above it) or a list item; returns its value."""
        path = _as_path(path)
        node = self._source.node(path) if path else None
        if node is None:
            raise KeyError(_shown(path))
        old = self.get(path)
        parent = node.parent
        assert parent is not None
        parent_value = self.get(parent.path)
        siblings = [n for n in parent.children if n is not node]
        del parent_value[path[-1]]
        expected = self._expected(parent.path, parent_value)
        if siblings and node.line_clean() and not parent.value_flow:
            lines = self._source.lines
            new_lines = lines[:node.first_line] + lines[node.end_line + 1:]
            if self._try("\n".join(new_lines), expected):
                return old
        self._replace_whole(parent, parent_value, expected, nodes=siblings if parent.kind == SEQ else None)
        return old

    def append(self, path: Path_ | str, value: Any) -> None:
        """Add an item at the end of the list at ``path`` (created if missing)."""
        path = _as_path(path)
        value = plain_value(value, path)
        node = self._source.node(path)
        if node is None:
            self.set(path, [value])
            return
        current = self.get(path)
        if not isinstance(current, list):
            raise WriterError(f"« {_shown(path)} » n'est pas une liste.")
        self._insert_item(node, current, len(current), value)

    def insert(self, path: Path_ | str, index: int, value: Any) -> None:
        """Insert an item at position ``index`` of the list at ``path``."""
        path = _as_path(path)
        value = plain_value(value, path)
        node = self._source.node(path)
        current = self.get(path, None)
        if node is None or not isinstance(current, list):
            raise WriterError(f"« {_shown(path)} » n'est pas une liste.")
        if not 0 <= index <= len(current):
            raise WriterError(f"« {_shown(path)} » n'a pas d'élément n° {index + 1}.")
        self._insert_item(node, current, index, value)

    # -- saving ----------------------------------------------------------------------

    def save(self, path: Path | None = None) -> bool:
        """Write the text atomically (to ``path``, by default the file opened); False if unchanged."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise WriterError("Indiquez où enregistrer la fiche.")
        data = self.text.encode("utf-8")
        if path is None and not self.changed:
            return False
        try:
            on_disk = target.read_bytes()
        except OSError:
            on_disk = None
        if on_disk == data:
            return False
        if path is None and on_disk is not None and on_disk != self.original_text.encode("utf-8") \
                and on_disk.removeprefix(b"\xef\xbb\xbf") != self.original_text.encode("utf-8"):
            raise WriterError(f"{self.file} a été modifié par ailleurs depuis son ouverture : rien n'a été "
                              "enregistré, recommencez.")
        atomic_write(target, data)
        self.original_text = self.text
        return True

    # -- internals -------------------------------------------------------------------

    def _expected(self, path: Path_, value: Any) -> dict[str, Any]:
        """The whole data with ``value`` at ``path``."""
        if not path:
            return value  # type: ignore[no-any-return]
        data = copy.deepcopy(self._source.data)
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        return data

    def _try(self, text: str, expected: dict[str, Any]) -> bool:
        """Keep ``text`` if the loader reads ``expected`` from it."""
        try:
            source = read_source(text, self.file, self._text_keys)
        except LoadError:
            return False
        if not same_values(source.data, expected):
            return False
        if len(text.encode("utf-8")) > MAX_FILE_BYTES:
            raise WriterError(f"{self.file} : la fiche dépasserait {MAX_FILE_BYTES} octets.")
        self._source = source
        return True

    def _apply(self, text: str, expected: dict[str, Any]) -> None:
        if self._try(text, expected):
            return
        # Fallback: the whole document from the map of the file, in its own order.
        try:
            fallback = render(self._source, self.kind, data=expected, reorder=False)
        except CanonicalError as exc:
            raise WriterError(str(exc)) from None
        if not self._try(fallback, expected):
            raise WriterError(f"{self.file} : la modification ne peut pas être écrite sans changer d'autres "
                              "valeurs ; le fichier n'a pas été modifié.")

    def _lines_for(self, node: Node, value: Any, nodes: Sequence[Node | None] | None = None) -> list[str]:
        """The lines of ``node`` (its leading and after comments aside) holding ``value``, at its column."""
        emitter = Emitter(self.kind, reorder=False)
        key = node.path[-1]
        try:
            if isinstance(key, int):
                emitter.item(value, node.col, _spath(node.path), node, _owner(node.path), own=False)
            else:
                emitter.entry(f"{' ' * node.col}{key_text(key)}:", value, node.col, _spath(node.path), node,
                              key, nodes=nodes, own=False)
        except CanonicalError as exc:
            raise WriterError(f"« {_shown(node.path)} » : {exc}") from None
        return emitter.out

    def _new_lines(self, path: Path_, value: Any, col: int, item: bool) -> list[str]:
        """Lines of a new entry in the canonical form (schema order inside)."""
        emitter = Emitter(self.kind, reorder=True)
        try:
            if item:
                emitter.item(value, col, _spath(path), None, _owner(path))
            else:
                key = str(path[-1])
                emitter.entry(f"{' ' * col}{key_text(key)}:", value, col, _spath(path), None, key)
        except CanonicalError as exc:
            raise WriterError(f"« {_shown(path)} » : {exc}") from None
        return emitter.out

    def _set_existing(self, node: Node, value: Any) -> None:
        current = self.get(node.path)
        if same_values(current, value):
            return
        if isinstance(current, dict) and isinstance(value, dict) and current and value \
                and node.kind == MAP and not node.value_flow:
            for key in [k for k in current if k not in value]:
                self.delete((*node.path, key))
            for key, item in value.items():
                child = self._source.node((*node.path, key))
                if child is None:
                    self._insert_key(self._source.node(node.path) or node, self.get(node.path), key, item)
                else:
                    self._set_existing(child, item)
            return
        if isinstance(current, list) and isinstance(value, list) and current and value \
                and node.kind == SEQ and not node.value_flow:
            self._merge_list(node.path, current, value)
            return
        self._replace_whole(node, value, self._expected(node.path, value))

    def _merge_list(self, path: Path_, current: list[Any], value: list[Any]) -> None:
        """Update a list item by item: unchanged items stay, changed ones are edited in place."""
        matcher = difflib.SequenceMatcher(a=[_fingerprint(v) for v in current],
                                          b=[_fingerprint(v) for v in value], autojunk=False)
        for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            if tag == "equal":
                continue
            common = min(i2 - i1, j2 - j1)
            for offset in range(i2 - i1 - 1, common - 1, -1):
                self.delete((*path, i1 + offset))
            for offset in range(common, j2 - j1):
                node = self._source.node(path)
                assert node is not None
                self._insert_item(node, self.get(path), i1 + offset, value[j1 + offset])
            for offset in range(common):
                child = self._source.node((*path, i1 + offset))
                assert child is not None
                self._set_existing(child, value[j1 + offset])

    def _replace_whole(self, node: Node, value: Any, expected: dict[str, Any],
                       nodes: Sequence[Node | None] | None = None) -> None:
        """Rewrite the lines of ``node`` with ``value``; climbs to the first entry that owns its lines."""
        while node.parent is not None and not node.line_clean():
            parent_value = self.get(node.parent.path)
            parent_value[node.path[-1]] = value
            value, nodes, node = parent_value, None, node.parent
        if node.parent is None:
            self._apply(render(self._source, self.kind, data=value, reorder=False), expected)
            return
        lines = self._source.lines
        new = self._lines_for(node, value, nodes)
        self._apply("\n".join(lines[:node.key_line] + new + lines[node.last_line + 1:]), expected)

    def _insert_key(self, parent: Node, current: dict[str, Any], key: str, value: Any) -> None:
        """Insert ``key`` in the mapping of ``parent`` at its schema position."""
        rank = field_order(self.kind).get(_spath(parent.path), {})
        new_rank = rank.get(key)
        new_value = _dict_insert(current, key, value, rank)
        expected = self._expected(parent.path, new_value)
        children = parent.children
        if parent.kind == MAP and children and not parent.value_flow:
            before: Node | None = None
            for child in children:
                child_rank = rank.get(str(child.path[-1]))
                if new_rank is None or (child_rank is not None and child_rank < new_rank):
                    before = child
            col = children[0].col
            lines = self._source.lines
            new = self._new_lines((*parent.path, key), value, col, item=False)
            if before is not None:
                at = before.end_line + 1
            elif not children[0].shares_line_with_parent():
                at = children[0].first_line
            else:
                at = -1
            if at >= 0 and self._try("\n".join(lines[:at] + new + lines[at:]), expected):
                return
        self._replace_whole(parent, new_value, expected)

    def _insert_item(self, node: Node, current: list[Any], index: int, value: Any) -> None:
        new_value = [*current[:index], value, *current[index:]]
        expected = self._expected(node.path, new_value)
        children = node.children
        if node.kind == SEQ and children and not node.value_flow and all(c.line_clean() for c in children):
            lines = self._source.lines
            col = children[0].col
            new = self._new_lines((*node.path, index), value, col, item=True)
            at = max(children[-1].end_line, node.end_line) + 1 if index == len(children) \
                else children[index].first_line
            if self._try("\n".join(lines[:at] + new + lines[at:]), expected):
                return
        aligned: list[Node | None] = [*children[:index], None, *children[index:]]
        self._replace_whole(node, new_value, expected, nodes=aligned)


_MISSING_SENTINEL: Any = object()


def _owner(path: Path_) -> str | None:
    """The field a list item belongs to: ``("lieux", 0)`` → ``"lieux"``."""
    for part in reversed(path[:-1]):
        if isinstance(part, str):
            return part
    return None


def _as_path(path: Path_ | str) -> Path_:
    if isinstance(path, str):
        return tuple(int(p) if p.isdigit() else p for p in path.split(".")) if path else ()
    return tuple(path)


def _nest(rest: Path_, value: Any, full: Path_) -> Any:
    for part in reversed(rest):
        if isinstance(part, int):
            if part != 0:
                raise WriterError(f"« {_shown(full)} » : une nouvelle liste commence à son premier élément.")
            value = [value]
        else:
            value = {part: value}
    return value


def _dict_insert(current: dict[str, Any], key: str, value: Any, rank: dict[str, int]) -> dict[str, Any]:
    """``current`` with ``key`` placed after the last key that comes before it in schema order."""
    new_rank = rank.get(key)
    items = list(current.items())
    at = len(items)
    if new_rank is not None:
        at = 0
        for position, (other, _) in enumerate(items):
            other_rank = rank.get(other)
            if other_rank is not None and other_rank < new_rank:
                at = position + 1
    items.insert(at, (key, value))
    return dict(items)


# ---------------------------------------------------------------------------
# Whole files
# ---------------------------------------------------------------------------


def carry_over(base_text: str, data: dict[str, Any], kind: str, file: str = "<texte>") -> str:
    """``base_text`` edited, field by field, until it holds ``data``: its comments and layout are kept.

    A web editor saves a record without its comments and in its own key order; carried over
    onto the version it started from, the change is only the lines of the fields that
    really changed (a phone number: one line).
    """
    record = RecordFile.from_text(base_text, kind, file)
    for key in [k for k in record.data if k not in data]:
        record.delete(key)
    for key, value in data.items():
        record.set(key, value)
    return record.text


def write_new_record(path: Path, kind: str, data: dict[str, Any], *, header: str | Sequence[str] = (),
                     schema_ref: str | None = None, overwrite: bool = False) -> Path:
    """Write a new record file in the canonical form (atomic; never replaces a file unless ``overwrite``).

    ``header``: comment lines written after the modeline (``# Fiche fictive``…). Raises
    :class:`WriterError` (French) for a value a record cannot hold, :class:`FileExistsError`
    when the file exists.
    """
    path = Path(path)
    if kind not in KIND_NAMES:
        raise WriterError(f"Type de fiche inconnu : « {kind} » (professionnel, structure ou convention).")
    values = plain_value(data)
    try:
        text = record_text(kind, values, header, schema_ref)
    except CanonicalError as exc:
        raise WriterError(str(exc)) from None
    from maillage.editing.canonical import check_same_values

    try:
        check_same_values(values, text, path.as_posix(), load_schemas().text_keys)
    except CanonicalError as exc:
        raise WriterError(str(exc)) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text.encode("utf-8"), exclusive=not overwrite)
    return path


def record_path(registry: Path, kind: str, record_id: str) -> Path:
    """``<registry>/<folder>/<id>.yaml``."""
    return Path(registry) / BY_NAME[kind].file(record_id)


def move_record(source: Path, target: Path) -> Path:
    """Move a whole record file to another place (another registry): same bytes, never overwriting.

    The target folder is created. On the same file system the move is one rename;
    otherwise the file is copied atomically, then the source removed.
    """
    source, target = Path(source), Path(target)
    data = source.read_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise FileExistsError(target)
    try:
        os.link(source, target)  # fails if target appeared: never overwrites
    except FileExistsError:
        raise
    except OSError:
        atomic_write(target, data, exclusive=True)
    source.unlink()
    return target


def move_section(source: Path, key: str, target: Path, kind: str | None = None, modeline: str | None = None
                 ) -> tuple[RecordFile, Path]:
    """Take the top-level field ``key`` (``interne``) out of ``source`` into ``target``.

    ``target`` is a record file of the same kind in another registry: created holding only
    the modeline (``modeline``, else the source's) and that field (its comments with it) when
    absent; when it exists, the field is added to it (a :class:`WriterError` if it already has
    one). The source loses exactly the field's lines. Both files are checked before anything is
    written; the target is written first, so an interruption never loses the section.
    """
    record = RecordFile.open(source, kind)
    if not record.has((key,)):
        raise WriterError(f"{record.file} : pas de champ « {key} » à déplacer.")
    value = record.get((key,))
    block = record.section_text(key)
    target = Path(target)
    if target.exists():
        other = RecordFile.open(target, record.kind)
        if other.has((key,)):
            raise WriterError(f"{other.file} contient déjà un champ « {key} » : réunissez-les à la main.")
        other.set((key,), value)
        new_target_text = other.text
    else:
        from maillage.editing.canonical import canonical_text

        modeline = modeline or record.modeline or record_text(record.kind, {}).split("\n", 1)[0]
        new_target_text = canonical_text(f"{modeline}\n{block}", record.kind, target.as_posix())
    record.delete((key,))
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, new_target_text.encode("utf-8"))
    record.save()
    return record, target

