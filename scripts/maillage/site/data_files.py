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
* a parent killed with SIGKILL takes the child with it (``PR_SET_PDEATHSIG``): the hidden
  folders left behind are deleted by the next successful build, like the site's own.

Where ``fork`` is unavailable, or with a single core, the files are rendered in the same
process at the end of the build (:func:`render_data_files` either way: same bytes).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import PluginError

from ..model import Model

_PR_SET_PDEATHSIG = 1


def render_data_files(model: Model) -> dict[str, bytes]:
    """Site-relative path -> bytes of every data file of the site (exports, directory index)."""
    from .plugin import _optional

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


def can_fork() -> bool:
    """A second process helps: ``fork`` exists and this process may run on more than one core."""
    if not hasattr(os, "fork"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores > 1


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this process if its parent dies (even by SIGKILL)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)


class BackgroundWriter:
    """Renders ``render()`` into ``folder`` in a forked child; :meth:`finish` moves it into the site."""

    def __init__(self, render: Callable[[], dict[str, bytes]], folder: Path) -> None:
        self.folder = folder
        self.pid: int | None = None
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                _die_with_parent(parent)
                write_files(folder, render())
                code = 0
            except BaseException:  # reported, then the child's exit code says it
                with contextlib.suppress(BaseException):
                    traceback.print_exc()
                    sys.stderr.flush()
            finally:
                os._exit(code)
        self.pid = pid

    def _wait(self) -> int:
        assert self.pid is not None
        _pid, status = os.waitpid(self.pid, 0)
        self.pid = None
        return os.waitstatus_to_exitcode(status)

    def finish(self, site_dir: Path) -> None:
        """Wait for the child, then move its files into ``site_dir``; a failed child fails the build."""
        code = self._wait()
        if code != 0:
            shutil.rmtree(self.folder, ignore_errors=True)
            reason = f"signal {-code}" if code < 0 else f"code {code}"
            raise PluginError(f"Les fichiers de données du site n'ont pas pu être écrits ({reason}).")
        for current, _folders, names in os.walk(self.folder):
            for name in sorted(names):
                source = Path(current) / name
                target = inside(site_dir, source.relative_to(self.folder).as_posix())
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
        shutil.rmtree(self.folder, ignore_errors=True)

    def cancel(self) -> None:
        """Stop the child if it still runs, and delete its folder."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(self.pid, signal.SIGKILL)
            self._wait()
        shutil.rmtree(self.folder, ignore_errors=True)
