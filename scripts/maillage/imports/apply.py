"""Write a :class:`~maillage.imports.plan.Plan`: every file prepared in memory, then written.

Existing record files are edited with ``ruamel.yaml`` in round-trip mode (comments, order,
quoting and layout kept: the diff shows only the changed lines; a new key goes where the
schema puts it). New record files are written in the canonical layout of the sample
registry. Every resulting text is parsed again with the project's safe loader before
anything is written; then each file goes to a hidden temporary file beside its target and
is renamed over it, and deletions come last. A file whose text does not change is not
touched.

This module is the one to switch to the project's YAML writer
(``maillage.editing.writer``) once it lands: :func:`apply_plan` is its only entry point.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from maillage.core.schemas import load_schemas
from maillage.imports.plan import Append, Create, Delete, Move, Plan, RegistryName, Remove, SetValue, Table, Target
from maillage.imports.snapshot import write_rows
from maillage.load.safe_yaml import LoadError, parse_text

QUOTED_KEYS = frozenset({"rpps", "adeli", "finess", "siret", "code_postal", "code_insee"})
DATE_KEYS = frozenset({"verifie_le", "date_information", "depuis", "formation_le"})
_SAFE_PLAIN = re.compile(r"^[^\W_][\w .,;'’()/&+-]*(?<![ :])$")
_PHONE = re.compile(r"^0\d( \d\d){4}$")
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ApplyError(Exception):
    """A change could not be prepared (a record file changed shape): nothing was written."""


@cache
def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _plain_ok(text: str) -> bool:
    """Whether ``text`` reads back as the same text without quotes, in YAML 1.1 and 1.2 alike.

    A text starting with a digit is plain only with a letter in it (« 12 rue … ») or as a
    grouped phone number: no number, date or time can have either shape.
    """
    if not _SAFE_PLAIN.match(text) or text.lower() in _YAML11_WORDS or "  " in text:
        return False
    if text[0].isdigit():
        return any(c.isalpha() for c in text) or bool(_PHONE.match(text))
    return True


def scalar_text(key: str, value: Any) -> str:
    """A scalar as written in a new file: codes double-quoted, dates plain, text plain when unambiguous."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if key in DATE_KEYS and _DATE.match(text):
        return text
    if key not in QUOTED_KEYS and _plain_ok(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _ruamel_value(key: str, value: Any) -> Any:
    if isinstance(value, Mapping):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _ruamel_value(k, v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq()
        seq.extend(_ruamel_value(key, v) for v in value)
        return seq
    if isinstance(value, str):
        if key in DATE_KEYS and _DATE.match(value):
            from datetime import date

            return date.fromisoformat(value)
        if key in QUOTED_KEYS or not _plain_ok(value):
            return DoubleQuotedScalarString(value)
    return value


def header_line(schema: str) -> str:
    return f"# yaml-language-server: $schema=../../schemas/{schema}.schema.json\n"


def emit_record(data: Mapping[str, Any], schema: str | None) -> str:
    """The canonical text of a new record (two-space indentation, places as a block list)."""
    lines: list[str] = [header_line(schema).rstrip("\n")] if schema else []

    def emit(mapping: Mapping[str, Any], indent: str, first_prefix: str | None = None) -> None:
        for n, (key, value) in enumerate(mapping.items()):
            prefix = first_prefix if (n == 0 and first_prefix is not None) else indent
            if isinstance(value, Mapping):
                lines.append(f"{prefix}{key}:")
                emit(value, indent + "  ")
            elif isinstance(value, list):
                if not value:
                    lines.append(f"{prefix}{key}: []")
                    continue
                lines.append(f"{prefix}{key}:")
                for item in value:
                    if isinstance(item, Mapping):
                        emit(item, indent + "    ", indent + "  - ")
                    else:
                        lines.append(f"{indent}  - {scalar_text(key, item)}")
            else:
                lines.append(f"{prefix}{key}: {scalar_text(key, value)}")

    emit(data, "")
    return "\n".join(lines) + "\n"


# --- key order --------------------------------------------------------------------------


@cache
def _orders() -> dict[str, tuple[str, ...]]:
    raw = load_schemas().raw
    lieu = tuple(raw["definitions"]["$defs"]["lieu"]["properties"])
    return {"professionnel": tuple(raw["professionnel"]["properties"]),
            "structure": tuple(raw["structure"]["properties"]), "lieu": lieu}


def _insert_in_order(mapping: CommentedMap, key: str, value: Any, order: tuple[str, ...]) -> None:
    if key in mapping:
        mapping[key] = value
        return
    rank = {k: i for i, k in enumerate(order)}
    wanted = rank.get(key, len(order))
    position = len(mapping)
    for i, existing in enumerate(mapping):
        if rank.get(existing, len(order)) > wanted:
            position = i
            break
    mapping.insert(position, key, value)


# --- applying ---------------------------------------------------------------------------


@dataclass(slots=True)
class Written:
    written: list[Path] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)


def _path(roots: Mapping[RegistryName, Path], target: Target) -> Path:
    return roots[target.registry] / target.folder / f"{target.id}.yaml"


def _kind_of(target: Target) -> str:
    return "professionnel" if target.folder == "professionnels" else "structure"


def _edit(document: CommentedMap, change: SetValue | Append | Remove, kind: str) -> None:
    *parents, last = change.path
    node: Any = document
    for step in parents:
        node = node[step]
    if isinstance(change, SetValue):
        if not isinstance(node, CommentedMap):
            raise ApplyError(f"{'.'.join(map(str, change.path))} : bloc attendu")
        order = _orders()["lieu"] if parents and parents[0] == "lieux" else _orders()[kind]
        if change.value is None:
            node.pop(last, None)
        else:
            _insert_in_order(node, str(last), _ruamel_value(str(last), change.value), order)
    elif isinstance(change, Append):
        seq = node[last]
        seq.append(_ruamel_value(str(last), change.value))
    else:
        seq = node[last]
        del seq[change.index]


def prepare(plan: Plan, roots: Mapping[RegistryName, Path]) -> tuple[dict[Path, str], list[Path]]:
    """Every file's new text, and the files to delete; raises :class:`ApplyError` (nothing written)."""
    texts: dict[Path, str] = {}
    documents: dict[Path, tuple[CommentedMap, str]] = {}  # being edited: (document, kind)
    moved_from: dict[Path, Path] = {}
    deletes: list[Path] = []
    for change in plan.changes:
        if isinstance(change, Create):
            path = _path(roots, change.target)
            if path.exists():
                raise ApplyError(f"{path} existe déjà")
            public = change.target.registry == "public"
            texts[path] = emit_record(change.data, change.schema if public else None)
        elif isinstance(change, Move):
            source, path = _path(roots, change.source), _path(roots, change.target)
            if path.exists():
                raise ApplyError(f"{path} existe déjà")
            text = source.read_text(encoding="utf-8")
            if change.target.registry == "public" and not text.startswith("# yaml-language-server"):
                text = header_line(change.schema) + text
            documents[path] = (_yaml().load(text), _kind_of(change.target))
            moved_from[path] = source
            deletes.append(source)
        elif isinstance(change, SetValue | Append | Remove):
            path = _path(roots, change.target)
            if path not in documents:
                try:
                    text = path.read_text(encoding="utf-8")
                except OSError as exc:
                    raise ApplyError(f"{path} : {exc}") from None
                documents[path] = (_yaml().load(text), _kind_of(change.target))
            document, kind = documents[path]
            try:
                _edit(document, change, kind)
            except (KeyError, IndexError, TypeError) as exc:
                raise ApplyError(f"{path} : {'.'.join(map(str, change.path))} introuvable ({exc})") from None
        elif isinstance(change, Delete):
            deletes.append(_path(roots, change.target))
        elif isinstance(change, Table):
            path = roots[change.registry] / change.path
            if change.path.startswith("imports/refus"):
                from maillage.imports.registries import REFUSAL_HEADER

                out = io.StringIO()
                import csv

                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(REFUSAL_HEADER)
                writer.writerows(change.rows)
                texts[path] = out.getvalue()
            else:
                source = change.path.rsplit("/", 1)[-1].removesuffix(".csv")
                texts[path] = write_rows(source, change.rows)
    for path, (document, _kind) in documents.items():
        out = io.StringIO()
        _yaml().dump(document, out)
        texts[path] = out.getvalue()
    for path, text in texts.items():
        if path.suffix == ".yaml":
            try:
                parse_text(text, str(path))
            except LoadError as exc:  # a bug here, never the partner's fault: refuse to write
                raise ApplyError(f"{path} : texte produit illisible ({exc.problem.message})") from None
    deletes = [p for p in deletes if p not in texts]
    return texts, deletes


def apply_plan(plan: Plan, roots: Mapping[RegistryName, Path]) -> Written:
    """Prepare every file, then write them (temporary file + rename each), then delete."""
    texts, deletes = prepare(plan, roots)
    done = Written()
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in sorted(texts.items()):
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".import-tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                if path.suffix == ".csv":  # the snapshots: synced (record files are not: thousands of them)
                    handle.flush()
                    os.fsync(handle.fileno())
            staged.append((Path(tmp), path))
    except BaseException:
        for tmp, _target in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
        done.written.append(path)
    for path in deletes:
        if path.exists():
            path.unlink()
            done.deleted.append(path)
    return done
