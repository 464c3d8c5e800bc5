"""The data files of the site: open-data exports (``donnees/``) and the directory index.

Pure functions of the model, written by the plugin's ``on_post_build`` one file at a
time, as soon as each is rendered (:func:`iter_data_files`): a 50,000-record site never
holds every data file in memory at once. ``maillage build`` builds the whole site in a
hidden staging folder and swaps it in at the end, so the site as a whole stays atomic.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from mkdocs.exceptions import PluginError

from maillage.core.model import Model
from maillage.exports import iter_files
from maillage.site.directory import directory_files


def iter_data_files(model: Model) -> Iterator[tuple[str, bytes]]:
    """``(site-relative path, bytes)`` of every data file of the site (exports, directory index)."""
    # docs/donnees.md already produced donnees/index.html: the exports sit beside it.
    for relative, data in iter_files(model):
        yield f"donnees/{relative}", data
    yield from directory_files(model).items()


def render_data_files(model: Model) -> dict[str, bytes]:
    """Site-relative path -> bytes of every data file (all in memory: for tests and tools)."""
    return dict(sorted(iter_data_files(model)))


def write_files(root: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write each ``(relative path, bytes)`` under ``root`` as it comes, refusing paths that leave it."""
    count = 0
    for relative, data in files:
        target = inside(root, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        count += 1
    return count


def inside(root: Path, relative: str) -> Path:
    """``root / relative``, refusing any path that would leave ``root``."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise PluginError(f"Chemin de fichier refusé (hors du site) : {relative}")
    return target
