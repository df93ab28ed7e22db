"""The doorbell between processes: an event stored by one process (the scheduler, a command,
another app server) wakes the embedded hub of every app server at once, instead of waiting for
its next look at the log.

The database stays the log; the doorbell only says "look now". A ring that is lost (a process
starting, a full socket buffer, a dropped listening connection) costs a reader at most the
hub's poll, which stays as the safety net (``LIVE_POLL_MS``).

- On PostgreSQL the storage sends ``NOTIFY dateline_live`` in the transaction that stores the
  event, so PostgreSQL delivers it when, and only when, the event is committed; each hub
  listens on one connection of its own (``LISTEN``).
- On SQLite each hub binds a Unix datagram socket (in Linux's abstract namespace, so the length
  of the var directory's path does not matter) and lists its process id under
  ``VAR_DIR/live-doorbell/``; the storage sends one datagram to each once the event is
  committed. A listed process that is gone is taken off the list by the first ring that finds
  its socket closed.
"""

import asyncio
import contextlib
import hashlib
import logging
import os
import socket
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger(__name__)

NOTIFY_CHANNEL = "dateline_live"
RECONNECT_SECONDS = 1.0


def _uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _registry() -> Path:
    return Path(settings.VAR_DIR) / "live-doorbell"


def _address(pid: int) -> bytes:
    """The abstract socket name of process ``pid``'s hub, for this site's database."""
    site = hashlib.sha256(str(settings.DATABASES["default"]["NAME"]).encode()).hexdigest()[:16]
    return f"\0dateline-live-{site}-{pid}".encode()


def ring_other_processes() -> None:
    """Wake every app server's hub once the current transaction commits. Call it in the
    transaction that stores the event."""
    if _uses_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {NOTIFY_CHANNEL}")
    else:
        transaction.on_commit(_send_datagrams)


def _send_datagrams() -> None:
    try:
        listed = os.listdir(_registry())
    except FileNotFoundError:
        return  # no hub has ever listened on this site
    own = str(os.getpid())  # this process's hub is rung directly (dateline.live.events)
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        for name in listed:
            if not name.isdigit() or name == own:
                continue
            try:
                sock.sendto(b"!", _address(int(name)))
            except (ConnectionRefusedError, FileNotFoundError):
                # Nobody is bound to that name: the process has gone.
                with contextlib.suppress(FileNotFoundError):
                    (_registry() / name).unlink()
            except BlockingIOError:
                pass  # its buffer is full of rings it has not read yet: it will look anyway
            except OSError:
                logger.exception("Could not ring the live stream of process %s", name)


async def listen(on_ring) -> None:
    """Call ``on_ring()`` whenever another process stores an event, until cancelled."""
    if _uses_postgresql():
        await _listen_postgresql(on_ring)
    else:
        await _listen_datagrams(on_ring)


async def _listen_postgresql(on_ring) -> None:
    import psycopg

    params = connection.get_connection_params()
    # Those two are for Django's own (synchronous) cursors.
    params.pop("cursor_factory", None)
    params.pop("context", None)
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(**params, autocommit=True) as conn:
                await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                # Anything stored while this connection was away was missed: look now.
                on_ring()
                async for _ in conn.notifies():
                    on_ring()
        except psycopg.Error:
            logger.warning("The live stream lost its doorbell connection; the poll stands in")
        await asyncio.sleep(RECONNECT_SECONDS)


async def _listen_datagrams(on_ring) -> None:
    loop = asyncio.get_running_loop()
    pid = os.getpid()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.setblocking(False)
    listed = _registry() / str(pid)
    try:
        sock.bind(_address(pid))
        listed.parent.mkdir(parents=True, exist_ok=True)
        listed.touch()

        def drain() -> None:
            with contextlib.suppress(BlockingIOError):
                while True:
                    sock.recv(64)
            on_ring()

        loop.add_reader(sock.fileno(), drain)
        await asyncio.Event().wait()  # until cancelled
    finally:
        with contextlib.suppress(Exception):
            loop.remove_reader(sock.fileno())
        sock.close()
        with contextlib.suppress(FileNotFoundError):
            listed.unlink()
