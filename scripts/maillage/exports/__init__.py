"""Open-data exports: pure functions of a model view, written atomically.

``export_all(model, out_dir)`` renders every file in memory from the model it is given
(``public`` or ``interne`` view: it renders what it sees, and hides nothing itself),
writes them into a temporary folder next to ``out_dir``, then swaps that folder in.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..model import Model
from . import csv_tables, data_inclusion, datapackage, geojson, ical, json_export, spreadsheet

# A folder holding this file is a previous export that may be replaced.
EXPORT_MARKER = "datapackage.json"


class ExportError(Exception):
    """The export cannot be written where it was asked (the message is in French)."""


def render_all(model: Model) -> dict[str, bytes]:
    """Every export file, as ``relative path -> bytes``, from the model alone."""
    tables = csv_tables.render(model)
    files = {**tables, **datapackage.render(model, tables)}
    for module in (json_export, geojson, data_inclusion, ical, spreadsheet):
        files.update(module.render(model))
    return dict(sorted(files.items()))


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


def _swap(new: Path, out_dir: Path) -> None:
    """Put ``new`` in place of ``out_dir``: rename the old one away, the new one in, delete the old."""
    if not out_dir.exists():
        os.replace(new, out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.ancien-", dir=out_dir.parent))
    old.rmdir()
    os.replace(out_dir, old)
    try:
        os.replace(new, out_dir)
    except BaseException:
        os.replace(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_atomically(out_dir: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Replace ``out_dir`` by a folder holding exactly ``files``, or leave it untouched on failure."""
    out_dir = out_dir.absolute()
    _check_target(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.nouveau-", dir=out_dir.parent))
    try:
        staging.chmod(0o755)
        for relative, data in sorted(files.items()):
            _write_file(staging / relative, data)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out_dir / relative for relative in sorted(files)]


def export_all(model: Model, out_dir: Path) -> list[Path]:
    """Write every export of ``model`` (already the view of one audience) into ``out_dir``."""
    return write_atomically(out_dir, render_all(model))


__all__ = ["EXPORT_MARKER", "ExportError", "export_all", "render_all", "write_atomically"]
