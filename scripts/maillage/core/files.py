"""Replacing a file atomically: readers see the old bytes or the new ones, never a mix."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from maillage.core.leftovers import remove_dead_leftovers


def atomic_write(target: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``target`` through a hidden temporary file beside it and a rename.

    The temporary file is named ``.<name>.<pid>-….tmp`` (hidden: the registry loader skips
    it); those left by a killed process are deleted by the next successful write. An
    existing file keeps its permissions. With ``exclusive``, an existing ``target`` is never
    replaced (:class:`FileExistsError`), even if it appears while writing.
    """
    directory = target.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
        if exclusive:
            try:
                os.link(tmp, target)  # fails if target exists: no overwrite, even in a race
            except FileExistsError:
                raise
            except OSError:  # no hard links on this file system: check, then rename
                if target.exists():
                    raise FileExistsError(target) from None
                os.replace(tmp, target)
            else:
                tmp.unlink()
        else:
            os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_directory(directory)
    remove_dead_leftovers(target, re.compile(rf"^\.{re.escape(target.name)}\.(\d+)-[^/]*\.tmp$"), folders=False)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
