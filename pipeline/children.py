"""Child processes that must not outlive their parent (issue 14, items 5 and 9).

``die_with_parent`` is a ``preexec_fn`` for ``subprocess.Popen``: the child asks Linux to
SIGKILL it when its parent dies, so a Prefect server started for a command (``gazette
serve``'s, or the temporary one of ``gazette ingest --flow``) does not keep listening after
a ``kill -9`` of the command.  Linux delivers that signal when the *thread* that started the
child ends, so it is only set for children started from the main thread (which lives as
long as the process).  ``kill_descendants`` is the last resort of a stop that overran its
deadline: SIGKILL every process below this one (a killed load rolls back: each issue loads
in one DuckDB transaction).  Elsewhere than Linux both do nothing.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _set_pdeathsig() -> None:
    """In the child, between fork and exec: SIGKILL me when my parent (thread) ends."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return


def die_with_parent():
    """A ``preexec_fn`` for Popen, or None where it cannot work (not Linux, not the main thread)."""
    if not sys.platform.startswith("linux") or threading.current_thread() is not threading.main_thread():
        return None
    return _set_pdeathsig


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])  # after "pid (comm) state": the ppid


def descendants(pid: int | None = None) -> list[int]:
    """Every process below ``pid`` (default: this one), children first (Linux /proc; else [])."""
    root = os.getpid() if pid is None else pid
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    parents = {int(p.name): _parent_of(int(p.name)) for p in proc.iterdir() if p.name.isdigit()}
    found, frontier = [], [root]
    while frontier:
        below = [child for child, parent in parents.items() if parent in frontier]
        found += below
        frontier = below
    return found


def kill_descendants() -> list[int]:
    """SIGKILL every process below this one; the pids signalled."""
    killed = []
    for pid in descendants():
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        except OSError:  # already gone
            continue
    return killed
