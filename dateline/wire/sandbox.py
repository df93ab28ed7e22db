"""Run a parser in a child process bounded in wall time, CPU time and memory.

A hostile document can make a well-behaved parser slow or greedy (200,000 attributes on one
element, 900,000 short paragraphs): no cap inside one library covers every such shape. So
every wire document is parsed in a child forked from a small server process (multiprocessing's
"forkserver", which has the parsers loaded and runs no threads) with an address-space limit
and a CPU limit, and the parent stops waiting at a wall deadline and kills it. What the child
returns is the parse's result or its ParseError; a child that runs out of time or memory
becomes a ParseError that says so. The desk's own process never runs the parse.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import resource
from multiprocessing import forkserver, spawn
from pathlib import Path

from django.conf import settings

from dateline.wire.parsers.base import ParseError

PRELOAD = ["dateline.wire.parsers", "dateline.wire.parsers.warmup"]
PROCESS_NAME = "dateline-wire-parse"
DEFAULT_SECONDS = 6.0  # as WIRE_PARSE_SECONDS and WIRE_PARSE_MEGABYTES default in settings
DEFAULT_MEGABYTES = 256


def _fresh_forkserver() -> None:
    # A forked copy of a process that had started the server cannot talk to the parent's
    # server (it is not the copy's child): the copy starts its own when it first needs one.
    server = forkserver.ForkServer()
    forkserver._forkserver = server
    for name in (
        "ensure_running",
        "get_inherited_fds",
        "connect_to_new_process",
        "set_forkserver_preload",
    ):
        setattr(forkserver, name, getattr(server, name))
    server.set_forkserver_preload(PRELOAD)


def _without_main(get_preparation_data):
    def preparation_data(name):
        data = get_preparation_data(name)
        if name.startswith(PROCESS_NAME):
            # A parse needs the parsers, not the program that asked for it: re-running the
            # main script in the child (multiprocessing's default) would start a second
            # server, or whatever else the script does at the top level.
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    return preparation_data


os.register_at_fork(after_in_child=_fresh_forkserver)
spawn.get_preparation_data = _without_main(spawn.get_preparation_data)
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(PRELOAD)


def _limits() -> tuple[float, int]:
    """Return (seconds, megabytes) a parse may take: the settings, or their defaults where
    there are no settings (a benchmark or a script using the parsers alone)."""
    if settings.configured or os.environ.get("DJANGO_SETTINGS_MODULE"):
        return float(settings.WIRE_PARSE_SECONDS), int(settings.WIRE_PARSE_MEGABYTES)
    return DEFAULT_SECONDS, DEFAULT_MEGABYTES


def _vm_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _child(connection, function, args, kwargs, seconds: float, megabytes: int) -> None:
    try:
        size = _vm_size()
        if size:
            ceiling = size + megabytes * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        cpu = math.ceil(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        try:
            answer = ("ok", function(*args, **kwargs))
        except ParseError as exc:
            answer = ("refused", str(exc))
        except MemoryError:
            answer = ("memory", "")
        except RecursionError:
            answer = ("refused", "the document is nested too deeply")
        except Exception as exc:  # noqa: BLE001 - a parser's bug is this document's refusal
            answer = ("refused", f"the document cannot be read ({type(exc).__name__}: {exc})")
        try:
            connection.send(answer)
        except MemoryError:
            connection.send(("memory", ""))
    finally:
        connection.close()
    # Nothing to clean up: skip the interpreter's shutdown (freeing every object the server
    # had loaded), which costs more than the parse of a small document.
    os._exit(0)


def run_bounded(function, *args, **kwargs):
    """Return ``function(*args, **kwargs)`` run in a bounded child (``function`` and its
    arguments must pickle). Raise ParseError with the child's reason, or when it takes longer
    than WIRE_PARSE_SECONDS or more memory than WIRE_PARSE_MEGABYTES."""
    seconds, megabytes = _limits()
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(
        target=_child,
        args=(sender, function, args, kwargs, seconds, megabytes),
        name=f"{PROCESS_NAME}-{getattr(function, '__name__', 'parse')}",
        daemon=True,
    )
    try:
        process.start()
    except OSError as exc:
        receiver.close()
        sender.close()
        raise ParseError(f"the parser could not be started: {exc}") from None
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise ParseError(f"refused: reading the document took longer than {seconds:g} s")
        try:
            status, value = receiver.recv()
        except (EOFError, OSError):
            process.join(1)
            raise ParseError(_died(process.exitcode, seconds, megabytes)) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if status == "ok":
        return value
    if status == "memory":
        raise ParseError(f"refused: reading the document needs more than {megabytes} MB")
    raise ParseError(value)


def _died(exitcode: int | None, seconds: float, megabytes: int) -> str:
    import signal

    if exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
        return f"refused: reading the document took longer than {seconds:g} s"
    return f"refused: the parser stopped without an answer (exit {exitcode})"
