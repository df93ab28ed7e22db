"""An open stream of the embedded tier holds no database connection while it waits: many
readers on one uvicorn process cost the database two connections (the hub's reads, and its
doorbell's LISTEN), not one each. Checked on PostgreSQL, where the server counts its
connections."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import demo_env, free_port, start_app_server, wait_for_app_server
from tests.sse import SSEClient

BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def admin_connection():
    psycopg = pytest.importorskip("psycopg")
    base = ADMIN_URL.rsplit("/", 1)[0] + "/postgres"
    try:
        return psycopg.connect(base, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not reachable at {base}: {error}")
        pytest.skip(f"PostgreSQL is not reachable at {base}")


@pytest.fixture(scope="module")
def site_on_postgres(tmp_path_factory, postgres_demo):
    admin = admin_connection()
    name = f"dateline_streams_{uuid.uuid4().hex[:8]}"
    var = tmp_path_factory.mktemp("streams-pg")
    port = free_port()
    env = demo_env(var, DATABASE_URL=postgres_demo.clone(name, var))
    server = None
    try:
        server = start_app_server(port, env, var, (var / "server.log").open("w"))
        url = f"http://127.0.0.1:{port}"
        wait_for_app_server(url, server, 60)
        yield (
            url,
            env,
            lambda: admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]
            ).fetchone()[0],
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=15)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_forty_open_streams_hold_no_database_connection_each(site_on_postgres):
    url, env, connections = site_on_postgres
    readers = [SSEClient(url + "/events/?channel=edition-en") for _ in range(40)]
    try:
        for reader in readers:
            reader.next_event(timeout=0.2)
        time.sleep(1.5)  # several looks at the log by the hub
        held = connections()
        # The hub's reading connection, its doorbell's, and at most one left by a page request.
        assert held <= 3, f"{held} database connections for 40 open streams"

        # And the streams work: a publish from another process reaches all of them.
        subprocess.run(
            [
                str(BIN / "dateline"),
                "shell",
                "--no-imports",
                "-c",
                "from dateline.live.models import BreakingNews;"
                "from dateline.articles.models import ArticlePage;"
                "s = ArticlePage.objects.live().first();"
                "BreakingNews.objects.create(story=s, edition=s.edition)",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        kinds = [(reader.next_event(timeout=5) or (None,))[0] for reader in readers]
        assert kinds == ["breaking"] * 40
        assert connections() <= 3
    finally:
        for reader in readers:
            reader.close()
