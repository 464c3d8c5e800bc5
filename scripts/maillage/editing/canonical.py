"""The canonical form of a record file, and the one YAML emitter that writes records.

Every command that writes a record (``maillage new``, ``synth``, the sample maker, the
writer of :mod:`maillage.editing.writer`, ``maillage fmt``) goes through this module, so
a record file has a single canonical text. The form, rule by rule:

1. **First line**: ``# yaml-language-server: $schema=…/<type>.schema.json`` (editors use it
   to complete and check fields). A line already naming the schema of the record's type
   is kept as written (its relative path depends on where the registry lies); otherwise
   it becomes ``../../schemas/<type>.schema.json``. The other comment lines above the first
   field follow it.
2. **Field order**: the order of the properties in the record type's JSON Schema, at every
   level (``lieux`` items, ``conventionnement``, ``financements`` items…). Fields the
   schema does not know (the validator reports them) come last, in their order.
3. **Layout**: block style everywhere, two spaces per level, list items written
   ``  - champ: valeur`` under their key. A one-item change is then a one-line diff, and
   the web editor (which writes block lists) and this form agree. Empty lists and
   mappings are written ``[]`` and ``{}``.
4. **Texts** are written plain (unquoted) when YAML reads them back as the same text
   whatever the field; otherwise between double quotes (``"06000"``, ``"oui: non"``,
   ``"true"``, ``"1e3"``, ``"09:30"``), with JSON escapes for control characters.
   **Codes and numbers** are always quoted: postal and INSEE codes, telephone numbers,
   RPPS, FINESS and SIRET (the fields whose schema pattern is made of digits). A text
   longer than the line allows is folded (``>-``, lines of at most 88 characters); a
   text with line breaks is a literal block (``|-``) when it can be, else quoted.
5. **Dates** (``AAAA-MM-JJ``) are written plain: ``verifie_le: 2026-10-01`` (the loader
   reads them as text; they never need quotes).
6. Numbers: integers in decimal, decimals as Python writes them (``49.1157``);
   yes/no as ``true``/``false``; nothing as ``null``.
7. **Comments stay with their field** (see :mod:`maillage.editing.sourcemap`): the lines
   above a field move with it when fields are reordered, an end-of-line comment stays on
   its field's line (two spaces before ``#``), comment lines keep their text and their
   indentation relative to their field. Runs of blank lines become one blank line;
   blank lines at the start and end of the file are removed; lines end without spaces;
   the file ends with one newline (LF).

:func:`canonical_text` never changes a loaded value, with one declared repair: in a
**telephone number** (a field named ``telephone``), the non-breaking spaces copied from a
word processor or a web page (U+00A0, U+202F, U+2007) become ordinary spaces. They look the
same to a reader and make the same number, but the validator refuses them
(``phone-invalid``); no other value, and no other character, is touched (a non-breaking space
in a name or a description is typography, and stays). It checks, before returning, that the
loader reads the new text exactly as the old one, repair included (otherwise
:class:`CanonicalError`). It is idempotent: the canonical text of a canonical text is itself.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from maillage.core.french import wrap_french
from maillage.core.kinds import BY_FOLDER, KIND_NAMES
from maillage.core.schemas import load_schemas
from maillage.editing.sourcemap import Comment, Node, SourceMap, read_source
from maillage.load.safe_yaml import parse_text

FOLD_WIDTH = 88  # folded text lines hold at most this many characters, indentation included
MAX_PLAIN_LINE = 100  # a text that would make its line longer than this is folded
MAX_KEY_LENGTH = 1000  # YAML refuses implicit keys longer than 1024 characters
MAX_INT_DIGITS = 40  # the loader keeps longer digit strings as text (safe_yaml._MAX_NUMBER_CHARS)
MODELINE = "# yaml-language-server: $schema="
_MODELINE = re.compile(r"#\s*yaml-language-server\s*:\s*\$schema=(\S+)\s*$")


class CanonicalError(ValueError):
    """A value cannot be written so that the loader reads it back unchanged (French message)."""


# ---------------------------------------------------------------------------
# What the schemas say: field order and code fields
# ---------------------------------------------------------------------------


@cache
def field_order(kind: str) -> dict[tuple[str, ...], dict[str, int]]:
    """Schema property order of a record kind, by schema path (list items written ``*``)."""
    order: dict[tuple[str, ...], dict[str, int]] = {}
    for path, _node, _base in load_schemas().walk(kind):
        siblings = order.setdefault(path[:-1], {})
        siblings.setdefault(path[-1], len(siblings))
    return order


@cache
def code_keys() -> frozenset[str]:
    """Fields always written quoted: texts whose schema pattern is made of digits (dates aside).

    Postal and INSEE codes, telephone numbers, RPPS, FINESS, SIRET, the communes of a
    sector, and in vocabularies the RPPS/FINESS codes and the chief town.
    """
    schemas = load_schemas()
    date_pattern = schemas.raw["definitions"]["$defs"]["date"]["pattern"]
    keys: set[str] = set()
    for kind in (*KIND_NAMES, "registre", "vocabulaire"):
        for path, node, base in schemas.walk(kind):
            target = node
            if node.get("type") == "array" and isinstance(node.get("items"), dict):
                target, _ = schemas.resolve(node["items"], base)
            pattern = target.get("pattern")
            if target.get("type") == "string" and pattern and "[0-9]" in pattern and pattern != date_pattern:
                keys.add(path[-1])
    return frozenset(keys)


def kind_of_file(path: Path) -> str | None:
    """The record kind of a file from its folder (``professionnels/x.yaml`` → ``professionnel``)."""
    found = BY_FOLDER.get(path.parent.name)
    return found.name if found is not None and path.suffix == ".yaml" else None


def modeline(kind: str, ref: str | None = None) -> str:
    return f"{MODELINE}{ref or f'../../schemas/{kind}.schema.json'}"


# ---------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that some YAML reader (1.1 or 1.2) takes for something else than text.
_RESERVED = _words("~ null Null NULL true True TRUE false False FALSE y Y yes Yes YES n N no No NO "
                   "on On ON off Off OFF = <<")
# Anything a YAML 1.1 or 1.2 reader could take for a number (sexagesimal "09:30", "0o17", ".5", "1_000"…).
_NUMBERISH = re.compile(
    r"[-+]?(?:[0-9][0-9_]*(?:[.:][0-9_]*)*|\.[0-9_]+|\.(?:inf|nan)|0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+)"
    r"(?:e[-+]?[0-9]+)?",
    re.IGNORECASE,
)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Characters a YAML stream may not hold raw, or that YAML 1.1 readers take for line breaks.
_UNSAFE_IN_QUOTES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


@lru_cache(maxsize=16384)
def plain_ok(text: str) -> bool:
    """True when ``text`` can be written unquoted and still be read back as this text, in any field."""
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return False
    if text in _RESERVED or _NUMBERISH.fullmatch(text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or not text.isprintable():
        return False
    return not text.startswith(("---", "..."))


def quoted(text: str) -> str:
    """Double-quoted scalar: a JSON string (valid YAML) with the characters YAML forbids escaped."""
    return _UNSAFE_IN_QUOTES.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


@lru_cache(maxsize=4096)
def key_text(key: str) -> str:
    if not isinstance(key, str):
        raise CanonicalError(f"Un nom de champ doit être un texte, pas {type(key).__name__}.")
    if len(key) > MAX_KEY_LENGTH:
        raise CanonicalError(f"Un nom de champ de plus de {MAX_KEY_LENGTH} caractères ne peut pas être écrit.")
    return key if plain_ok(key) else quoted(key)


def scalar_text(value: Any, indent: int, width_left: int, code: bool = False) -> str:
    """The text after ``key: `` or ``- ``; block scalars continue on lines indented by ``indent``."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        text = str(value)
        if len(text) > MAX_INT_DIGITS:
            raise CanonicalError(f"Le nombre {text[:20]}… a trop de chiffres pour être relu comme un nombre.")
        return text
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CanonicalError("Un nombre infini ou indéfini ne peut pas être écrit dans une fiche.")
        return repr(value)
    if not isinstance(value, str):
        raise CanonicalError(f"Valeur impossible à écrire dans une fiche : {type(value).__name__}.")
    text = value
    if code:
        return quoted(text)
    if "\n" in text:
        lines = text.split("\n")
        if (not text.endswith("\n") and lines[0] and not lines[0].startswith(" ")
                and all(line.isprintable() for line in lines)):
            pad = " " * indent
            return "|-\n" + "\n".join(pad + line if line else "" for line in lines)
        return quoted(text)
    if len(text) > width_left and " " in text and text == text.strip() and "  " not in text and text.isprintable():
        folded = wrap_french(text, FOLD_WIDTH - indent, " ")
        if len(folded) > 1:
            pad = " " * indent
            return ">-\n" + "\n".join(pad + line for line in folded)
    return text if plain_ok(text) else quoted(text)


# ---------------------------------------------------------------------------
# The emitter
# ---------------------------------------------------------------------------


class Emitter:
    """Writes values as YAML lines, with the comments of a :class:`SourceMap` when given.

    ``kind`` and ``reorder`` put mapping keys in schema order (the canonical form); the
    writer emits with ``reorder=False`` to keep a file's own order.
    """

    def __init__(self, kind: str | None = None, reorder: bool = True) -> None:
        self.order = field_order(kind) if kind is not None and reorder else None
        self.codes = code_keys()
        self.text_keys = load_schemas().text_keys
        self.out: list[str] = []

    def comments(self, lines: Iterable[Comment], delta: int) -> None:
        """Comment lines (runs of blank lines become one; the emitter never writes blank lines itself)."""
        out = self.out
        for comment in lines:
            line = comment.shifted(delta)
            if line or (out and out[-1]):
                out.append(line)

    def keys(self, data: dict[str, Any], spath: tuple[str, ...]) -> list[str]:
        keys = list(data)
        if self.order is not None:
            rank = self.order.get(spath)
            if rank:
                last = len(rank)
                keys.sort(key=lambda k: rank.get(k, last))
        return keys

    def mapping(self, data: dict[str, Any], col: int, spath: tuple[str, ...], node: Node | None,
                first_prefix: str | None = None) -> None:
        pad = " " * col
        by_key = node.by_key if node is not None else None
        for index, key in enumerate(self.keys(data, spath)):
            prefix = first_prefix if index == 0 and first_prefix is not None else pad
            child = by_key.get(key) if by_key else None
            self.entry(f"{prefix}{key_text(key)}:", data[key], col, (*spath, key), child, key)

    def sequence(self, items: list[Any], col: int, spath: tuple[str, ...], nodes: Sequence[Node | None] | None,
                 key: str | None) -> None:
        item_path = (*spath, "*")
        for index, item in enumerate(items):
            node = nodes[index] if nodes is not None and index < len(nodes) else None
            self.item(item, col, item_path, node, key)

    def item(self, value: Any, col: int, spath: tuple[str, ...], node: Node | None, key: str | None,
             own: bool = True) -> None:
        """One list item at column ``col`` (``- …``); ``own=False`` leaves out its leading and after comments."""
        pad = " " * col
        if isinstance(value, dict) and value:
            if node is not None:
                if own and node.leading:
                    self.comments(node.leading, col - node.col)
                if node.eol:  # a comment after a lone "-": kept above the item
                    self.out.append(f"{pad}{node.eol}")
            self.mapping(value, col + 2, spath, node, first_prefix=f"{pad}- ")
            if own and node is not None and node.after:
                self.after(node, col)
        else:
            self.entry(f"{pad}-", value, col, spath, node, key, own=own)

    def after(self, node: Node, col: int) -> None:
        last = node.deepest_last()
        self.comments(node.after, col + 2 * (last.depth - node.depth) - last.col)

    def entry(self, head: str, value: Any, col: int, spath: tuple[str, ...], node: Node | None,
              key: str | None, nodes: Sequence[Node | None] | None = None, own: bool = True) -> None:
        """One entry: its leading comments, ``head`` (``  key:`` or ``  -``) with its value, its after comments.

        ``key`` is the field the value belongs to (for a list item, the list's field): it
        decides quoting (codes) and whether a yes/no or a number can be read back there.
        ``nodes`` aligns the items of a list value with the entries of the source (default:
        by position); ``own=False`` leaves out the entry's own leading and after comments.
        """
        out = self.out
        eol = ""
        if node is not None:
            if own and node.leading:
                self.comments(node.leading, col - node.col)
            if node.eol:
                eol = "  " + node.eol
        if isinstance(value, dict):
            if value:
                out.append(head + eol)
                self.mapping(value, col + 2, spath, node)
            else:
                out.append(f"{head} {{}}{eol}")
        elif isinstance(value, list):
            if value:
                out.append(head + eol)
                if nodes is None and node is not None:
                    nodes = node.children
                self.sequence(value, col + 2, spath, nodes, key)
            else:
                out.append(f"{head} []{eol}")
        else:
            if key in self.text_keys and value is not None and not isinstance(value, str):
                raise CanonicalError(f"« {key} » est un champ texte : {scalar_text(value, 0, 100)} y serait relu "
                                     "comme un texte. Écrivez la valeur comme un texte.")
            text = scalar_text(value, col + 2, MAX_PLAIN_LINE - len(head) - 1, key in self.codes)
            if text[:2] in (">-", "|-") and text[2:3] == "\n":
                out.append(f"{head} {text[:2]}{eol}")
                out.append(text[3:])
            else:
                out.append(f"{head} {text}{eol}")
        if own and node is not None and node.after:
            self.after(node, col)

    def document(self, data: dict[str, Any], node: Node | None) -> None:
        """The fields of a whole record (``{}`` for a record without any)."""
        if data:
            self.mapping(data, 0, (), node)
        else:
            self.out.append("{}")

    def text(self) -> str:
        """The lines written, without blank lines at the end, and a final newline."""
        out = self.out
        while out and not out[-1]:
            out.pop()
        return "\n".join(out) + "\n"


# The schema of an internal part (a file of the internal registry holding only « interne »): its
# modeline is kept for any kind.
PART_SCHEMA_FILE = "interne.schema.json"


def header_lines(kind: str, comments: Iterable[str]) -> list[str]:
    """The modeline first (kept when it names this kind's schema, or an internal part's), then the
    other comment lines."""
    ref: str | None = None
    rest: list[str] = []
    for line in comments:
        match = _MODELINE.fullmatch(line.strip())
        if match:
            if ref is None and match.group(1).rsplit("/", 1)[-1] in (f"{kind}.schema.json", PART_SCHEMA_FILE):
                ref = match.group(1)
            continue
        rest.append(line)
    while rest and not rest[0].strip():
        rest.pop(0)
    return [modeline(kind, ref), *rest]


def record_text(kind: str, data: dict[str, Any], header: str | Sequence[str] = (), schema_ref: str | None = None
                ) -> str:
    """Canonical text of a new record: modeline, ``header`` comment lines, fields in schema order.

    Raises :class:`CanonicalError` for a value that a record file cannot hold.
    """
    if not isinstance(data, dict):
        raise CanonicalError("Une fiche est un ensemble de champs nommés.")
    if isinstance(header, str):
        header = header.rstrip("\n").split("\n") if header else []
    comments = list(header)
    if schema_ref is not None:
        comments.insert(0, modeline(kind, schema_ref))
    emitter = Emitter(kind)
    emitter.comments(_header_comments(header_lines(kind, comments)), 0)
    emitter.document(data, None)
    return emitter.text()


def dump(data: dict[str, Any], header: str = "", kind: str | None = None) -> str:
    """YAML text of any mapping in the canonical style (no modeline; schema order when ``kind`` is given).

    For the files that are not records (``registre.yaml``, vocabularies) written by ``synth``.
    """
    emitter = Emitter(kind)
    if header:
        emitter.out = header.rstrip("\n").split("\n")
    emitter.mapping(data, 0, (), None)
    return emitter.text()


# ---------------------------------------------------------------------------
# Canonical text of an existing file
# ---------------------------------------------------------------------------


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def render(source: SourceMap, kind: str, data: dict[str, Any] | None = None, reorder: bool = True) -> str:
    """The text of a whole document from its map: canonical with ``reorder``, else in the file's order."""
    emitter = Emitter(kind, reorder=reorder)
    root = source.root
    if reorder:
        emitter.comments(_header_comments(header_lines(kind, [c.text for c in source.header])), 0)
    else:
        emitter.comments(source.header, 0)
    emitter.document(source.data if data is None else data, root)
    emitter.comments(source.trailer, 0)
    return emitter.text()


PHONE_KEYS = frozenset({"telephone"})
_NON_BREAKING_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})


def repair_phones(value: Any, key: str | None = None) -> Any:
    """``value`` with the non-breaking spaces of its telephone numbers made ordinary spaces (the one
    repair of the canonical form); the same object when there is nothing to repair."""
    if isinstance(value, str):
        return value.translate(_NON_BREAKING_SPACES) if key in PHONE_KEYS else value
    if isinstance(value, dict):
        items = {k: repair_phones(v, k) for k, v in value.items()}
        return value if all(items[k] is value[k] for k in value) else items
    if isinstance(value, list):
        repaired = [repair_phones(v, key if not isinstance(v, dict | list) else None) for v in value]
        return value if all(a is b for a, b in zip(repaired, value, strict=True)) else repaired
    return value


def _header_comments(lines: list[str]) -> list[Comment]:
    return [Comment(0, 0, line.strip()) for line in lines]


def canonical_text(text: str, kind: str, file: str = "<texte>") -> str:
    """The canonical form of a record file's text (see the module documentation).

    Raises :class:`maillage.load.safe_yaml.LoadError` (French message of the loader) when
    the text does not load, and :class:`CanonicalError` if the result would not load to
    the same values (a bug: the file is then left as it is).
    """
    if kind not in KIND_NAMES:
        raise ValueError(f"unknown record kind {kind!r}")
    normal = normalise_newlines(text)
    text_keys = load_schemas().text_keys
    source = read_source(normal, file, text_keys)
    data = repair_phones(source.data)
    result = render(source, kind, data)
    if result != text:
        check_same_values(data, result, file, text_keys)
    return result


def check_same_values(expected: dict[str, Any], text: str, file: str, text_keys: frozenset[str]) -> None:
    """Raise :class:`CanonicalError` unless ``text`` loads to exactly ``expected`` (types included)."""
    from maillage.load.safe_yaml import LoadError

    try:
        found = parse_text(text, file, text_keys).data
    except LoadError as exc:
        raise CanonicalError(f"{file} : le texte produit ne se relit pas ({exc.problem.message}).") from None
    if not same_values(found, expected):
        raise CanonicalError(f"{file} : le texte produit ne se relit pas avec les mêmes valeurs.")


def same_values(a: Any, b: Any) -> bool:
    """Equality that also tells ``1`` from ``1.0`` and ``True``, and keeps the order of mappings irrelevant."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_values(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_values(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def is_canonical(text: str, kind: str, file: str = "<texte>") -> bool:
    return canonical_text(text, kind, file) == text
