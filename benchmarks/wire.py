"""Extraction quality of page import, on the article-extraction benchmark's pages in
../shared/samples/articles: token precision, recall and F1 of the body we extract against
the human-marked ``articleBody``, the way that benchmark scores.

Each figure is printed beside its baseline, run here on the same pages: for HTML, trafilatura
alone; for the page-text variant (a page's whole visible text), taking the whole text.
Run with `python -m benchmarks wire` (or `make bench`); it needs no database.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
from collections import Counter
from pathlib import Path

SHARED = Path(
    os.environ.get("DATELINE_SHARED", Path(__file__).resolve().parents[1].parent / "shared")
)
SAMPLES = SHARED / "samples" / "articles" / "scrapinghub-aeb"
REFERENCE = SHARED / "reference" / "reference-page.txt"
TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def score(extracted: str, truth: str) -> tuple[float, float, float]:
    """Return token (precision, recall, F1) of ``extracted`` against ``truth``."""
    got, want = Counter(tokens(extracted)), Counter(tokens(truth))
    common = sum((got & want).values())
    if not got or not want:
        return (1.0, 1.0, 1.0) if got == want else (0.0, 0.0, 0.0)
    precision, recall = common / sum(got.values()), common / sum(want.values())
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return precision, recall, f1


def _mean(scores: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    n = len(scores) or 1
    return tuple(sum(s[i] for s in scores) / n for i in range(3))  # type: ignore[return-value]


def measure() -> dict[str, tuple[float, float, float]]:
    """Return mean (precision, recall, F1) per method over the sample pages."""
    import trafilatura

    from dateline.wire.parsers.base import ParseError
    from dateline.wire.parsers.html_page import _decode, read_html_page
    from dateline.wire.parsers.page_text import read_page_text

    truth = {
        k: v["articleBody"]
        for k, v in json.loads((SAMPLES / "ground-truth.json").read_text()).items()
    }
    page_texts = json.loads((SAMPLES / "output" / "html-text.json").read_text())["output"]
    results: dict[str, list] = {
        "trafilatura": [],
        "html import": [],
        "whole text": [],
        "page-text import": [],
    }
    for key, body in sorted(truth.items()):
        path = SAMPLES / "html" / f"{key}.html.gz"
        if path.exists():
            html = _decode(gzip.decompress(path.read_bytes()))
            results["trafilatura"].append(score(trafilatura.extract(html) or "", body))
            try:
                text = read_html_page(html).body_text()
            except ParseError:
                text = ""
            results["html import"].append(score(text, body))
        if key in page_texts:
            whole = page_texts[key]["articleBody"]
            results["whole text"].append(score(whole, body))
            try:
                text = read_page_text(whole).body_text()
            except ParseError:
                text = ""
            results["page-text import"].append(score(text, body))
    figures = {name: _mean(values) for name, values in results.items()}
    if REFERENCE.exists():
        reference = REFERENCE.read_text()
        article = read_page_text(reference, section_names=("World", "Asia"))
        # The reference page's body, as a reader reads it: the lines from the dateline to
        # the last paragraph, less the related-story cards and the read-more link.
        lines = [line for line in reference.splitlines() if line.strip()]
        start = next(i for i, line in enumerate(lines) if line.startswith("TOKYO"))
        end = next(i for i, line in enumerate(lines) if line.startswith("On November 14"))
        card_lines = {b.text for b in article.blocks if b.kind in ("related", "read_more")}
        body = "\n".join(
            line
            for line in lines[start : end + 1]
            if line not in card_lines
            and " - Sputnik International" not in line
            and line not in ("Asia",)
            and not line.startswith("READ MORE")
        )
        figures["reference: whole text"] = score(reference, body)
        figures["reference: page-text import"] = score(article.body_text(), body)
    return figures


def measure_bounds() -> tuple[float, float, int]:
    """Return (seconds in process, seconds in bounded children, documents) to parse the
    sample pages and feeds, each once in this process and once as the wire parses it: in a
    child bounded in time and memory (dateline.wire.sandbox)."""
    import time

    from dateline.wire.parsers import ParseError, parse
    from dateline.wire.sandbox import run_bounded

    documents = [
        (gzip.decompress(path.read_bytes()), "html")
        for path in sorted((SAMPLES / "html").glob("*.html.gz"))[:40]
    ]
    feeds = SHARED / "samples" / "feeds" / "feedparser" / "tests" / "wellformed" / "rss"
    documents += [(path.read_bytes(), "feed") for path in sorted(feeds.glob("*.xml"))[:60]]
    run_bounded(parse, b"<rss version='2.0'><channel></channel></rss>", format="feed")  # warm

    def timed(call) -> float:
        started = time.perf_counter()
        for data, fmt in documents:
            with contextlib.suppress(ParseError):
                call(parse, data, format=fmt)
        return time.perf_counter() - started

    direct = timed(lambda function, *args, **kwargs: function(*args, **kwargs))
    bounded = timed(run_bounded)
    return direct, bounded, len(documents)


def run() -> None:
    if not SAMPLES.exists():
        print(f"wire: {SAMPLES} is missing; skipping the extraction measurement.")
        return
    direct, bounded, count = measure_bounds()
    print(f"\nParsing {count} sample pages and feeds (in this process / in bounded children)")
    print(f"  in process {direct:.2f} s, bounded {bounded:.2f} s: {bounded / direct:.2f}×")
    figures = measure()
    print("\nExtraction quality (token P / R / F1 against articleBody)")
    for name, (precision, recall, f1) in figures.items():
        print(f"  {name:<30} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}")
    html_ratio = figures["html import"][2] / figures["trafilatura"][2]
    text_ratio = figures["page-text import"][2] / figures["whole text"][2]
    print(f"  html import / trafilatura alone: {html_ratio:.3f}×")
    print(f"  page-text import / whole text:   {text_ratio:.3f}×")


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.config.settings")
    os.environ.setdefault("DATELINE_TESTING", "1")
    django.setup()
    run()
