"""Helpers for the tests of the production tier: the services it needs, HTTPS requests to a
self-signed nginx, and a Server-Sent Events reader over TLS."""

import contextlib
import os
import secrets
import shutil
import socket
import ssl
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.sse import SSEClient

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def missing(message: str):
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_programs(*programs: str) -> None:
    absent = [program for program in programs if shutil.which(program) is None]
    if absent:
        missing(f"{', '.join(absent)} missing (make browser installs them under CI)")


def require_purge_module() -> None:
    from dateline.production.nginx import PURGE_MODULE

    if not PURGE_MODULE.is_file():
        missing(
            f"{PURGE_MODULE} missing: libnginx-mod-http-cache-purge (make browser installs it "
            "under CI)"
        )


def require_postgres() -> str:
    """Return the URL of the PostgreSQL server the tests may create databases on."""
    parts = urlsplit(POSTGRES_URL)
    try:
        socket.create_connection((parts.hostname, parts.port or 5432), timeout=3).close()
    except OSError:
        missing(f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432}")
    return POSTGRES_URL


def insecure_context() -> ssl.SSLContext:
    # The tier's certificate is self-signed for 127.0.0.1.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def fetch(url: str, *, headers=None, data=None, method=None, raw=False):
    """Return (status, headers, text) of a request, whatever the status (the body's bytes as
    they came with ``raw``)."""
    request = urllib.request.Request(url, headers=headers or {}, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30, context=insecure_context()) as response:  # noqa: S310
            body = response.read()
            return response.status, response.headers, body if raw else body.decode()
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, error.headers, body if raw else body.decode()


def raw_request(port: int, request: bytes, *, source: str = "127.0.0.1") -> int:
    """Send one plain-HTTP request to 127.0.0.1:``port`` from the address ``source`` (any of
    127.0.0.0/8 on Linux); return the status of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0)) as s:
        s.sendall(request)
        answer = b""
        while b"\r\n" not in answer:
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
    return int(answer.split()[1])


class TLSSSEClient(SSEClient):
    """tests.sse.SSEClient over HTTPS."""

    def connect(self, host: str, port: int, timeout: float) -> socket.socket:
        raw = super().connect(host, port, timeout)
        return insecure_context().wrap_socket(raw, server_hostname=host)

    def is_open(self) -> bool:
        self.sock.settimeout(0.2)
        try:
            chunk = self.sock.recv(65536)
        except (TimeoutError, ssl.SSLWantReadError):
            return True
        except OSError:
            return False
        self.buffer += chunk
        return bool(chunk)


@contextlib.contextmanager
def running_tier(folder, database_prefix: str, demo, *, workers: int = 2):
    """The production tier with the demo content, on free ports, in ``folder`` and a
    throwaway PostgreSQL database ``<database_prefix>_<hex>``; stopped and dropped after.

    The database and files are a clone of ``demo`` (the postgres_demo fixture: migrate and
    load-demo, once a session), so the tier's own load-demo, run as `make prod LOAD_DEMO=1`
    runs it, finds the demo loaded and keeps it."""
    from benchmarks.live_servers import tier_settings
    from dateline.production.tier import NEEDS, ProductionTier

    require_programs(*NEEDS)
    require_purge_module()
    server = require_postgres()
    import psycopg

    name = f"{database_prefix}_{secrets.token_hex(4)}"
    settings = tier_settings(folder, server.rsplit("/", 1)[0] + f"/{name}", workers)
    tier = ProductionTier(settings)
    try:
        demo.clone(name, folder)
        tier.start(load_demo=True)
        yield tier
    finally:
        tier.stop()
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
