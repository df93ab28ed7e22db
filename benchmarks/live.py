"""Live stream delivery: one event to N idle Server-Sent Events clients.

Three servers, each started afresh for each N, on 127.0.0.1:

- baseline: a minimal asyncio SSE server (benchmarks/live_baseline.py) that writes the event
  to every open stream when it receives ``POST /publish``;
- embedded: the app under uvicorn, its streams served by dateline.live.hub (SQLite);
- pushpin: Pushpin and its zurl in front of one uvicorn app server, which publishes to it.

The N clients run in their own process (benchmarks/live_clients.py). Each tier publishes by the
ways an event really starts: an editor's request to the app server (the newsroom's breaking news
toggle, POST /admin/live/breaking/<id>/) and a separate Django process (as a command or the
scheduler does; benchmarks/live_publisher.py). In the embedded tier the second way is seen
by the app server only on its next look at the event log, every 0.25 s.

Latency is the client's receive time minus the time just before the publish started. Both are
``time.monotonic()``, read in different processes: on Linux that is CLOCK_MONOTONIC, one clock
for the whole machine, so they subtract directly. The receive time is when the client process
got to the bytes, so the clients' own work is in every figure, the baseline's included.

Memory per connection is the growth in resident memory (VmRSS) of the server's processes from
before the N streams opened (after a warm-up stream and one event by each path) to after the
last event, divided by N: the app server for the embedded tier; condure, pushpin-proxy,
pushpin-handler and zurl, and separately the app server, for the Pushpin tier.

Pushpin refreshes held streams' next links with the app every two minutes, many at once, and
an event published meanwhile waits for a stream's refresh. The rounds are kept clear of the
first refresh after the streams opened, and the refreshes logged during them are counted and
reported under the table.

A tier's series stops at the first N where a stream does not open, an event does not reach
every open stream within DELIVERY_TIMEOUT, or the server closes more than 1 % of the streams
(fewer are reported under the table: a browser would reconnect).
"""

import contextlib
import io
import json
import math
import os
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.utils import timezone

from benchmarks.live_clients import raise_open_files_limit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SIZES = (100, 1000, 5000)
ROUNDS = 3  # events per way of publishing, per N
DELIVERY_TIMEOUT = 15.0
# A size fails when more than this share of its streams fail to open or are closed.
MAX_CLOSED_SHARE = 0.01
# Pushpin asks the app for each held stream's next link this often (its default, as
# django-eventstream's Grip-Link gives no timeout), many streams at once; an event published
# meanwhile waits for a stream's refresh. The rounds are kept clear of the first refresh after
# the streams opened, and the refreshes logged during them are counted.
PUSHPIN_REFRESH_SECONDS = 120
# What one event by one way is given, at most, when the rounds are fitted before a refresh.
ROUND_ALLOWANCE = 3.0
# Streams not open this long after the first are counted as failed.
CONNECT_DEADLINE = 240.0
STREAM_PATH = "/events/?channel=edition-en"


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

    def ask(self, **command) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
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


# --- one measurement


@dataclass
class Row:
    tier: str
    way: str
    size: int
    latencies: list[float] = field(default_factory=list)
    publish_times: list[float] = field(default_factory=list)
    memory: dict[str, float] = field(default_factory=dict)  # bytes per connection
    open_rate: float = 0.0  # streams opened per second
    notes: list[str] = field(default_factory=list)  # printed under the table
    failure: str = ""

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    @property
    def p50(self) -> float:
        return self.percentile(0.50)

    @property
    def p99(self) -> float:
        return self.percentile(0.99)

    @property
    def publish(self) -> float:
        return statistics.median(self.publish_times)

    @property
    def per_connection(self) -> float:
        return sum(self.memory.values())

    @property
    def proxy_memory(self) -> float:
        """Bytes per connection in the processes in front of the app (Pushpin's, zurl)."""
        return sum(value for name, value in self.memory.items() if name != "app")


class Failed(Exception):
    pass


def count_refreshes(log: str, start: int) -> int:
    """Return how many next-link refreshes Pushpin logged in ``log`` after offset ``start``."""
    with open(log, "rb") as lines:
        lines.seek(start)
        return sum(b"[handler] GET" in line and b"link=next" in line for line in lines)


def deliver(
    tier, clients: Pipe, way: str, size: int, timeout: float = DELIVERY_TIMEOUT
) -> tuple[list[float], float, int]:
    """Publish one event by ``way``; return each open stream's latency, the publish's duration
    and how many streams the server has closed since they opened (a page reconnects, see
    dateline/static/dateline/live.js, so a few are reported, not failed)."""
    clients.ask(op="arm")
    start, end = tier.publish(way)
    answer = clients.ask(op="collect", timeout=timeout)
    if answer["missing"]:
        raise Failed(
            f"{answer['missing']:,} of {size:,} streams had no event "
            f"{timeout:.0f} s after the publish"
        )
    if answer["closed"] > size * MAX_CLOSED_SHARE:
        raise Failed(f"the server closed {answer['closed']:,} of {size:,} streams")
    return [received - start for received in answer["times"]], end - start, answer["closed"]


def measure(tier_class, site: Site, size: int) -> list[Row]:
    rows = [Row(tier_class.name, way, size) for way in tier_class.ways]
    with contextlib.ExitStack() as stack:
        try:
            tier = tier_class(site, stack)
            clients = site.python("benchmarks.live_clients", timeout=CONNECT_DEADLINE + 60)
            stack.callback(stop, clients.process)
            # Warm up: one stream, one event by each way, so that what the first event loads
            # is not counted per connection.
            clients.ask(op="connect", port=tier.port, path=STREAM_PATH, n=1)
            for way in tier.ways:
                deliver(tier, clients, way, 1)
            clients.ask(op="close")
            time.sleep(1)
            before = tier.memory()
            opened = clients.ask(
                op="connect", port=tier.port, path=STREAM_PATH, n=size, deadline=CONNECT_DEADLINE
            )
            for row in rows:
                row.open_rate = opened["connected"] / opened["seconds"]
            if opened["failed"] > size * MAX_CLOSED_SHARE:
                raise Failed(
                    f"{opened['connected']:,} of {size:,} streams opened ({opened['error']})"
                )
            if opened["failed"]:
                rows[0].notes.append(
                    f"{opened['failed']:,} of the {size:,} streams did not open "
                    f"({opened['error']}); the figures are over the others."
                )
            time.sleep(0.5)
            if tier_class is Production:
                refresh_at = opened["first_open"] + PUSHPIN_REFRESH_SECONDS
                rounds_end = time.monotonic() + ROUND_ALLOWANCE * ROUNDS * len(rows)
                if rounds_end > refresh_at - 5:
                    # Let the refresh pass (about 1 s per 300 streams here; 1 s per 200 allowed).
                    time.sleep(max(0.0, refresh_at + 5 + size / 200 - time.monotonic()))
            log_start = os.path.getsize(site.log.name)
            for _ in range(ROUNDS):
                for row in rows:
                    latencies, duration, closed = deliver(tier, clients, row.way, size)
                    row.latencies += latencies
                    row.publish_times.append(duration)
                    time.sleep(0.3)
            after = tier.memory()
            for row in rows:
                row.memory = {
                    name: (after[name] - before[name]) / opened["connected"] for name in after
                }
            if closed:
                rows[0].notes.append(
                    f"the server closed {closed:,} of the open streams before the last event; "
                    "the figures are over the others."
                )
            if tier_class is Production:
                time.sleep(1)  # Pushpin logs a refresh when the app has answered it
                refreshed = count_refreshes(site.log.name, log_start)
                if refreshed:
                    rows[0].notes.append(
                        f"Pushpin refreshed {refreshed:,} streams' next links during the "
                        "rounds; events published meanwhile waited for them."
                    )
        except (Failed, RuntimeError, OSError) as error:
            reason = str(error)
            if "tier" in locals() and not tier.alive():
                reason += " (a server process died)"
            for row in rows:
                row.failure = f"failed: {reason}"
    return rows


# --- the run


def prepare(var: Path) -> Site:
    from dateline.articles.models import ArticlePage
    from dateline.live.models import BreakingNews
    from dateline.live.newsfeed import story_item

    story = (
        ArticlePage.objects.live()
        .filter(locale__language_code="en")
        .select_related("edition")
        .order_by("pk")
        .first()
    )
    assert story.edition.language_code == "en", "the streams follow the English edition"
    # No other story is breaking, so that each toggle sends exactly one event.
    BreakingNews.objects.active().filter(edition=story.edition).update(ended_at=timezone.now())
    payload = json.dumps({"flag": 1, **story_item(story)}, cls=DjangoJSONEncoder)
    connections.close_all()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "PUSHPIN_URL", "PUSHPIN_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        DATELINE_VAR_DIR=str(var),
        DATELINE_DEMO="1",
        DJANGO_SETTINGS_MODULE="dateline.config.settings",
        PYTHONPATH=str(ROOT),
    )
    log = (var / "live-bench.log").open("a")
    return Site(var=var, story_id=story.pk, payload=payload, log=log, env=env)


def cell(value: float, reference: float | None, digits: int = 1) -> str:
    """Return ``value`` with its ratio to the baseline's, as "12.3 (4.5×)"."""
    ratio = f" ({value / reference:.1f}×)" if reference else ""
    return f"{value:.{digits}f}{ratio}"


def report(rows: list[Row]) -> None:
    print()
    print(
        "Live stream: one event to N idle SSE clients in another process "
        f"({ROUNDS} events per way of publishing; ratios against the baseline at the same N)"
    )
    columns = "{:>5}  {:<9} {:<17} {:>14} {:>15} {:>15} {:>18} {:>9}"
    print(
        columns.format(
            "N", "tier", "publish from", "p50 ms", "p99 ms", "publish ms", "KB/conn", "opened/s"
        )
    )
    rows = sorted(rows, key=lambda row: row.size)  # stable: tiers in run order within each N
    baselines = {row.size: row for row in rows if row.tier == "baseline" and not row.failure}
    for row in rows:
        lead = f"{row.size:>5}  {row.tier:<9} {row.way:<17}"
        if row.failure:
            print(f"{lead} {row.failure}")
            continue
        base = baselines.get(row.size)
        memory = f"{row.per_connection / 1024:.1f}"
        if "app" in row.memory:  # Pushpin's processes and zurl + the app server
            memory = f"{row.proxy_memory / 1024:.1f}+{row.memory['app'] / 1024:.1f}"
        if base and base.per_connection:
            memory += f" ({row.per_connection / base.per_connection:.1f}×)"
        print(
            columns.format(
                row.size,
                row.tier,
                row.way,
                cell(row.p50 * 1000, base and base.p50 * 1000),
                cell(row.p99 * 1000, base and base.p99 * 1000),
                cell(row.publish * 1000, base and base.publish * 1000),
                memory,
                f"{row.open_rate:.0f}",
            )
        )
    print(
        "Latency: client receive time − time just before the publish started (p50, p99 over "
        "all clients and events). Publish: the publishing request or call, median. KB/conn: "
        "growth in resident memory per open stream (Pushpin tier: Pushpin's processes and zurl "
        "+ the app server). opened/s: streams opened per second, 100 at a time."
    )
    for row in rows:
        for note in row.notes:
            print(f"{row.tier} at {row.size:,}: {note}")
    shown = set()
    for row in rows:
        if "app" in row.memory and row.size not in shown:
            shown.add(row.size)
            parts = ", ".join(f"{name} {value / 1024:.1f}" for name, value in row.memory.items())
            print(f"KB/conn in each process of the Pushpin tier at {row.size:,}: {parts}")


def run(sizes=SIZES) -> None:
    """Measure every tier at each of ``sizes`` against the demo site set up in VAR_DIR."""
    missing = [name for name in ("pushpin", "zurl", "condure") if shutil.which(name) is None]
    limit = raise_open_files_limit()
    site = prepare(Path(settings.VAR_DIR))
    tiers = [Baseline, Embedded] + ([] if missing else [Production])
    rows: list[Row] = []
    started = time.monotonic()
    with site.log:
        measure_all(tiers, sizes, site, limit, rows)
    report(rows)
    if missing:
        print(f"Pushpin tier not run: {', '.join(missing)} missing (apt-get install pushpin).")
    print(f"({time.monotonic() - started:.0f} s; the servers' output is in {site.log.name})")


def measure_all(tiers, sizes, site: Site, limit: int, rows: list[Row]) -> None:
    for tier_class in tiers:
        stopped_at = 0
        for size in sizes:
            if stopped_at:
                rows.append(
                    Row(tier_class.name, "-", size, failure=f"not run: failed at {stopped_at:,}")
                )
                continue
            # Each stream takes a descriptor in the client process and one (Pushpin: two) in
            # the server's; the listening sockets and the rest need some room too.
            if size + 100 > limit:
                rows.append(Row(tier_class.name, "-", size, failure="open files limit too low"))
                stopped_at = size
                continue
            print(f"  {tier_class.name}, {size:,} clients …", flush=True)
            measured = measure(tier_class, site, size)
            rows += measured
            if any(row.failure for row in measured):
                stopped_at = size
