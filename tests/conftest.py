"""Browser fixtures: Debian's Chromium driven by Playwright, against Django's live server."""

import contextlib
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
# between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import expect

    # A page's first render makes its photo renditions, which is slow on a busy 2-core
    # machine; checks that must be fast say so with their own timeout.
    expect.set_options(timeout=15_000)
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def sign_in_to_newsroom(chromium, demo, username="editor", *, width=1280, timeout=20_000):
    """Return a page of a new browser context signed in to the demo's newsroom as ``username``
    (password dateline-demo), on the dashboard."""
    from playwright.sync_api import expect

    context = chromium.new_context(locale="en-GB", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(timeout)
    page.goto(demo.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "dateline-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#newsroom-desk-section")).to_be_visible()
    return page


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app_server(port: int, env: dict, cwd: Path, log, *, workers: int = 1):
    """Start uvicorn serving the site on 127.0.0.1:``port`` with ``env``; return the process
    (wait_for_app_server() waits until it answers)."""
    command = [
        str(Path(sys.executable).parent / "uvicorn"),
        "dateline.config.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]
    if workers > 1:
        command += ["--workers", str(workers)]
    return subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)


def wait_for_app_server(url: str, process, seconds: float) -> None:
    """Wait until ``url``/en/ answers; fail if ``process`` ends or ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url + "/en/", timeout=5).read()  # noqa: S310
            return
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "no app server"
            time.sleep(0.3)


@dataclass
class DemoSite:
    url: str
    env: dict[str, str]
    var: Path

    def dateline(self, *args: str) -> subprocess.CompletedProcess:
        """Run a `dateline` command against the demo site's database, from outside it."""
        return subprocess.run(
            [str(Path(sys.executable).parent / "dateline"), *args],
            env=self.env,
            cwd=self.var,
            check=True,
            capture_output=True,
            text=True,
            timeout=900,  # load-demo makes every photo's copies: minutes on a busy machine
        )


# What a site runs with, of the environment the tests run in: not their database, cache,
# settings module or key.
NOT_FOR_SITES = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
DATABASE = "dateline.sqlite3"
POSTGRES_SERVER = os.environ.get(
    "TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
).rsplit("/", 1)[0]


def demo_env(var: Path, **settings: str) -> dict[str, str]:
    """The environment of a demo site (DATELINE_DEMO) in ``var``, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if key not in NOT_FOR_SITES}
    env.update(DATELINE_DEMO="1", DATELINE_VAR_DIR=str(var), **settings)
    return env


def load_demo(var: Path, **settings: str) -> None:
    """Run `dateline migrate` and `dateline load-demo` as `make demo` does, on the site in
    ``var`` (SQLite there unless ``settings`` give a DATABASE_URL)."""
    site = DemoSite(url="", env=demo_env(var, **settings), var=var)
    site.dateline("migrate", "--noinput")
    site.dateline("load-demo")


def copy_demo_files(template: Path, var: Path) -> None:
    """Copy what load-demo left in the var directory ``template`` into ``var``: the SQLite
    database (through SQLite's backup API, whole whatever its journal holds), the photos'
    files, the drawn demo photos and the agencies' drop folders. The secret key is left out:
    the copy makes its own, as a fresh demo does."""
    var.mkdir(parents=True, exist_ok=True)
    for path in template.iterdir():
        if path.name.startswith(DATABASE) or path.name == "secret-key":
            continue
        if path.is_dir():
            shutil.copytree(path, var / path.name, dirs_exist_ok=True)
        else:
            shutil.copy2(path, var / path.name)
    if (template / DATABASE).exists():
        source = contextlib.closing(sqlite3.connect(template / DATABASE))
        target = contextlib.closing(sqlite3.connect(var / DATABASE))
        with source as source, target as target:
            source.backup(target)


@pytest.fixture(scope="session")
def demo_var(tmp_path_factory) -> Path:
    """A var directory as `make demo`'s migrate and load-demo leave it, on SQLite. Loading
    takes minutes, so it is done once a session: each site copies it (copy_demo_files)."""
    var = tmp_path_factory.mktemp("demo-template")
    load_demo(var)
    return var


@dataclass
class PostgresDemo:
    """The demo loaded once into a PostgreSQL database, ``template``, with its files in
    ``var``: clone() gives a site its own copy."""

    template: str
    var: Path

    def clone(self, name: str, var: Path) -> str:
        """Create the database ``name`` as a copy of the demo's (CREATE DATABASE … TEMPLATE,
        a file copy on the server), copy the demo's files into ``var``; return the database's
        URL. The caller drops the database."""
        import psycopg

        copy_demo_files(self.var, var)
        with psycopg.connect(POSTGRES_SERVER + "/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return f"{POSTGRES_SERVER}/{name}"


@pytest.fixture(scope="session")
def postgres_demo(tmp_path_factory):
    """The demo as `dateline migrate` and `dateline load-demo` leave it on PostgreSQL, loaded
    once a session (at TEST_POSTGRES_URL's server) for the sites that clone it; skipped, or
    failed under CI, when PostgreSQL does not answer."""
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(POSTGRES_SERVER + "/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_SERVER}: {error}")
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_SERVER}")
    name = f"dateline_demo_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        var = tmp_path_factory.mktemp("demo-template-postgres")
        load_demo(var, DATABASE_URL=f"{POSTGRES_SERVER}/{name}")
        yield PostgresDemo(template=name, var=var)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="session")
def demo(tmp_path_factory, demo_var):
    """Run the site as `make demo` does (a fresh SQLite database with the demo content: a copy
    of demo_var's, uvicorn and the scheduler beside it); stop both after the session."""
    var = tmp_path_factory.mktemp("demo-var")
    copy_demo_files(demo_var, var)
    port = free_port()
    site = DemoSite(
        url=f"http://127.0.0.1:{port}",
        env=demo_env(var, SITE_URL=f"http://127.0.0.1:{port}"),
        var=var,
    )
    env = site.env
    bin_dir = Path(sys.executable).parent
    log = (var / "server.log").open("w")
    server = start_app_server(port, env, var, log)
    scheduler = subprocess.Popen(
        [str(bin_dir / "dateline"), "run-scheduler", "--interval", "1"],
        env=env,
        cwd=var,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_app_server(site.url, server, 180)
    except AssertionError:
        server.kill()
        scheduler.kill()
        raise RuntimeError(f"the demo server did not start: see {var}/server.log") from None
    yield site
    for process in (server, scheduler):
        process.terminate()
    for process in (server, scheduler):
        # uvicorn waits for open event streams to close before it exits: not forever.
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def demo_site(demo):
    """The address of the running demo site."""
    return demo.url
