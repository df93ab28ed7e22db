"""Browser fixtures: Debian's Chromium driven by Playwright, against Django's live server."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """Run the site as `make demo` does (a fresh SQLite database, the demo content, uvicorn)
    and return its address; stop it after the session."""
    var = tmp_path_factory.mktemp("demo-var")
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
    }
    env.update(DATELINE_DEMO="1", DATELINE_VAR_DIR=str(var), SITE_URL=f"http://127.0.0.1:{port}")
    bin_dir = Path(sys.executable).parent
    for command in (["migrate", "--noinput"], ["load-demo"]):
        subprocess.run(
            [str(bin_dir / "dateline"), *command],
            env=env,
            cwd=var,
            check=True,
            capture_output=True,
            timeout=600,
        )
    log = (var / "server.log").open("w")
    server = subprocess.Popen(
        [
            str(bin_dir / "uvicorn"),
            "dateline.config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        cwd=var,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/en/", timeout=5).read()  # noqa: S310
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"the demo server did not start: see {var}/server.log") from None
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()
