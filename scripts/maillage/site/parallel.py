"""Forked children of ``maillage build``: work done on the second core while MkDocs renders.

A :class:`Child` runs one function in a forked copy of the process (it inherits the model,
the configuration, the pages) and never comes back: it leaves with ``os._exit`` and the
function's exit code, so nothing of the parent (MkDocs, the command, pytest) runs twice.
The parent waits for it with :meth:`Child.wait`; a parent that fails stops every child
still running with :func:`cancel_all` before deleting what was built. A child dies with its
parent, even one killed with SIGKILL (Linux ``PR_SET_PDEATHSIG``), so it never writes into
a folder that a later build already deleted as a leftover.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1
_RUNNING: dict[int, Child] = {}


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


class Child:
    """``work()`` in a forked child; its return value (``None``: 0) is the child's exit code."""

    def __init__(self, work: Callable[[], int | None]) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                _die_with_parent(parent)
                code = work() or 0
            except BaseException:  # reported, then the exit code says it
                with contextlib.suppress(BaseException):
                    traceback.print_exc()
            finally:
                with contextlib.suppress(BaseException):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
        self.pid: int | None = pid
        _RUNNING[pid] = self

    def wait(self) -> int:
        """The child's exit code (negative: killed by that signal)."""
        assert self.pid is not None
        _pid, status = os.waitpid(self.pid, 0)
        _RUNNING.pop(self.pid, None)
        self.pid = None
        return os.waitstatus_to_exitcode(status)

    def cancel(self) -> None:
        """Stop the child if it still runs."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(self.pid, signal.SIGKILL)
            self.wait()


def failure(code: int) -> str:
    return f"signal {-code}" if code < 0 else f"code {code}"


def cancel_all() -> None:
    """Stop every child still running (after a failure of the parent)."""
    for child in list(_RUNNING.values()):
        child.cancel()


def split_map(jobs: Sequence[Callable[[], T]]) -> list[T]:
    """``[job() for job in jobs]``, every other job run by a forked child (results pickled back).

    The results come back in the order of ``jobs``; a child that fails raises ``ChildFailed``.
    """
    if len(jobs) < 2:
        return [job() for job in jobs]
    read_end, write_end = os.pipe()

    def theirs() -> None:
        os.close(read_end)
        data = pickle.dumps([job() for job in jobs[1::2]], protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as out:
            out.write(data)

    try:
        child = Child(theirs)
    finally:
        os.close(write_end)
    with os.fdopen(read_end, "rb") as received:
        try:
            mine = [job() for job in jobs[0::2]]
            data = received.read()
        except BaseException:
            child.cancel()
            raise
    code = child.wait()
    if code != 0:
        raise ChildFailed(code)
    results: list[T] = [None] * len(jobs)  # type: ignore[list-item]
    results[0::2] = mine
    results[1::2] = pickle.loads(data)  # our own child's output
    return results


class ChildFailed(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(f"le second processus a échoué ({failure(code)})")
        self.code = code
