"""The servers under test in benchmarks/live.py and the processes around them: the baseline
(benchmarks/live_baseline.py), the embedded tier (the app under uvicorn), the Pushpin tier
(Pushpin and zurl in front of the app), the command process that publishes
(benchmarks/live_publisher.py) and the demo editor who publishes from the newsroom.

Each tier starts its processes with a ``contextlib.ExitStack`` that stops them (or kills them)
when the measurement ends, however it ends. Everything listens on 127.0.0.1 only.
"""

import contextlib
import io
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


# --- processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_block(size: int = 4) -> int:
    """Return the first of ``size`` consecutive free ports (Pushpin's ZeroMQ ports)."""
    for _ in range(50):
        base = free_port()
        if base + size > 65535:
            continue
        with contextlib.ExitStack() as stack:
            try:
                for port in range(base, base + size):
                    sock = stack.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return base
    raise RuntimeError("no free block of ports")


def wait_for(url: str, process: subprocess.Popen, deadline: float = 90) -> None:
    limit = time.monotonic() + deadline
    while True:
        try:
            urllib.request.urlopen(url, timeout=10).read()  # noqa: S310 (127.0.0.1 only)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > limit:
                raise RuntimeError(f"{url} did not answer") from None
            time.sleep(0.2)


def rss(pid: int) -> int:
    """Return the resident memory of process ``pid`` in bytes."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def children(pid: int) -> dict[int, str]:
    """Return the processes whose parent is ``pid``, with their names."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            found[int(entry)] = name
    return found


class Pipe:
    """A helper process spoken to in JSON lines over its stdin and stdout."""

    def __init__(self, args: list[str], env: dict, log, timeout: float = 120):
        self.timeout = timeout
        self.process = subprocess.Popen(  # noqa: S603 (our own commands)
            args,
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )

    def read(self) -> dict:
        ready, _, _ = select.select([self.process.stdout], [], [], self.timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            raise RuntimeError(f"{self.process.args[:3]} did not answer")
        return json.loads(line)

    def send(self, **command) -> None:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def ask(self, **command) -> dict:
        self.send(**command)
        return self.read()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Editor:
    """The demo editor, signed in to an app server; each publish is one breaking news toggle."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str, story_id: int):
        self.base = base
        self.path = f"/admin/live/breaking/{story_id}/"
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect
        )
        self.opener.open(base + "/admin/login/", timeout=60).read()
        self._post("/admin/login/", {"username": "editor", "password": "dateline-demo"})
        self.publish()  # warm: the view, its templates, the first save

    def _post(self, path: str, data: dict) -> None:
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(  # noqa: S310 (127.0.0.1 only)
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        try:
            self.opener.open(request, timeout=60).read()
        except urllib.error.HTTPError as answer:
            if answer.code != 302:  # both the login and the toggle redirect when they succeed
                raise
        else:
            raise RuntimeError(f"POST {path} did not redirect: not signed in?")

    def publish(self) -> tuple[float, float]:
        start = time.monotonic()
        self._post(self.path, {})
        return start, time.monotonic()


# --- the servers under test


@dataclass
class Site:
    var: Path
    story_id: int
    payload: str
    log: io.TextIOBase
    env: dict = field(default_factory=dict)

    def python(self, module: str, *args: str, env: dict | None = None, **kwargs) -> Pipe:
        return Pipe([sys.executable, "-m", module, *args], env or self.env, self.log, **kwargs)


class Baseline:
    name = "baseline"
    ways = ("POST /publish",)

    def __init__(self, site: Site, stack: contextlib.ExitStack):
        self.server = site.python("benchmarks.live_baseline", site.payload)
        stack.callback(stop, self.server.process)
        self.port = self.server.read()["port"]

    def publish(self, way: str) -> tuple[float, float]:
        start = time.monotonic()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/publish", data=b"")
        urllib.request.urlopen(request, timeout=60).read()  # noqa: S310 (127.0.0.1 only)
        return start, time.monotonic()

    def memory(self) -> dict[str, int]:
        return {"server": rss(self.server.process.pid)}

    def alive(self) -> bool:
        return self.server.process.poll() is None


class Embedded:
    """The app's own stream server (dateline.live.hub) under one uvicorn process."""

    name = "embedded"
    ways = ("newsroom request", "command process")

    def __init__(
        self,
        site: Site,
        stack: contextlib.ExitStack,
        env: dict | None = None,
        app_port: int | None = None,
    ):
        env = env or site.env
        self.app_port = app_port or free_port()
        self.app = subprocess.Popen(  # noqa: S603 (our own commands)
            [
                str(BIN / "uvicorn"),
                "dateline.config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.app_port),
                "--no-access-log",
            ],
            env=env,
            cwd=ROOT,
            stdout=site.log,
            stderr=subprocess.STDOUT,
        )
        stack.callback(stop, self.app)
        self.port = self.app_port
        wait_for(f"http://127.0.0.1:{self.app_port}/robots.txt", self.app)
        self.publisher = site.python("benchmarks.live_publisher", str(site.story_id), env=env)
        stack.callback(stop, self.publisher.process)
        self.publisher.read()  # ready
        self.editor = Editor(f"http://127.0.0.1:{self.app_port}", site.story_id)

    def publish(self, way: str) -> tuple[float, float]:
        if way == "newsroom request":
            return self.editor.publish()
        answer = self.publisher.ask(op="publish")
        return answer["start"], answer["end"]

    def memory(self) -> dict[str, int]:
        return {"server": rss(self.app.pid)}

    def alive(self) -> bool:
        return self.app.poll() is None and self.publisher.process.poll() is None


class Production(Embedded):
    """Pushpin (condure, pushpin-proxy, pushpin-handler) and zurl in front of one app server,
    configured by `dateline pushpin-config`."""

    name = "pushpin"
    PUSHPIN_PROCESSES = ("condure", "pushpin-proxy", "pushpin-handler")

    def __init__(self, site: Site, stack: contextlib.ExitStack):
        directory = site.var / f"pushpin-{time.monotonic_ns()}"
        key = "bench-" + os.urandom(16).hex()
        self.http_port, publish_port, app_port = free_port(), free_port(), free_port()
        call_command(
            "pushpin-config",
            dir=str(directory),
            http_port=self.http_port,
            publish_port=publish_port,
            zmq_port=free_block(),
            app=[f"127.0.0.1:{app_port}"],
            key=key,
            stdout=io.StringIO(),
        )
        # Pushpin's own runner stops the processes it started; any it leaves are killed here.
        self.started: dict[int, str] = {}
        stack.callback(self._kill_leftovers)
        self.zurl = subprocess.Popen(  # noqa: S603 (our own commands)
            [shutil.which("zurl"), f"--config={directory / 'zurl.conf'}"],
            stdout=site.log,
            stderr=site.log,
        )
        stack.callback(stop, self.zurl)
        self.pushpin = subprocess.Popen(  # noqa: S603 (our own commands)
            [
                shutil.which("pushpin"),
                "--config",
                str(directory / "pushpin.conf"),
                "--merge-output",
            ],
            stdout=site.log,
            stderr=site.log,
        )
        stack.callback(stop, self.pushpin)
        env = {**site.env, "PUSHPIN_URL": f"http://127.0.0.1:{publish_port}", "PUSHPIN_KEY": key}
        super().__init__(site, stack, env, app_port)
        self.port = self.http_port
        wait_for(f"http://127.0.0.1:{self.http_port}/robots.txt", self.pushpin)
        self.started = children(self.pushpin.pid)

    def _kill_leftovers(self) -> None:
        for pid, name in self.started.items():
            with contextlib.suppress(OSError):
                if Path(f"/proc/{pid}/comm").read_text().strip() == name:
                    os.kill(pid, signal.SIGKILL)

    def memory(self) -> dict[str, int]:
        found = {
            name: rss(pid)
            for pid, name in children(self.pushpin.pid).items()
            if name in self.PUSHPIN_PROCESSES
        }
        if len(found) != len(self.PUSHPIN_PROCESSES):
            raise RuntimeError(f"Pushpin runs {sorted(found)}, not {self.PUSHPIN_PROCESSES}")
        return {**found, "zurl": rss(self.zurl.pid), "app": rss(self.app.pid)}

    def alive(self) -> bool:
        return super().alive() and self.pushpin.poll() is None and self.zurl.poll() is None


def tier_settings(var, database_url: str, workers: int):
    """The production tier's settings for a benchmark: ``var``, ``database_url`` and
    ``workers`` given, every port free, Redis not running yet (the tier starts it)."""
    from dateline.production.tier import Settings

    return Settings(
        var=var,
        database_url=database_url,
        redis_url=f"redis://127.0.0.1:{free_port()}/0",
        http_port=free_port(),
        https_port=free_port(),
        app_port=free_port(),
        workers=workers,
        pushpin_port=free_port(),
        publish_port=free_port(),
        zmq_port=free_block(),
        purge_port=free_port(),
    )


def session_script(username: str, *, staff: bool = False) -> str:
    """Python for ``dateline shell -c`` that signs ``username`` in (a reader with a profile,
    made if need be; a superuser when ``staff``) and prints the session cookie, as signing in
    through the site leaves it: for the tests and benchmarks of signed-in readers."""
    return (
        "from importlib import import_module\n"
        "from django.conf import settings\n"
        "from django.contrib import auth\n"
        "from dateline.accounts.models import ReaderProfile\n"
        f"user, _ = auth.get_user_model().objects.get_or_create(username={username!r})\n"
        f"user.is_staff = user.is_superuser = {staff!r}\n"
        "user.save()\n"
        "ReaderProfile.objects.get_or_create(\n"
        f"    user=user, defaults={{'display_name': {username!r}}})\n"
        "session = import_module(settings.SESSION_ENGINE).SessionStore()\n"
        "session[auth.SESSION_KEY] = str(user.pk)\n"
        "session[auth.BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]\n"
        "session[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "session.create()\n"
        "print(settings.SESSION_COOKIE_NAME + '=' + session.session_key)\n"
    )
