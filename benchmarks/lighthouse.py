"""Lighthouse 12 (npm, `make node`) with Debian's Chromium on the home front and an article of
the demo site, mobile profile (Lighthouse's default: a mid-range phone on a throttled
connection, simulated), all four categories. Prints the scores, the metrics behind the
performance score and the audits that cost points; asserts nothing.

The site runs under uvicorn, as `make demo` runs it, with the demo loaded by benchmarks/__main__;
each page is requested once before it is measured (renditions are made by then).
`python -m benchmarks.lighthouse URL [ARTICLE-PATH]` measures a site already running at URL."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync --disable-quic"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


def lighthouse(url: str, attempts: int = 3) -> dict:
    """Run Lighthouse on ``url``; return its report (JSON). A run that fails is run again: on a
    busy machine Chromium's trace is sometimes lost (NO_NAVSTART)."""
    for attempt in range(1, attempts + 1):
        try:
            return lighthouse_once(url)
        except RuntimeError as error:
            if attempt == attempts:
                raise
            print(f"  ({error}; running it again)", flush=True)
    raise AssertionError("unreachable")


def lighthouse_once(url: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="dateline-lighthouse-") as profile:
        run = subprocess.run(  # noqa: S603 (our own command)
            [
                str(LIGHTHOUSE),
                url,
                "--output=json",
                "--output-path=stdout",
                "--quiet",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}",
                "--max-wait-for-load=60000",
            ],
            env={**os.environ, "CHROME_PATH": CHROME},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    if run.returncode != 0 or not run.stdout.strip():
        raise RuntimeError(f"lighthouse failed on {url}: {run.stderr.strip()[-800:]}")
    return json.loads(run.stdout)


def summary(name: str, report: dict) -> None:
    scores = {key: round((report["categories"][key]["score"] or 0) * 100) for key in CATEGORIES}
    print(
        f"  {name:<12} " + "  ".join(f"{key} {score:>3}" for key, score in scores.items()),
        flush=True,
    )
    audits = report["audits"]
    print(
        "               "
        + ", ".join(
            f"{label} {audits[key]['displayValue']}"
            for key, label in METRICS.items()
            if audits.get(key, {}).get("displayValue")
        )
    )
    for key in CATEGORIES:
        lost = [
            ref["id"]
            for ref in report["categories"][key]["auditRefs"]
            if ref.get("weight")
            and audits.get(ref["id"], {}).get("score") is not None
            and audits[ref["id"]]["score"] < 0.9
        ]
        if lost:
            print(f"               {key} loses on: {', '.join(lost)}")


def measure(base: str, pages: dict[str, str]) -> dict[str, dict]:
    print(f"Lighthouse {lighthouse_version()} (mobile), Chromium at {CHROME}, {base}")
    reports = {}
    for name, path in pages.items():
        urllib.request.urlopen(base + path, timeout=120).read()  # noqa: S310 (127.0.0.1)
        reports[name] = report = lighthouse(base + path)
        summary(name, report)
    return reports


def lighthouse_version() -> str:
    package = ROOT / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"]


def available() -> bool:
    missing = [what for what in (LIGHTHOUSE, Path(CHROME)) if not Path(what).exists()]
    if shutil.which("node") is None:
        missing.append("node")
    if missing:
        print(f"Lighthouse: skipped, {', '.join(map(str, missing))} missing (make node).")
    return not missing


def run() -> None:
    if not available():
        return
    from benchmarks.live_servers import free_port, stop, wait_for
    from dateline.articles.models import ArticlePage

    story = ArticlePage.objects.live().get(
        edition__slug="en", slug="shipping-nations-agree-binding-emissions-cap"
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SITE_URL": base, "ALLOWED_HOSTS": "127.0.0.1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(  # noqa: S603 (our own command)
            [
                str(Path(sys.executable).parent / "uvicorn"),
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
        try:
            wait_for(base + "/robots.txt", server)
            measure(base, {"home front": "/en/", "article": urlsplit(story.get_url()).path})
        finally:
            stop(server)


if __name__ == "__main__":
    if available():
        base = sys.argv[1].rstrip("/")
        pages = {"home front": "/en/"}
        if len(sys.argv) > 2:
            pages["article"] = sys.argv[2]
        measure(base, pages)
