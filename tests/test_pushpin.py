"""The production tier's live stream: a real Pushpin (with its zurl) in front of two uvicorn
processes. Readers hold their streams on Pushpin; any process publishes to it; the app
servers can restart under the readers without them noticing; and nobody but Pushpin is
trusted to speak for it.

Needs Debian's pushpin package: under CI=true `make test` installs it and these tests fail
if it is missing; elsewhere they skip, naming what is missing."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import copy_demo_files, free_port
from tests.sse import SSEClient

BIN = Path(sys.executable).parent


def require(*programs):
    missing = [program for program in programs if shutil.which(program) is None]
    if missing:
        message = f"{', '.join(missing)} missing (apt-get install pushpin)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def wait_for(url, deadline=60, process=None):
    limit = time.monotonic() + deadline
    while True:
        try:
            return urllib.request.urlopen(url, timeout=5).status  # noqa: S310
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            if (process is not None and process.poll() is not None) or time.monotonic() > limit:
                raise RuntimeError(f"{url} did not answer") from None
            time.sleep(0.2)


def free_block(size=4):
    """Return the first of ``size`` consecutive free ports."""
    import socket

    for _ in range(50):
        base = free_port()
        if base + size > 65535:
            continue
        sockets = []
        try:
            for port in range(base, base + size):
                sock = socket.socket()
                sock.bind(("127.0.0.1", port))
                sockets.append(sock)
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free block of ports")


class Tier:
    """Pushpin, zurl and two app servers over one database."""

    def __init__(self, var: Path):
        require("pushpin", "zurl", "condure")
        self.var = var
        self.key = "test-" + os.urandom(16).hex()
        self.app_ports = [free_port(), free_port()]
        self.http_port = free_port()
        self.publish_port = free_port()
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
        }
        self.env.update(
            DATELINE_DEMO="1",
            DATELINE_VAR_DIR=str(var),
            PUSHPIN_URL=f"http://127.0.0.1:{self.publish_port}",
            PUSHPIN_KEY=self.key,
        )
        self.apps: dict[int, subprocess.Popen] = {}
        self.pushpin = self.zurl = None
        self.log = (var / "tier.log").open("a")
        self.url = f"http://127.0.0.1:{self.http_port}"

    def dateline(self, *args):
        return subprocess.run(
            [str(BIN / "dateline"), *args],
            env=self.env,
            cwd=self.var,
            check=True,
            capture_output=True,
            text=True,
            timeout=900,
        ).stdout

    def start(self):
        """Start Pushpin, zurl and the app servers on the site in ``var`` (the demo's copy)."""
        directory = self.var / "pushpin"
        self.dateline(
            "pushpin-config",
            "--dir",
            str(directory),
            "--http-port",
            str(self.http_port),
            "--publish-port",
            str(self.publish_port),
            "--zmq-port",
            str(free_block()),
            *[arg for port in self.app_ports for arg in ("--app", f"127.0.0.1:{port}")],
        )
        self.zurl = subprocess.Popen(
            ["zurl", f"--config={directory / 'zurl.conf'}"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.pushpin = subprocess.Popen(
            ["pushpin", "--config", str(directory / "pushpin.conf"), "--merge-output"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for port in self.app_ports:
            self.start_app(port)
        wait_for(self.url + "/en/", process=self.pushpin)

    def start_app(self, port):
        self.apps[port] = subprocess.Popen(
            [
                str(BIN / "uvicorn"),
                "dateline.config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ],
            env=self.env,
            cwd=self.var,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(f"http://127.0.0.1:{port}/en/", process=self.apps[port])

    def restart_apps(self):
        for process in self.apps.values():
            process.terminate()
            process.wait(timeout=15)
        for port in self.app_ports:
            self.start_app(port)

    def stop(self):
        # A start that failed part of the way stops what it had started.
        started = [p for p in [*self.apps.values(), self.pushpin, self.zurl] if p is not None]
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()


@pytest.fixture(scope="module")
def tier(tmp_path_factory, demo_var):
    require("pushpin", "zurl", "condure")
    tier = Tier(tmp_path_factory.mktemp("pushpin-tier"))
    copy_demo_files(demo_var, tier.var)
    try:
        tier.start()
        yield tier
    finally:
        tier.stop()


class Editor:
    """An editor signed in to one app server, acting in the newsroom."""

    def __init__(self, base):
        import http.cookiejar

        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.open(base + "/admin/login/").read()
        self.post("/admin/login/", {"username": "editor", "password": "dateline-demo"})

    def csrf(self):
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def post(self, path, data):
        body = "&".join(f"{k}={v}" for k, v in {**data, "csrfmiddlewaretoken": self.csrf()}.items())
        request = urllib.request.Request(
            self.base + path, data=body.encode(), headers={"Referer": self.base + path}
        )
        return self.opener.open(request).read().decode()


def story_id(tier, slug):
    return tier.dateline(
        "shell",
        "--no-imports",
        "-c",
        "from dateline.articles.models import ArticlePage;"
        f"print(ArticlePage.objects.get(slug='{slug}').pk)",
    ).split()[-1]


def test_readers_on_pushpin_get_events_from_every_process_and_survive_app_restarts(tier):
    reader = SSEClient(tier.url + "/events/?channel=edition-en")
    assert reader.next_event(timeout=3) is None  # connected, nothing yet
    assert reader.status == 200

    story = story_id(tier, "subsea-cable-fault-cuts-pacific-internet")
    first, second = (Editor(f"http://127.0.0.1:{port}") for port in tier.app_ports)

    # An editor on the first app server marks a story as breaking …
    first.post(f"/admin/live/breaking/{story}/", {})
    kind, event_id, data = reader.next_event(timeout=3)
    assert kind == "breaking"
    assert json.loads(data)["headline"].startswith("Subsea Cable Fault")
    number = int(event_id.split(":")[1])

    # … one on the second ends it …
    second.post(f"/admin/live/breaking/{story}/", {})
    assert reader.next_event(timeout=3)[:2] == ("breaking-end", f"edition-en:{number + 1}")

    # … and a command publishes a story.
    (tier.var / "story.json").write_text(
        json.dumps(
            [
                {
                    "edition": "en",
                    "section": "world",
                    "slug": "pushpin-delivers",
                    "headline": "Relay Station Restored After Storm",
                    "body": [{"type": "paragraph", "text": "Power is back."}],
                }
            ]
        )
    )
    tier.dateline("load-stories", str(tier.var / "story.json"), "--publish")
    kind, event_id, data = reader.next_event(timeout=3)
    assert (kind, event_id) == ("story", f"edition-en:{number + 2}")
    assert json.loads(data)["headline"] == "Relay Station Restored After Storm"

    # Both app servers restart; the reader stays connected to Pushpin and gets the next event.
    tier.restart_apps()
    assert reader.is_open()
    tier.dateline(
        "shell",
        "--no-imports",
        "-c",
        "from dateline.live.models import BreakingNews;"
        "from dateline.articles.models import ArticlePage;"
        f"s = ArticlePage.objects.get(pk={story});"
        "BreakingNews.objects.create(story=s, edition=s.edition)",
    )
    assert reader.next_event(timeout=3)[:2] == ("breaking", f"edition-en:{number + 3}")
    reader.close()

    # A reader who reconnects through Pushpin with its last id gets what it missed.
    tier.dateline(
        "shell",
        "--no-imports",
        "-c",
        "from django.utils import timezone;"
        "from dateline.live.models import BreakingNews;"
        "[f.save() for f in BreakingNews.objects.active()]",
    )
    again = SSEClient(
        tier.url + "/events/?channel=edition-en", last_event_id=f"edition-en:{number + 2}"
    )
    assert again.next_event(timeout=3)[:2] == ("breaking", f"edition-en:{number + 3}")
    assert again.next_event(timeout=3)[:2] == ("breaking", f"edition-en:{number + 4}")
    again.close()


def test_a_forged_grip_signature_sent_straight_to_an_app_server_is_not_trusted(tier):
    port = tier.app_ports[0]
    for signature in ("forged", "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJwdXNocGluIn0.AAAA"):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/events/?channel=edition-en",
            headers={"Grip-Sig": signature},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)  # noqa: S310
        assert refused.value.code == 403
        assert "Grip-Hold" not in refused.value.headers
        assert "through the stream proxy" in refused.value.read().decode()


def test_pushpin_config_refuses_a_weak_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"PUSHPIN_URL", "PUSHPIN_KEY"}}
    env.update(DATELINE_DEMO="1", DATELINE_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [str(BIN / "dateline"), "pushpin-config", "--dir", str(tmp_path), "--key", "changeme"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "at least 16 characters" in result.stderr
    assert not (tmp_path / "pushpin.conf").exists()


def test_the_app_refuses_to_start_with_pushpin_but_no_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PUSHPIN_KEY"}
    env.update(
        DATELINE_DEMO="1", DATELINE_VAR_DIR=str(tmp_path), PUSHPIN_URL="http://127.0.0.1:5561"
    )
    result = subprocess.run(
        [str(BIN / "dateline"), "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert re.search(r"PUSHPIN_URL is set without PUSHPIN_KEY", result.stderr)
