"""Open-data exports: pure functions of a model view, written atomically.

``export_all(model, out_dir)`` renders every file from the model it is given (``public``
or ``interne`` view: it renders what it sees, and hides nothing itself), one format at a
time, each written to disk as soon as it is rendered (:func:`iter_files`: a 50,000-record
registry never holds every export in memory at once), into a temporary folder next to
``out_dir``, then swaps that folder in.

The swap (:func:`replace_directory`, also used by ``maillage build`` for the site) is
one atomic ``renameat2(RENAME_EXCHANGE)`` on Linux: a process killed at any moment
leaves either the previous folder or the new one at ``out_dir``, never none and never
half of one. Elsewhere it falls back to two renames. Temporary folders are hidden
(``.<name>.<role>-<pid>-…``) beside the target; the next successful run deletes
those left by a process that no longer exists (:func:`remove_stale_siblings`).
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from maillage.core import testhooks
from maillage.core.leftovers import remove_dead_leftovers
from maillage.core.model import Model
from maillage.exports import csv_tables, data_inclusion, datapackage, geojson, ical, json_export, spreadsheet

# A folder holding this file is a previous export that may be replaced.
EXPORT_MARKER = "datapackage.json"


class ExportError(Exception):
    """The export cannot be written where it was asked (the message is in French)."""


def iter_files(model: Model) -> Iterator[tuple[str, bytes]]:
    """Every export file, as ``(relative path, bytes)``, one format at a time (no order promised)."""
    tables = csv_tables.render(model)
    yield from tables.items()
    yield from datapackage.render(model, tables).items()  # describes the tables: sizes and hashes
    del tables
    for module in (json_export, geojson, data_inclusion, ical, spreadsheet):
        yield from module.render(model).items()


def render_all(model: Model) -> dict[str, bytes]:
    """Every export file, as ``relative path -> bytes``, from the model alone (all in memory)."""
    return dict(sorted(iter_files(model)))


def _check_target(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} existe et n'est pas un dossier.")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / EXPORT_MARKER).is_file():
        raise ExportError(
            f"{out_dir} n'est pas vide et ne contient pas d'export précédent ({EXPORT_MARKER}) : "
            "choisissez un dossier vide ou un dossier d'export, il sera entièrement remplacé."
        )


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(data)


# --- atomic replacement of a folder -------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}
# Roles of the hidden folders beside a target: being written, moved away, old version.
STAGING_ROLES = ("construction", "nouveau", "ancien")


def _load_renameat2() -> object | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not glibc ≥ 2.28, or not Linux
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_renameat2 = _load_renameat2()


def _exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one system call; False when the system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:  # type: ignore[operator]
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def staging_dir(target: Path, role: str) -> Path:
    """A new hidden folder beside ``target`` (``.<name>.<role>-<pid>-…``), mode 755 (less the umask)."""
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.{role}-{os.getpid()}-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    return folder


def replace_directory(new: Path, target: Path) -> None:
    """Put the folder ``new`` in place of ``target``, then delete the previous ``target``.

    Readers (and a process killed at any moment) see the previous folder or the new one.
    """
    if not target.exists():
        os.replace(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the previous folder
        return
    old = staging_dir(target, "ancien")
    old.rmdir()
    os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def remove_stale_siblings(target: Path) -> list[Path]:
    """Delete the hidden temporary folders beside ``target`` left by processes that no longer run."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(?:{'|'.join(STAGING_ROLES)})-(\d+)-")
    return remove_dead_leftovers(target, pattern, folders=True)


def write_atomically(out_dir: Path, files: Mapping[str, bytes] | Iterable[tuple[str, bytes]]) -> list[Path]:
    """Replace ``out_dir`` by a folder holding exactly ``files``, or leave it untouched on failure.

    ``files`` is a mapping or an iterable of ``(relative path, bytes)``: each file is written as
    soon as it comes, so an iterable that renders them lazily keeps only one in memory.
    """
    out_dir = out_dir.absolute()
    _check_target(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    items = sorted(files.items()) if isinstance(files, Mapping) else files
    staging = staging_dir(out_dir, "nouveau")
    written: list[str] = []
    try:
        for relative, data in items:
            _write_file(staging / relative, data)
            written.append(relative)
            if len(written) == 2:
                testhooks.reached("export-partiel")
        testhooks.reached("export-ecrit")
        replace_directory(staging, out_dir)
        testhooks.reached("export-echange")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    remove_stale_siblings(out_dir)
    return [out_dir / relative for relative in sorted(written)]


def export_all(model: Model, out_dir: Path) -> list[Path]:
    """Write every export of ``model`` (already the view of one audience) into ``out_dir``."""
    return write_atomically(out_dir, iter_files(model))


__all__ = ["EXPORT_MARKER", "ExportError", "export_all", "iter_files", "remove_stale_siblings", "render_all",
           "replace_directory", "staging_dir", "write_atomically"]
