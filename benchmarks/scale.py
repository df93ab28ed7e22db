"""Scale of content: uncached article render, search at 100,000 stories, page weight.

`python -m benchmarks scale` runs, each against a baseline measured in the same run:

2. uncached article render through Django (test client, one process, no page cache) against a
   minimal Django view, with the SQL queries per page;
4. search p50/p95 on SQLite and PostgreSQL, each filled with BENCH_SCALE_STORIES (100,000)
   stories by generate-archive, against a direct SQL full-text query on the same index (FTS5
   MATCH on SQLite, the stored tsvector with @@ on PostgreSQL); then, on the same sites, the
   main pages against a minimal view, with their queries and any that reads too much
   (benchmarks/scale_pages.py);
5. page weight: the bytes an article's first view transfers in Chromium, by kind, and a
   Lighthouse run (npm `lighthouse`, installed into ~/.cache/dateline-lighthouse).

Filling 100,000 stories takes several minutes per database. BENCH_SCALE_SQLITE_DIR (a var dir)
and BENCH_SCALE_PG_DB (a database name) reuse a site filled before instead, and keep it.
The PostgreSQL database is otherwise created for the run and dropped after it.
BENCH_SCALE_ONLY=render,search,weight runs only the parts named.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.live_servers import free_port, stop, wait_for
from benchmarks.pages import queries, rate, urlpatterns

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STORIES = int(os.environ.get("BENCH_SCALE_STORIES", "100000"))
POSTGRES = os.environ.get("BENCH_SCALE_PG", "postgres://postgres@127.0.0.1:5432")
LIGHTHOUSE_DIR = Path(os.environ.get("LIGHTHOUSE_DIR", Path.home() / ".cache/dateline-lighthouse"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


def run() -> None:
    # BENCH_SCALE_ONLY=render,weight runs only the parts named.
    only = os.environ.get("BENCH_SCALE_ONLY", "render,search,weight").split(",")
    for part in (render, search, weight):
        if part.__name__ in only:
            part()


# --- 2. uncached article render


def render() -> None:
    import types
    from importlib import import_module

    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from dateline.articles.models import ArticlePage

    visible = ArticlePage.objects.visible().order_by("-published_at")
    with_cards = visible.filter(body__icontains='"related"').first()
    plain = visible.exclude(body__icontains='"related"').exclude(lead_photo=None).first()
    module = types.ModuleType("benchmarks_scale_urls")
    module.urlpatterns = urlpatterns + import_module(settings.ROOT_URLCONF).urlpatterns
    sys.modules["benchmarks_scale_urls"] = module
    client = Client()
    with override_settings(ROOT_URLCONF="benchmarks_scale_urls"):
        baseline = rate(client, "/bench/minimal/")
        rows = [("minimal view", baseline, "-")]
        for name, story in (("article, no cards", plain), ("article with cards", with_cards)):
            measured = rate(client, story.url)
            rows.append((name, measured, queries(client, story.url)))
    print()
    print("2. Uncached article render, one process, Django test client")
    print(f"{'page':<22} {'req/s':>8} {'vs minimal view':>16} {'SQL queries':>12}")
    for name, measured, count in rows:
        print(f"{name:<22} {measured:>8.1f} {measured / baseline:>16.3f} {count:>12}")


# --- 4. search at scale


def _command(env: dict, *args: str, quiet: bool = False) -> str:
    result = subprocess.run(  # noqa: S603 (our own commands)
        [str(BIN / "dateline"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=quiet,
        text=True,
    )
    return result.stdout or ""


def _fill(env: dict) -> float:
    """Migrate the site of ``env``, make its English edition and fill it; return the seconds
    generate-archive took."""
    _command(env, "migrate", "-v0")
    subprocess.run(  # noqa: S603 (our own commands)
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n"
            "from dateline.editions.actions import create_edition\n"
            "create_edition('en', site_name='Scale Times', agency='Scalewire',"
            " time_zone='Europe/London')",
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    start = time.monotonic()
    _command(env, "generate-archive", "--stories", str(STORIES))
    return time.monotonic() - start


def _measure_search(env: dict) -> dict:
    output = subprocess.run(  # noqa: S603 (our own commands)
        [sys.executable, "-m", "benchmarks.scale_search"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _measure_pages(env: dict) -> str:
    """Return the table of benchmarks.scale_pages (main pages, their queries and what reads
    too much) for the site of ``env``."""
    output = subprocess.run(  # noqa: S603 (our own commands)
        [sys.executable, "-m", "benchmarks.scale_pages"],
        env={**env, "ALLOWED_HOSTS": "*"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return output[output.index("Main pages") - 1 :] if "Main pages" in output else output


def _psql(sql: str) -> None:
    psql = shutil.which("psql") or "psql"
    subprocess.run(  # noqa: S603 (Debian's psql, our own statement)
        [psql, f"{POSTGRES}/postgres", "-q", "-c", sql], check=True, capture_output=True
    )


def search() -> None:
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dateline.config.settings",
        "DATELINE_DEMO": "1",
        "ALLOWED_HOSTS": "testserver",
    }
    base.pop("DATABASE_URL", None)
    results, pages = [], []
    with contextlib.ExitStack() as stack:
        var = os.environ.get("BENCH_SCALE_SQLITE_DIR")
        env = {**base, "DATELINE_VAR_DIR": var or tempfile.mkdtemp(prefix="dateline-scale-")}
        if not var:
            stack.callback(shutil.rmtree, env["DATELINE_VAR_DIR"], True)
            print(f"\nFilling SQLite with {STORIES:,} stories …", flush=True)
            print(f"  generate-archive took {_fill(env):.0f} s", flush=True)
        results.append(_measure_search(env))
        pages.append(_measure_pages(env))

        if shutil.which("psql") is None:
            print("psql is missing: PostgreSQL search is not measured.")
        else:
            name = os.environ.get("BENCH_SCALE_PG_DB")
            env = {
                **base,
                "DATELINE_VAR_DIR": tempfile.mkdtemp(prefix="dateline-scale-pg-"),
                "DATABASE_URL": f"{POSTGRES}/{name or 'dateline_scale_bench'}",
            }
            stack.callback(shutil.rmtree, env["DATELINE_VAR_DIR"], True)
            if not name:
                _psql("DROP DATABASE IF EXISTS dateline_scale_bench")
                _psql("CREATE DATABASE dateline_scale_bench")
                stack.callback(_psql, "DROP DATABASE IF EXISTS dateline_scale_bench")
                print(f"Filling PostgreSQL with {STORIES:,} stories …", flush=True)
                print(f"  generate-archive took {_fill(env):.0f} s", flush=True)
            results.append(_measure_search(env))
            pages.append(_measure_pages(env))

    print()
    print(
        "4. Search: p50 / p95 ms over "
        f"{results[0]['samples']} queries; ratio to the direct SQL full-text query"
    )
    print(
        f"{'database':<10} {'stories':>9} {'what':<34} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'ratio p50':>10}"
    )
    for result in results:
        sql = result["sql"]["p50"]
        for key, label in (
            ("sql", "direct SQL, first 20 by rank"),
            ("page", "search page (by relevance)"),
            ("admin_superuser", "newsroom page search, superuser"),
            ("admin_editor", "newsroom page search, editor"),
        ):
            row = result[key]
            p50, p95 = (
                f"≥{value:.0f}" if value >= result["limit"] * 1000 else f"{value:.1f}"
                for value in (row["p50"], row["p95"])
            )
            print(
                f"{result['vendor']:<10} {result['stories']:>9,} {label:<34} "
                f"{p50:>8} {p95:>8} {row['p50'] / sql:>9.1f}×"
            )
    print(
        f"(Queries still running after {results[0]['limit']:.0f} s were stopped and count "
        "as that long.)"
    )
    for table in pages:
        print(table)


# --- 5. page weight and Lighthouse


def _server(stack: contextlib.ExitStack) -> str:
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,testserver"}
    _command(env, "collectstatic", "--noinput", "-v0")
    port = free_port()
    log = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 (closed by the stack)
    process = subprocess.Popen(  # noqa: S603 (our own commands)
        [
            str(BIN / "uvicorn"),
            "dateline.config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    stack.callback(stop, process)
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/robots.txt", process)
    return url


def _transfer(url: str) -> dict[str, list[int]]:
    """Return the bytes (headers and encoded body) and requests of ``url``'s first view in
    Chromium, by kind: html, css, js, image, other."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS

    kinds = {"document": "html", "stylesheet": "css", "script": "js", "image": "image"}
    totals: dict[str, list[int]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        responses = []
        page.on("requestfinished", lambda request: responses.append(request))
        page.goto(url, wait_until="load")
        # Photos lower in the story load lazily: a reader who reads to the end sees them.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(1500)
        for request in responses:
            if request.resource_type == "eventsource":
                continue  # the live stream stays open: not page weight
            sizes = request.sizes()
            kind = kinds.get(request.resource_type, "other")
            row = totals.setdefault(kind, [0, 0])
            row[0] += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            row[1] += 1
        browser.close()
    return totals


def _lighthouse(url: str) -> dict[str, float] | str:
    """Return Lighthouse's category scores (0-100) for ``url``, or why there are none."""
    npm = shutil.which("npm")
    binary = LIGHTHOUSE_DIR / "node_modules/.bin/lighthouse"
    if not binary.exists():
        if npm is None:
            return "npm is missing: Lighthouse skipped"
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 (npm from PATH, a fixed package)
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "lighthouse@12"],
            cwd=LIGHTHOUSE_DIR,
            check=True,
            capture_output=True,
        )
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(  # noqa: S603 (the Lighthouse we installed)
            [
                str(binary),
                url,
                "--output=json",
                f"--output-path={report.name}",
                f"--chrome-flags={CHROMIUM_FLAGS}",
                "--only-categories=performance,accessibility,best-practices,seo",
                "--quiet",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=True,
            capture_output=True,
        )
        data = json.loads(Path(report.name).read_text())
    failing = [
        audit["id"]
        for audit in data["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") == "binary"
    ]
    scores = {key: round(cat["score"] * 100) for key, cat in data["categories"].items()}
    scores["failing"] = failing
    return scores


def weight() -> None:
    from dateline.articles.models import ArticlePage

    story = (
        ArticlePage.objects.visible()
        .filter(body__icontains='"related"')
        .order_by("-published_at")
        .first()
    )
    with contextlib.ExitStack() as stack:
        url = _server(stack) + story.url
        totals = _transfer(url)
        scores = _lighthouse(url)
    html = totals.get("html", [1, 1])[0]
    print()
    print(f"5. Page weight of an article's first view in Chromium ({story.url})")
    print(f"{'kind':<8} {'requests':>9} {'KB':>9} {'vs HTML':>9}")
    for kind in ("html", "css", "js", "image", "other"):
        size, count = totals.get(kind, [0, 0])
        print(f"{kind:<8} {count:>9} {size / 1024:>9.1f} {size / html:>8.2f}×")
    total = sum(size for size, _count in totals.values())
    count = sum(n for _size, n in totals.values())
    print(f"{'total':<8} {count:>9} {total / 1024:>9.1f} {total / html:>8.2f}×")
    if isinstance(scores, str):
        print(scores)
    else:
        failing = scores.pop("failing")
        print("Lighthouse: " + ", ".join(f"{key} {value}" for key, value in scores.items()))
        if failing:
            print("  audits below 0.9: " + ", ".join(failing))
