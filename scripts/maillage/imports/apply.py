"""Write a :class:`~maillage.imports.plan.Plan`: every file prepared in memory, then written.

Record files go through the project's one YAML writer (:mod:`maillage.editing.writer`):
existing files are edited in place (comments, order and layout kept: the diff shows only
the changed lines; a new key goes where the schema puts it), new files are written in the
canonical form. The writer checks that every text it produces loads back to the intended
values. Then each file goes to a hidden temporary file beside its target and is renamed
over it, and deletions come last. A file whose text does not change is not touched.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from maillage.core.kinds import BY_FOLDER
from maillage.editing.canonical import record_text
from maillage.editing.writer import RecordFile, WriterError
from maillage.imports.plan import Append, Create, Delete, Move, Plan, RegistryName, Remove, SetValue, Table, Target
from maillage.imports.registries import REFUSAL_HEADER
from maillage.imports.snapshot import write_rows
from maillage.load.safe_yaml import LoadError


class ApplyError(Exception):
    """A change could not be prepared (a record file changed shape): nothing was written."""


@dataclass(slots=True)
class Written:
    written: list[Path] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)


def _path(roots: Mapping[RegistryName, Path], target: Target) -> Path:
    return roots[target.registry] / target.folder / f"{target.id}.yaml"


def _kind_of(target: Target) -> str:
    return BY_FOLDER[target.folder].name


def _edit(record: RecordFile, change: SetValue | Append | Remove) -> None:
    if isinstance(change, SetValue):
        if change.value is None:
            if record.has(change.path):
                record.delete(change.path)
        else:
            record.set(change.path, change.value)
    elif isinstance(change, Append):
        record.append(change.path, change.value)
    else:
        record.delete((*change.path, change.index))


def prepare(plan: Plan, roots: Mapping[RegistryName, Path]) -> tuple[dict[Path, str], list[Path]]:
    """Every file's new text, and the files to delete; raises :class:`ApplyError` (nothing written)."""
    texts: dict[Path, str] = {}
    records: dict[Path, RecordFile] = {}  # being edited
    deletes: list[Path] = []
    for change in plan.changes:
        try:
            if isinstance(change, Create):
                path = _path(roots, change.target)
                if path.exists():
                    raise ApplyError(f"{path} existe déjà")
                texts[path] = record_text(_kind_of(change.target), change.data)
            elif isinstance(change, Move):
                source, path = _path(roots, change.source), _path(roots, change.target)
                if path.exists():
                    raise ApplyError(f"{path} existe déjà")
                records[path] = RecordFile.from_text(source.read_text(encoding="utf-8"), _kind_of(change.target),
                                                     str(path))
                deletes.append(source)
            elif isinstance(change, SetValue | Append | Remove):
                path = _path(roots, change.target)
                if path not in records:
                    records[path] = RecordFile.open(path, _kind_of(change.target))
                _edit(records[path], change)
            elif isinstance(change, Delete):
                deletes.append(_path(roots, change.target))
            elif isinstance(change, Table):
                path = roots[change.registry] / change.path
                if change.path.startswith("imports/refus"):
                    out = io.StringIO()
                    table = csv.writer(out, lineterminator="\n")
                    table.writerow(REFUSAL_HEADER)
                    table.writerows(change.rows)
                    texts[path] = out.getvalue()
                else:
                    texts[path] = write_rows(change.path.rsplit("/", 1)[-1].removesuffix(".csv"), change.rows)
        except (OSError, LoadError, WriterError, KeyError, IndexError) as exc:
            where = getattr(change, "target", None)
            shown = where.relative if isinstance(where, Target) else ""
            reason = exc.problem.message if isinstance(exc, LoadError) else str(exc)
            raise ApplyError(f"{shown} : {reason}") from None
    for path, record in records.items():
        texts[path] = record.text
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
