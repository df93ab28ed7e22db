"""Run one hostile input through an entry point in a forked child, bounded in time and memory.

The hostile-input corpus (``tests/hostile/corpus/<kind>/``) is run through every entry point
that takes that kind of input. Each entry must be refused clearly or accepted, never with a 5xx,
a traceback, more than ``SECONDS`` of wall time or more than ``MEGABYTES`` of memory. A forked
child runs the entry point, so a runaway parse is killed at the deadline and an allocation past
the limit fails in the child (its address space is capped), not in the test run; the child
reports its peak resident memory above what it started with (``/proc/self/clear_refs`` resets
the high-water mark at the start). What the child writes to the database is not seen by the
parent: a test that checks "changes nothing" checks that in its own process as well.
"""

import contextlib
import os
import pickle
import resource
import select
import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SECONDS = 10.0
MEGABYTES = 256
CORPUS = Path(__file__).parent / "corpus"


@dataclass
class Outcome:
    value: Any = None  # what the callable returned (must pickle)
    error: str = ""  # the exception's type and message, when it raised
    traceback: str = ""
    seconds: float = 0.0
    peak_mb: float = 0.0  # resident memory above the child's start
    killed: str = ""  # "timeout" or the signal that ended the child

    @property
    def within_bounds(self) -> bool:
        return not self.killed and self.seconds <= SECONDS and self.peak_mb <= MEGABYTES

    def describe(self) -> str:
        return (
            f"{self.seconds:.2f} s, {self.peak_mb:.0f} MB, killed={self.killed or 'no'}, "
            f"error={self.error or 'none'}"
        )


def corpus(kind: str) -> list[Path]:
    """The corpus's files of one kind, sorted (each test is named by its file)."""
    return sorted(p for p in (CORPUS / kind).iterdir() if p.is_file() and p.name != "README.md")


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _django_connections() -> dict:
    """The database connections the caller's code uses now, by alias (none without Django)."""
    try:
        from django.conf import settings
        from django.db import connections
    except ImportError:
        return {}
    if not settings.configured:
        return {}
    return {alias: connections[alias] for alias in connections}


def _keep_connections(found: dict) -> None:
    """Give the child the very connections its parent's code used. Django keeps them per
    thread, or per event loop where one runs in the thread (Playwright's, in a session with
    browser tests); a forked child has no running loop (asyncio checks the process id), so
    it would look in another place, open new connections and, on SQLite's shared in-memory
    test database, find the tables locked by the parent's open transaction."""
    if not found:
        return
    from django.db import connections

    for alias, connection in found.items():
        connections[alias] = connection


def bounded(function, *args, seconds: float = SECONDS, megabytes: int = MEGABYTES, **kwargs):
    """Call ``function(*args, **kwargs)`` in a forked child; return an Outcome. The child's
    address space may grow by four times ``megabytes`` (virtual memory runs ahead of resident
    memory) and it is killed ``seconds`` + 5 after it starts; the test judges the figures."""
    connections = _django_connections()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(reader)
        _keep_connections(connections)
        outcome = Outcome()
        try:
            with contextlib.suppress(OSError):
                Path("/proc/self/clear_refs").write_text("5")
            start_rss = _status("VmRSS")
            ceiling = _status("VmSize") + megabytes * 4 * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
            started = time.monotonic()
            try:
                outcome.value = function(*args, **kwargs)
            except BaseException as error:  # noqa: BLE001 - reported to the parent
                outcome.error = f"{type(error).__name__}: {error}"[:2000]
                outcome.traceback = traceback.format_exc()[-4000:]
            outcome.seconds = time.monotonic() - started
            outcome.peak_mb = max(0, _status("VmHWM") - start_rss) / (1024 * 1024)
            try:
                data = pickle.dumps(outcome)
            except Exception as error:  # noqa: BLE001
                outcome.value = repr(outcome.value)[:2000] + f" (not picklable: {error})"
                data = pickle.dumps(outcome)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)
    os.close(writer)
    started = time.monotonic()
    chunks = []
    killed = ""
    with os.fdopen(reader, "rb") as pipe:
        while True:
            left = seconds + 5 - (time.monotonic() - started)
            if left <= 0:
                killed = "timeout"
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([pipe], [], [], left)
            if ready:
                chunk = os.read(pipe.fileno(), 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    elapsed = time.monotonic() - started
    if killed:
        return Outcome(seconds=elapsed, killed=killed)
    if os.WIFSIGNALED(status):
        return Outcome(seconds=elapsed, killed=signal.Signals(os.WTERMSIG(status)).name)
    if not chunks:
        return Outcome(seconds=elapsed, killed="no report (out of memory?)")
    return pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's report
