"""The live stream of the production tier under faults (issue 17, reliability).

Everything runs on 127.0.0.1: the production tier started by the same code as `make prod`
(dateline.production.tier: PostgreSQL in a throwaway database, Redis, Pushpin, nginx, two
uvicorn workers) with the demo content, and readers that behave like browsers' EventSource
(benchmarks/stream_readers.py: raw asyncio sockets in one thread, straight to Pushpin's HTTP
port; on a closed stream they reconnect with their last event id).

1. Stream opens per second through Pushpin, the same run: the opens answered by Django's
   middleware and django-eventstream's view (LIVE_LEAN_STREAM_OPENS=0, as before) and by the
   lean route in front of Django (dateline.live.grip), and the ratio.
2. The app servers restarted (all at once: the tier stops its uvicorn and starts it again)
   under READERS_APP readers on Pushpin, with events published before, during and after:
   readers dropped, and readers whose received ids are exactly the published sequence.
3. Redis killed (SIGKILL) and started again while wrk loads the home front through nginx and
   the readers hold their streams: non-2xx answers, dropped readers, exact sequences.
4. Pushpin restarted under READERS_PUSHPIN readers: seconds until every reader has its stream
   open again, and whether every reader has every event (those published while it was away
   come from the replay of its Last-Event-ID).
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.live_clients import raise_open_files_limit
from benchmarks.live_servers import tier_settings
from benchmarks.stream_readers import Fleet, summary
from dateline.production.tier import NEEDS, ProductionTier

WORKERS = 2
CHANNEL = "edition-en"
OPENS = int(os.environ.get("BENCH_STREAM_OPENS", "600"))
READERS_APP = int(os.environ.get("BENCH_READERS_APP", "2000"))
READERS_PUSHPIN = int(os.environ.get("BENCH_READERS_PUSHPIN", "5000"))
POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def publish(tier: ProductionTier, kind: str, count: int) -> None:
    tier.dateline(
        "shell",
        "-c",
        "from dateline.live.events import publish\n"
        f"for n in range({count}): publish({CHANNEL!r}, {kind!r}, {{'n': n}})\n",
    )


def published_ids(tier: ProductionTier, kind: str) -> list[str]:
    out = tier.dateline(
        "shell",
        "-c",
        "from django_eventstream.models import Event;"
        f"print(*Event.objects.filter(channel={CHANNEL!r}, type={kind!r})"
        ".order_by('eid').values_list('eid', flat=True))",
    )
    return [f"{CHANNEL}:{eid}" for eid in out.strip().splitlines()[-1].split()]


def open_rate(tier: ProductionTier, lean: bool) -> float:
    tier.env["LIVE_LEAN_STREAM_OPENS"] = "1" if lean else "0"
    tier.restart_app()
    fleet = Fleet(tier.s.pushpin_port, f"/events/?channel={CHANNEL}")
    try:
        fleet.open(20)  # the workers' first opens, not measured
        seconds = fleet.open(OPENS)
        failed = sum(bool(reader.errors) for reader in fleet.readers)
    finally:
        fleet.close()
    if failed:
        print(f"  ({failed} readers had errors while opening)")
    return OPENS / seconds


def report(fleet: Fleet, kind: str, expected: list[str], label: str) -> None:
    fleet.wait_received(len(expected), timeout=60)
    exact, wrong = summary(fleet.id_sequences(kind), expected)
    print(
        f"{label}: {len(fleet.readers)} readers, {len(expected)} events published; "
        f"exactly the published ids, in order: {exact}; not: {wrong}; "
        f"dropped streams: {fleet.drops()}",
        flush=True,
    )


def wrk_non_2xx(url: str, seconds: int) -> subprocess.Popen:
    argv = ["wrk", "-t1", "-c16", f"-d{seconds}s", url]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)  # noqa: S603


def run() -> None:
    missing = [program for program in (*NEEDS, "wrk") if shutil.which(program) is None]
    if missing:
        print(f"stream_faults: {', '.join(missing)} missing; nothing measured.")
        return
    import psycopg

    limit = raise_open_files_limit()
    if limit < READERS_PUSHPIN * 3:
        print(f"stream_faults: open files limited to {limit}; readers may fail to connect.")
    var = Path(tempfile.mkdtemp(prefix="dateline-bench-faults-"))
    name = f"dateline_bench_{secrets.token_hex(4)}"
    settings = tier_settings(var, POSTGRES.rsplit("/", 1)[0] + f"/{name}", WORKERS)
    tier = ProductionTier(settings, out=sys.stdout)
    fleet = None
    print(f"Starting the production tier in {var} (PostgreSQL database {name}) …", flush=True)
    try:
        tier.start(load_demo=True)

        print(f"\n1. Stream opens through Pushpin ({OPENS} readers, {WORKERS} app workers)")
        before = open_rate(tier, lean=False)
        after = open_rate(tier, lean=True)
        print(f"  through Django's middleware and view: {before:8.0f} opens/s")
        print(f"  lean route (dateline.live.grip):      {after:8.0f} opens/s")
        print(f"  ratio lean / Django: {after / before:.1f}", flush=True)

        print(f"\n2. App servers restarted (all at once) under {READERS_APP} readers")
        fleet = Fleet(tier.s.pushpin_port, f"/events/?channel={CHANNEL}")
        seconds = fleet.open(READERS_APP)
        print(f"  {READERS_APP} readers open in {seconds:.1f} s")
        kind = f"bench-app-{secrets.token_hex(3)}"
        publish(tier, kind, 5)
        tier.stop_app()
        publish(tier, kind, 5)
        tier.start_app()
        publish(tier, kind, 5)
        report(fleet, kind, published_ids(tier, kind), "  after the restart")

        print("\n3. Redis killed and started again under load (wrk -t1 -c16 on /en/ via nginx)")
        kind = f"bench-redis-{secrets.token_hex(3)}"
        load = wrk_non_2xx(settings.url + "/en/", 12)
        time.sleep(3)
        publish(tier, kind, 3)
        tier.kill_redis()
        publish(tier, kind, 3)
        time.sleep(3)
        tier.ensure_redis()
        publish(tier, kind, 3)
        output = load.communicate()[0]
        rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        errors = re.search(r"Socket errors: (.*)", output)
        print(
            f"  pages: {rate.group(1) if rate else '?'} req/s, non-2xx/3xx: "
            f"{bad.group(1) if bad else 0}, socket errors: {errors.group(1) if errors else 0}"
        )
        report(fleet, kind, published_ids(tier, kind), "  stream")

        more = READERS_PUSHPIN - len(fleet.readers)
        print(f"\n4. Pushpin restarted under {READERS_PUSHPIN} readers")
        if more > 0:
            seconds = fleet.open(more)
            print(f"  {more} more readers open in {seconds:.1f} s")
        kind = f"bench-pushpin-{secrets.token_hex(3)}"
        publish(tier, kind, 3)
        fleet.wait_received(3, timeout=60)
        drops = fleet.drops()
        restarted = time.monotonic()
        tier.restart_pushpin()
        answering = time.monotonic() - restarted
        print(f"  Pushpin stopped and answering again after {answering:.1f} s")
        publish(tier, kind, 3)
        back = fleet.wait_all_open(restarted, timeout=180)
        publish(tier, kind, 3)
        if back is None:
            reopened = sum(any(t > restarted for t in reader.opens) for reader in fleet.readers)
            print(f"  not all back within 180 s: {reopened} of {len(fleet.readers)}")
        else:
            print(
                f"  every reader back {back:.1f} s after the restart began, "
                f"{back - answering:.1f} s after Pushpin answered again"
            )
        print(f"  readers that reconnected: {fleet.drops() - drops}")
        report(fleet, kind, published_ids(tier, kind), "  after the restart")
    finally:
        if fleet is not None:
            fleet.close()
        tier.stop()
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(var, ignore_errors=True)
