"""Live stream delivery: one event to N idle Server-Sent Events clients.

Three servers, each started afresh for each N, on 127.0.0.1:

- baseline: a minimal asyncio SSE server (benchmarks/live_baseline.py) that writes the event
  to every open stream when it receives ``POST /publish``;
- embedded: the app under uvicorn, its streams served by dateline.live.hub (SQLite);
- pushpin: Pushpin and its zurl in front of one uvicorn app server, which publishes to it.

The N clients run in their own process (benchmarks/live_clients.py). Each tier publishes by the
ways an event really starts: an editor's request to the app server (the newsroom's breaking news
toggle, POST /admin/live/breaking/<id>/) and a separate Django process (as a command or the
scheduler does; benchmarks/live_publisher.py). In the embedded tier the second way wakes the
app server through the doorbell (dateline.live.doorbell: a datagram on SQLite).

Latency is the client's receive time minus the time just before the publish started. Both are
``time.monotonic()``, read in different processes: on Linux that is CLOCK_MONOTONIC, one clock
for the whole machine, so they subtract directly. The receive time is when the client process
got to the bytes, so the clients' own work is in every figure, the baseline's included.

Memory per connection is the growth in resident memory (VmRSS) of the server's processes from
before the N streams opened (after a warm-up stream and one event by each path) to after the
last event, divided by N: the app server for the embedded tier; condure, pushpin-proxy,
pushpin-handler and zurl, and separately the app server, for the Pushpin tier.

Pushpin refreshes held streams' next links with the app (every 50 minutes: the app gives the
link that timeout), many at once, and an event published meanwhile waits for a stream's
refresh. The rounds are kept clear of the first refresh after the streams opened, and the
refreshes logged during them are counted and reported under the table.

The clients are split among processes of at most CLIENTS_PER_PROCESS streams each (10,000
readers: two), so that no one client process's loop is what the figures measure.

``BENCH_LIVE_SIZES`` (e.g. ``5000,10000``) and ``BENCH_LIVE_TIERS`` (e.g.
``baseline,pushpin``) choose what runs; by default every tier at 100, 1,000, 5,000 and
10,000 readers.

A tier's series stops at the first N where a stream does not open, an event does not reach
every open stream within DELIVERY_TIMEOUT, or the server closes more than 1 % of the streams
(fewer are reported under the table: a browser would reconnect).
"""

import contextlib
import json
import math
import os
import random
import shutil
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.utils import timezone

from benchmarks.live_clients import CONNECTING_AT_ONCE
from benchmarks.live_servers import ROOT, Baseline, Embedded, Pipe, Production, Site, stop
from dateline.live.grip import NEXT_LINK_REFRESH_SECONDS
from dateline.production.tier import raise_open_files_limit

SIZES = tuple(
    int(size) for size in os.environ.get("BENCH_LIVE_SIZES", "100,1000,5000,10000").split(",")
)
TIERS = os.environ.get("BENCH_LIVE_TIERS", "baseline,embedded,pushpin").split(",")
ROUNDS = 3  # events per way of publishing, per N
DELIVERY_TIMEOUT = 15.0
# A size fails when more than this share of its streams fail to open or are closed.
MAX_CLOSED_SHARE = 0.01
# Pushpin asks the app for each held stream's next link this often, many streams at once; an
# event published meanwhile waits for a stream's refresh. The rounds are kept clear of the
# first refresh after the streams opened, and the refreshes logged during them are counted.
PUSHPIN_REFRESH_SECONDS = NEXT_LINK_REFRESH_SECONDS
# What one event by one way is given, at most, when the rounds are fitted before a refresh.
ROUND_ALLOWANCE = 3.0
# Streams not open this long after the first are counted as failed.
CONNECT_DEADLINE = 240.0
CLIENTS_PER_PROCESS = 5000
STREAM_PATH = "/events/?channel=edition-en"


# --- the clients


class Clients:
    """The processes of benchmarks/live_clients.py that one measurement's streams are split
    among, spoken to as one: each command goes to all of them at once, and their answers are
    merged."""

    def __init__(self, site: Site, stack: contextlib.ExitStack, processes: int):
        self.pipes: list[Pipe] = []
        for _ in range(processes):
            pipe = site.python("benchmarks.live_clients", timeout=CONNECT_DEADLINE + 60)
            stack.callback(stop, pipe.process)
            self.pipes.append(pipe)

    def _each(self, commands: list[dict]) -> list[dict]:
        for pipe, command in zip(self.pipes, commands, strict=True):
            pipe.send(**command)
        return [pipe.read() for pipe in self.pipes]

    def connect(self, n: int, **command) -> dict:
        count = len(self.pipes)
        shares = [n // count + (index < n % count) for index in range(count)]
        # 100 opens at a time in all, as one process did: at 200 at a time pushpin-proxy
        # answered 502 at once to 87 of 10,000 opens, which never reached zurl.
        command["at_once"] = CONNECTING_AT_ONCE // count
        answers = [
            answer
            for answer, share in zip(
                self._each([{"op": "connect", "n": share, **command} for share in shares]),
                shares,
                strict=True,
            )
            if share
        ]
        starts = [answer["first_open"] for answer in answers if answer["first_open"] is not None]
        return {
            "connected": sum(answer["connected"] for answer in answers),
            "failed": sum(answer["failed"] for answer in answers),
            "error": next((answer["error"] for answer in answers if answer["error"]), ""),
            "seconds": max(answer["seconds"] for answer in answers),
            "first_open": min(starts) if starts else None,
        }

    def arm(self) -> None:
        self._each([{"op": "arm"}] * len(self.pipes))

    def collect(self, timeout: float) -> dict:
        answers = self._each([{"op": "collect", "timeout": timeout}] * len(self.pipes))
        return {
            "times": [received for answer in answers for received in answer["times"]],
            "missing": sum(answer["missing"] for answer in answers),
            "closed": sum(answer["closed"] for answer in answers),
        }

    def close(self) -> None:
        self._each([{"op": "close"}] * len(self.pipes))


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
    tier, clients: Clients, way: str, size: int, timeout: float = DELIVERY_TIMEOUT
) -> tuple[list[float], float, int]:
    """Publish one event by ``way``; return each open stream's latency, the publish's duration
    and how many streams the server has closed since they opened (a page reconnects, see
    dateline/static/dateline/live.js, so a few are reported, not failed)."""
    clients.arm()
    start, end = tier.publish(way)
    answer = clients.collect(timeout)
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
            clients = Clients(site, stack, math.ceil(size / CLIENTS_PER_PROCESS))
            # Warm up: one stream, one event by each way, so that what the first event loads
            # is not counted per connection.
            clients.connect(1, port=tier.port, path=STREAM_PATH)
            for way in tier.ways:
                deliver(tier, clients, way, 1)
            clients.close()
            time.sleep(1)
            before = tier.memory()
            opened = clients.connect(
                size, port=tier.port, path=STREAM_PATH, deadline=CONNECT_DEADLINE
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
                    # A random pause, so that events fall anywhere in the embedded tier's
                    # 0.25 s poll, not always at the same point of it.
                    time.sleep(0.3 + random.uniform(0, 0.25))
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
    tiers = [
        tier
        for tier in [Baseline, Embedded] + ([] if missing else [Production])
        if tier.name in TIERS
    ]
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
