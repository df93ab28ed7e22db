"""Rendering speed of the public pages, uncached, in two forms.

1. In process, through Django's test client: the main public pages, and the SQL queries each
   makes.
2. Over HTTP: one uvicorn worker serving the site with the page cache off
   (benchmarks/pages_app.py), wrk with 8 connections, the article and the home front
   alternating with the minimal view for ROUNDS_HTTP rounds; also the worker's resident memory
   at the end.

Baseline in both: a minimal Django view answered through the same middleware stack by the same
process in the same run, so that the ratio shows what the page itself costs."""

import os
import re
import statistics
import subprocess
import time
import urllib.request
from importlib import import_module
from pathlib import Path

from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path

from benchmarks.live_servers import BIN, ROOT, free_port, rss, stop, wait_for
from dateline.articles.models import ArticlePage

ROUNDS = 5
REQUESTS = 40
ROUNDS_HTTP = 3
SECONDS_HTTP = 5
CONNECTIONS = 8


def minimal_view(request):
    return HttpResponse("ok")


# The benchmark's URLconf: the minimal view first, then the site's own patterns.
urlpatterns = [
    path("bench/minimal/", minimal_view),
    *import_module("dateline.config.urls").urlpatterns,
]


def rate(client: Client, url: str) -> float:
    """Return the median requests per second over ROUNDS rounds of REQUESTS requests."""
    client.get(url)  # warm: renditions, template caches
    rates = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(REQUESTS):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        rates.append(REQUESTS / (time.perf_counter() - start))
    return statistics.median(rates)


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user and system) process ``pid`` has used, in seconds."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, pid: int) -> tuple[float, float]:
    """Return the requests per second wrk gets from ``url`` in SECONDS_HTTP seconds, and the
    CPU time the server ``pid`` spent per request (ms)."""
    argv = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS_HTTP}s", "--timeout", "60s", url]
    before = cpu_seconds(pid)
    output = subprocess.run(argv, capture_output=True, text=True, check=True).stdout  # noqa: S603
    spent = cpu_seconds(pid) - before
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    count = re.search(r"(\d+) requests in", output)
    if rate is None or count is None or "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk against {url} failed:\n{output}")
    return float(rate.group(1)), spent * 1000 / int(count.group(1))


def run_http(pages: dict[str, str]) -> None:
    """Serve the site by one uvicorn worker without page cache; print each page's rate
    against the minimal view's, and the worker's memory after the load.

    Also the worker's CPU time per request, and the rate it allows against the minimal
    view's: on this shared machine other loads take the cores from the worker for a part of
    each run, which moves the rates but not the CPU time a request costs."""
    port = free_port()
    hosts = os.environ.get("ALLOWED_HOSTS", "")
    env = {**os.environ, "PAGE_CACHE": "0", "ALLOWED_HOSTS": f"{hosts},127.0.0.1"}
    argv = [str(BIN / "uvicorn"), "benchmarks.pages_app:application", "--port", str(port)]
    argv += ["--host", "127.0.0.1", "--no-access-log", "--log-level", "warning"]
    server = subprocess.Popen(argv, env=env, cwd=ROOT)  # noqa: S603 (our own command)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/bench/minimal/", server)
        urls = {"minimal view": "/bench/minimal/", **pages}
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in urls}
        for url in urls.values():  # warm: renditions, template caches
            urllib.request.urlopen(base + url, timeout=60).read()  # noqa: S310 (127.0.0.1 only)
        for _ in range(ROUNDS_HTTP):  # alternating, so that other loads weigh on each alike
            for name, url in urls.items():
                runs[name].append(wrk(base + url, server.pid))
        memory = rss(server.pid) / 1024 / 1024
    finally:
        stop(server)
    rates = {name: statistics.median(r for r, _ in measured) for name, measured in runs.items()}
    cpu = {name: statistics.median(c for _, c in measured) for name, measured in runs.items()}
    print()
    print(
        f"Uncached page rendering over HTTP: one uvicorn worker, page cache off, wrk "
        f"{CONNECTIONS} connections (median of {ROUNDS_HTTP} × {SECONDS_HTTP} s)"
    )
    print(
        f"{'page':<20} {'req/s':>8} {'vs minimal view':>16} {'CPU ms/req':>11} {'vs minimal':>11}"
    )
    for name in urls:
        print(
            f"{name:<20} {rates[name]:>8.1f} {rates[name] / rates['minimal view']:>16.3f} "
            f"{cpu[name]:>11.2f} {cpu['minimal view'] / cpu[name]:>11.3f}"
        )
    print(f"worker memory after the load (VmRSS): {memory:.1f} MB")


def run() -> None:
    story = (
        ArticlePage.objects.visible()
        .order_by("-published_at")
        .filter(body__icontains='"related"')
        .first()
    )
    pages = {
        "home front": "/en/",
        "section front": "/en/asia/",
        "article (2 cards)": story.url,
        "search": "/en/search/?q=climate",
        "photo page": story.lead_photo.get_absolute_url(),
    }
    client = Client()
    with override_settings(ROOT_URLCONF="benchmarks.pages"):
        baseline = rate(client, "/bench/minimal/")
        print()
        print(
            "Uncached page rendering, one process, Django test client "
            f"(median of {ROUNDS} × {REQUESTS} requests)"
        )
        print(f"{'page':<20} {'req/s':>8} {'vs minimal view':>16} {'SQL queries':>12}")
        print(f"{'minimal view':<20} {baseline:>8.1f} {1.0:>16.3f} {'-':>12}")
        for name, url in pages.items():
            measured = rate(client, url)
            print(
                f"{name:<20} {measured:>8.1f} {measured / baseline:>16.3f} "
                f"{queries(client, url):>12}"
            )
    run_http({"article (2 cards)": story.url, "home front": "/en/"})
