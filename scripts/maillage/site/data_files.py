"""The data files of the site, written by a second process while MkDocs renders the pages.

The open-data exports (``donnees/``) and the directory index files (``annuaire/``,
``commune/``) are pure functions of the model and take a fifth of a large build. On a
machine with more than one core, ``maillage build`` forks once the model is built: the
child inherits the model, renders those files into its own hidden staging folder beside
the site (``.<site>.construction-<pid>-…``, like the site's), and exits; the parent renders
the pages meanwhile, waits for the child at the end of the build, and moves the files
into the site before the site is swapped in. Nothing is published unless both succeed:

* a child that fails (or is killed) fails the build, and the site stays as it was;
* a parent that fails cancels the child (SIGKILL) and deletes its folder;
* a parent killed with SIGKILL takes the child with it (see :mod:`maillage.site.parallel`):
  the hidden folders left behind are deleted by the next successful build, like the site's own.

Where ``fork`` is unavailable, or with a single core, the files are rendered in the same
process at the end of the build (:func:`render_data_files` either way: same bytes).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import PluginError

from maillage.core.model import Model
from maillage.site.parallel import Child, failure


def render_data_files(model: Model) -> dict[str, bytes]:
    """Site-relative path -> bytes of every data file of the site (exports, directory index)."""
    from maillage.site.plugin import _optional

    files: dict[str, bytes] = {}
    exports = _optional("maillage.exports")
    render_all = getattr(exports, "render_all", None) if exports else None
    if callable(render_all):
        # docs/donnees.md already produced donnees/index.html: the exports sit beside it.
        files.update({f"donnees/{relative}": data for relative, data in render_all(model).items()})
    directory = _optional("maillage.site.directory")
    directory_files = getattr(directory, "directory_files", None) if directory else None
    if callable(directory_files):
        files.update(directory_files(model))
    return files


def write_files(root: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (relative path -> bytes) under ``root``, refusing paths that leave it."""
    for relative, data in sorted(files.items()):
        target = inside(root, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def inside(root: Path, relative: str) -> Path:
    """``root / relative``, refusing any path that would leave ``root``."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise PluginError(f"Chemin de fichier refusé (hors du site) : {relative}")
    return target


class BackgroundWriter:
    """Renders ``render()`` into ``folder`` in a forked child; :meth:`finish` moves it into the site."""

    def __init__(self, render: Callable[[], dict[str, bytes]], folder: Path) -> None:
        self.folder = folder
        self.child = Child(lambda: write_files(folder, render()))

    def finish(self, site_dir: Path) -> None:
        """Wait for the child, then move its files into ``site_dir``; a failed child fails the build."""
        code = self.child.wait()
        if code != 0:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise PluginError(f"Les fichiers de données du site n'ont pas pu être écrits ({failure(code)}).")
        for current, _folders, names in os.walk(self.folder):
            for name in sorted(names):
                source = Path(current) / name
                target = inside(site_dir, source.relative_to(self.folder).as_posix())
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
        shutil.rmtree(self.folder, ignore_errors=True)

    def cancel(self) -> None:
        """Stop the child if it still runs, and delete its folder."""
        self.child.cancel()
        shutil.rmtree(self.folder, ignore_errors=True)
