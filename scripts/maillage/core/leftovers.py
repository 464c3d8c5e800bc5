"""Temporary files and folders left beside an output by a process that was killed.

Every atomic writer names its temporary entries after the output and its own process
id (``.<name>.<role>-<pid>-…``); the next successful run deletes those whose process no
longer exists, and never touches the entries of a process that still runs.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # not ours (PermissionError), or no signals on this platform: assume it runs
        return True
    return True


def remove_dead_leftovers(target: Path, pattern: re.Pattern[str], folders: bool) -> list[Path]:
    """Delete entries beside ``target`` whose name matches ``pattern`` (group 1: the pid) and whose
    process is gone: folders when ``folders`` is true, plain files otherwise."""
    removed: list[Path] = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or entry.is_symlink() or process_alive(int(match.group(1))):
            continue
        if folders and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
        elif not folders and entry.is_file():
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed
