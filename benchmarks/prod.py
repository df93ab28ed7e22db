"""The production tier and the page cache (issue 10's benchmarks 1, 3 and 6).

Everything runs on 127.0.0.1 in this run: the production tier started by the same code as
`make prod` (dateline.production.tier: PostgreSQL in a throwaway database, Redis, Pushpin,
nginx, two uvicorn workers) with the demo content, and beside it, over the same database, the
embedded tier's app server (two uvicorn workers, the ASGI page cache in front of Django), the
same server with the page cache off, and a bare ASGI app answering the page's bytes.

1. Cached article page: requests per second from wrk (2 threads, 64 connections, 10 s each)
   against nginx serving the same bytes as a static file with the same number of worker
   processes (2), the ceiling: over HTTPS for the production tier (nginx's page cache), over
   plain HTTP for the app servers.
3. Publish to visible: a separate process publishes a story (as the scheduler or a command
   does); pollers read the home front every 10 ms through nginx (whose copy the app's workers
   purge), from the embedded tier and from the server without page cache (the baseline: one
   render of the front from the database), and note when the headline appears. The time is
   from the commit of the publishing transaction to the first answer that shows it.
6. Resident memory (VmRSS) per worker process, read at the end of each load run.

Issue 18 adds, in the same load runs: a signed-in reader's article (a real session cookie and
the CSRF cookie) against the anonymous cached hit, and conditional requests answered 304 (the
page's own ETag in If-None-Match) against the full hit, through nginx and in the embedded
tier. Before issue 18 a signed-in reader was rendered by Django every time (the "page cache
off" row is that figure) and a conditional request got the full page (the hit's row).
"""

import http.client
import json
import math
import os
import re
import secrets
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.live_servers import free_port, session_script, tier_settings
from dateline.production.tier import BIN, NEEDS, ProductionTier

WORKERS = 2
DURATION = 10
CONNECTIONS = 64
PUBLISHES = 20
POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def get(url: str, headers=None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (127.0.0.1 only)
    with urllib.request.urlopen(request, timeout=30, context=_context()) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:  # ended since it was listed
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def wrk(url: str, workers: list[int], headers=()) -> tuple[float, float]:
    """Return requests per second and the mean RSS of ``workers`` (MB) at the end of the run."""
    argv = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s"]
    for header in headers:
        argv += ["-H", header]
    process = subprocess.Popen([*argv, url], stdout=subprocess.PIPE, text=True)  # noqa: S603
    time.sleep(DURATION - 1)
    # nginx's cache loader is one of its children for its first minute only.
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    memory = statistics.mean(rss_mb(pid) for pid in alive) if alive else 0.0
    output = process.communicate()[0]
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if match is None or errors:
        raise RuntimeError(f"wrk against {url} failed:\n{output}")
    print(f"  {url} {' '.join(headers)[:60]}: {float(match.group(1)):.0f} req/s", flush=True)
    return float(match.group(1)), memory


class Server:
    def __init__(self, argv, env, cwd, port):
        self.port = port
        self.process = subprocess.Popen(  # noqa: S603
            argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"http://127.0.0.1:{port}/robots.txt", {"X-Forwarded-Proto": "https"})
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{argv[0]} did not start on {port}") from None
                time.sleep(0.2)

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


def uvicorn(app: str, env: dict, cwd: Path) -> Server:
    port = free_port()
    argv = [str(BIN / "uvicorn"), app, "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", str(WORKERS), "--no-access-log", "--log-level", "warning"]
    return Server(argv, env, cwd, port)


def static_nginx(directory: Path, body_file: Path) -> Server:
    """nginx on plain HTTP serving the directory of ``body_file``, with WORKERS workers."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = directory / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes {WORKERS};\npid {directory}/nginx.pid;\ndaemon off;\n"
        f"error_log {directory}/error.log warn;\nevents {{ worker_connections 8192; }}\n"
        f"http {{ access_log off; sendfile on; keepalive_requests 100000;\n"
        f"  client_body_temp_path {directory}; proxy_temp_path {directory};\n"
        f"  fastcgi_temp_path {directory}; uwsgi_temp_path {directory};\n"
        f"  scgi_temp_path {directory};\n"
        f"  server {{ listen 127.0.0.1:{port}; default_type text/html;\n"
        f"    root {body_file.parent}; }} }}\n"
    )
    return Server(["nginx", "-c", str(conf), "-p", str(directory)], None, directory, port)


def nginx_workers(tier_dir: Path) -> list[int]:
    return children(int((tier_dir / "nginx.pid").read_text()))


def publish_and_watch(tier: ProductionTier, fronts: dict[str, str], n: int) -> dict[str, float]:
    """Publish one story from a separate process; return per front the seconds from the end of
    its publishing to the first answer showing it."""
    headline = f"Benchmark Story {n} {secrets.token_hex(3)}"
    seen: dict[str, float] = {}
    stop = threading.Event()

    def watch(name, url):
        parts = urllib.parse.urlsplit(url)
        make = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        kwargs = {"context": _context()} if parts.scheme == "https" else {}
        connection = make(parts.hostname, parts.port, timeout=10, **kwargs)
        headers = {"X-Forwarded-Proto": "https"}
        while not stop.is_set():
            connection.request("GET", parts.path, headers=headers)
            body = connection.getresponse().read()
            if headline.encode() in body:
                seen[name] = time.monotonic()
                return
            time.sleep(0.01)

    threads = [threading.Thread(target=watch, args=item) for item in fronts.items()]
    for thread in threads:
        thread.start()
    story = [
        {
            "edition": "en",
            "section": "world",
            "slug": f"benchmark-story-{n}-{secrets.token_hex(3)}",
            "headline": headline,
            "body": [{"type": "paragraph", "text": "Text."}],
        }
    ]
    path = tier.s.var / f"bench-{n}.json"
    path.write_text(json.dumps(story))
    # The clock starts when the publishing transaction commits: the first of its after-commit
    # callbacks (registered before the story's own: purges, live events) notes the time.
    code = (
        "import time; from django.db import transaction;"
        "from django.core.management import call_command;\n"
        "with transaction.atomic():\n"
        "    transaction.on_commit(lambda: print('published', time.monotonic()))\n"
        f"    call_command('load-stories', {str(path)!r}, '--publish', verbosity=0)\n"
    )
    published = float(tier.dateline("shell", "-c", code).split()[-1])
    deadline = time.monotonic() + 30
    for thread in threads:
        thread.join(max(0.1, deadline - time.monotonic()))
    stop.set()
    return {name: seen[name] - published for name in fronts if name in seen}


def run() -> None:
    missing = [program for program in (*NEEDS, "wrk") if shutil.which(program) is None]
    if missing:
        print(f"prod: {', '.join(missing)} missing; nothing measured.")
        return
    import psycopg

    var = Path(tempfile.mkdtemp(prefix="dateline-bench-prod-"))
    name = f"dateline_bench_{secrets.token_hex(4)}"
    settings = tier_settings(var, POSTGRES.rsplit("/", 1)[0] + f"/{name}", WORKERS)
    tier = ProductionTier(settings, out=sys.stdout)
    servers: list[Server] = []
    print(f"Starting the production tier in {var} (PostgreSQL database {name}) …", flush=True)
    try:
        tier.start(load_demo=True)
        article = tier.dateline(
            "shell",
            "-c",
            "from dateline.articles.models import ArticlePage;"
            "print(ArticlePage.objects.visible().order_by('-published_at')[0].get_url())",
        ).split()[-1]
        article = urllib.parse.urlsplit(article).path
        prod_url = settings.url + article
        get(prod_url)
        _, headers, body = get(prod_url)
        body_file = var / "article.html"
        body_file.write_bytes(body)
        shutil.copy(body_file, tier.dir / "nginx" / "static-check.html")
        static_https = settings.url + "/.well-known/dateline-static-check.html"
        assert get(static_https)[2] == body

        env = {**tier.env, "DATELINE_BENCH_FILE": str(body_file)}
        embedded = uvicorn("dateline.config.asgi:application", env, var)
        uncached = uvicorn("dateline.config.asgi:application", {**env, "PAGE_CACHE": "0"}, var)
        bare = uvicorn("benchmarks.prod_baseline:application", env, Path.cwd())
        plain = static_nginx(var / "static-nginx", body_file)
        servers += [embedded, uncached, bare, plain]
        proto = ("X-Forwarded-Proto: https",)
        for server in (embedded, uncached):
            url = f"http://127.0.0.1:{server.port}{article}"
            get(url, {"X-Forwarded-Proto": "https"})
            get(url, {"X-Forwarded-Proto": "https"})
        print(f"Load: wrk -t2 -c{CONNECTIONS} -d{DURATION}s on {article} …", flush=True)
        rows = []
        ceiling_https, nginx_mb = wrk(static_https, nginx_workers(tier.dir / "nginx"))
        rows.append(("HTTPS nginx static file (ceiling)", ceiling_https, 1.0, nginx_mb))
        rate, app_mb = wrk(prod_url, children(tier.app.pid))
        rows.append(("HTTPS production tier (nginx cache)", rate, rate / ceiling_https, app_mb))
        anonymous_https = rate
        cookie = tier.dateline("shell", "-c", session_script("bench-reader")).split()[-1]
        signed_in = (f"Cookie: {cookie}; csrftoken=abcdefghijklmnopqrstuvwxyz012345",)
        assert get(prod_url, {"Cookie": signed_in[0][8:]})[2] == body
        etag = next(value for name, value in headers.items() if name.lower() == "etag")
        extra_rows = []
        rate, _ = wrk(prod_url, children(tier.app.pid), signed_in)
        extra_rows.append(("HTTPS nginx, signed-in reader", rate, rate / anonymous_https))
        rate, _ = wrk(prod_url, children(tier.app.pid), (f"If-None-Match: {etag}",))
        extra_rows.append(("HTTPS nginx, 304 (If-None-Match)", rate, rate / anonymous_https))
        static_http = f"http://127.0.0.1:{plain.port}/{body_file.name}"
        assert get(static_http)[2] == body
        ceiling, plain_mb = wrk(static_http, plain.workers())
        rows.append(("HTTP nginx static file (ceiling)", ceiling, 1.0, plain_mb))
        rate, mb = wrk(f"http://127.0.0.1:{bare.port}/", bare.workers())
        rows.append(("HTTP bare ASGI app, same bytes", rate, rate / ceiling, mb))
        url = f"http://127.0.0.1:{embedded.port}{article}"
        rate, mb = wrk(url, embedded.workers(), proto)
        rows.append(("HTTP embedded tier (ASGI page cache)", rate, rate / ceiling, mb))
        anonymous_http = rate
        rate, _ = wrk(url, embedded.workers(), (*proto, *signed_in))
        extra_rows.append(("HTTP embedded, signed-in reader", rate, rate / anonymous_http))
        rate, _ = wrk(url, embedded.workers(), (*proto, f"If-None-Match: {etag}"))
        extra_rows.append(("HTTP embedded, 304 (If-None-Match)", rate, rate / anonymous_http))
        rate, _ = wrk(url, embedded.workers(), (*proto, "Accept-Encoding: gzip, br"))
        extra_rows.append(("HTTP embedded, brotli bytes", rate, rate / anonymous_http))
        url = f"http://127.0.0.1:{uncached.port}{article}"
        rate, mb = wrk(url, uncached.workers(), proto)
        rows.append(("HTTP app, page cache off (Django)", rate, rate / ceiling, mb))

        print()
        print(
            f"Cached article page ({len(body):,} bytes), {WORKERS} worker processes each, "
            f"wrk -t2 -c{CONNECTIONS} -d{DURATION}s, 127.0.0.1"
        )
        print(f"{'server':<38} {'req/s':>9} {'vs ceiling':>11} {'RSS/worker MB':>14}")
        for label, rate, ratio, mb in rows:
            print(f"{label:<38} {rate:>9.0f} {ratio:>11.3f} {mb:>14.1f}")
        print("(RSS of the production tier's row: its uvicorn workers; of the ceilings: nginx's.)")
        print()
        print("Signed-in readers and conditional requests (issue 18), the same article")
        print(f"{'request':<38} {'req/s':>9} {'vs anonymous hit':>17}")
        for label, rate, ratio in extra_rows:
            print(f"{label:<38} {rate:>9.0f} {ratio:>17.3f}")
        print(
            "(Goal: a signed-in reader within 2x of the anonymous hit, i.e. ratio >= 0.5. Before "
            "issue 18 a signed-in reader got the 'page cache off' row and a 304 the full hit.)"
        )

        fronts = {
            "production tier (nginx)": settings.url + "/en/",
            "embedded tier (page cache)": f"http://127.0.0.1:{embedded.port}/en/",
            "page cache off (baseline)": f"http://127.0.0.1:{uncached.port}/en/",
        }
        for url in fronts.values():
            get(url, {"X-Forwarded-Proto": "https"})
        results: dict[str, list[float]] = {name: [] for name in fronts}
        for n in range(PUBLISHES):
            for front, seconds in publish_and_watch(tier, fronts, n).items():
                results[front].append(seconds)
        print()
        print(f"Publish to visible on the home front ({PUBLISHES} stories, polled every 10 ms)")
        print(
            f"{'front':<30} {'seen':>5} {'median s':>9} {'p95 s':>7} {'max s':>7} "
            f"{'vs baseline':>12}"
        )
        base = statistics.median(results["page cache off (baseline)"] or [float("nan")])
        for front, times in results.items():
            if not times:
                print(f"{front:<30} {0:>5} {'-':>9} {'-':>7} {'-':>7} {'-':>12}")
                continue
            median = statistics.median(times)
            p95 = sorted(times)[math.ceil(0.95 * len(times)) - 1]
            print(
                f"{front:<30} {len(times):>5} {median:>9.3f} {p95:>7.3f} {max(times):>7.3f} "
                f"{median / base if base > 0 else float('nan'):>12.1f}"
            )
        print(
            "(The workers purge nginx's copy when they read the purge log, every 0.25 s; nginx "
            "keeps a page 1 s at most.)"
        )
    finally:
        for server in servers:
            server.stop()
        tier.stop()
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(var, ignore_errors=True)
