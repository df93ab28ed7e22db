"""An event stored by another process (a command, the scheduler) wakes the embedded tier's
streams at once, through the doorbell (dateline.live.doorbell): PostgreSQL's NOTIFY, or a
datagram to each app server on SQLite.

The app servers here look at the event log only once an hour by themselves (LIVE_POLL_MS), so
an event that reaches the readers at all was brought by the doorbell."""

import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import free_port, start_app_server
from tests.sse import SSEClient
from tests.test_live_connections import ADMIN_URL, admin_connection

BIN = Path(sys.executable).parent
AN_HOUR_MS = "3600000"
# Far below the poll: only the doorbell can deliver within it, even on a busy machine.
DELIVERY_SECONDS = 30


def run_dateline(env: dict, *args: str) -> None:
    subprocess.run(
        [str(BIN / "dateline"), *args], env=env, check=True, capture_output=True, timeout=300
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def app_servers(request, tmp_path_factory):
    """Two uvicorn workers of a fresh site that poll the log once an hour; yield their
    address and the site's environment."""
    var = tmp_path_factory.mktemp(f"doorbell-{request.param}")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PUSHPIN_URL"}
    }
    env.update(DATELINE_DEMO="1", DATELINE_VAR_DIR=str(var), LIVE_POLL_MS=AN_HOUR_MS)
    admin = name = None
    if request.param == "postgresql":
        admin = admin_connection()
        name = f"dateline_doorbell_{uuid.uuid4().hex[:8]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    port = free_port()
    server = None
    try:
        run_dateline(env, "migrate", "--noinput")
        log = (var / "server.log").open("w")
        server = start_app_server(port, env, var, log, workers=2)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url + "/robots.txt", timeout=5).read()  # noqa: S310
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no app server"
                time.sleep(0.3)
        yield url, env
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def publish_from_a_command(env: dict, event_type: str, number: int) -> None:
    """Publish as a management command does: a separate process, dateline.live.events."""
    run_dateline(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from dateline.live.events import publish;"
        f"publish('edition-en', {event_type!r}, {{'number': {number}}})",
    )


def test_it_brings_a_commands_events_to_every_app_servers_readers_at_once(app_servers):
    url, env = app_servers
    # Enough readers that both workers hold some of them.
    readers = [SSEClient(url + "/events/?channel=edition-en") for _ in range(12)]
    try:
        for reader in readers:
            reader.next_event(timeout=0.5)
            assert reader.status == 200
        for number in range(3):
            publish_from_a_command(env, "breaking", number)
        publish_from_a_command(env, "breaking-end", 3)

        for reader in readers:
            received = []
            deadline = time.monotonic() + DELIVERY_SECONDS
            while len(received) < 4 and time.monotonic() < deadline:
                event = reader.next_event(timeout=deadline - time.monotonic())
                if event is not None:
                    received.append(event)
            kinds = [kind for kind, _, _ in received]
            assert kinds == ["breaking", "breaking", "breaking", "breaking-end"]
            assert [json.loads(data) for _, _, data in received] == [
                {"number": 0},
                {"number": 1},
                {"number": 2},
                {"number": 3},
            ]
            numbers = [int(event_id.rpartition(":")[2]) for _, event_id, _ in received]
            assert numbers == list(range(numbers[0], numbers[0] + 4))
    finally:
        for reader in readers:
            reader.close()
