"""The wire's hostile-input corpus (feeds, ninjs, NewsML-G2, pages) through every entry point
that takes it: `dateline ingest` (and --dry-run), a drop folder's poll, a fetch from an address
(a local server, reachable through the fetcher's test allowance), and `dateline import-page`
(HTML and page text). Each runs in a bounded child (tests/hostile/bounds.py).

Every input is either refused with a clear message that names it, storing nothing, or
accepted with nothing dangerous kept: no script, event handler or javascript: address in a
body, and no bidi control in a single-line field. Never a traceback, more than 10 s or more
than 256 MB. Large inputs are made here from recipes.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.hostile.bounds import CORPUS, bounded, corpus

KINDS = {"feeds": "feed", "ninjs": "ninjs", "newsml": "newsml", "pages": "html"}
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
# Markup that runs or loads something (escaped text such as "&lt;script&gt;" is harmless).
UNSAFE_BODY = re.compile(
    r"<(script|iframe|svg|style|object|embed|form|meta)\b|<[^>]*\son\w+\s*="
    r"|<[^>]*(href|src)\s*=\s*[\"']?\s*javascript:",
    re.IGNORECASE,
)
NEWSML = 'xmlns="http://iptc.org/std/nar/2006-10-01/"'


def _ninjs_deep() -> bytes:
    nested = b"[" * 100_000 + b"]" * 100_000
    return b'{"uri": "urn:deep", "headline": "Deep", "extra": ' + nested + b"}"


# Recipes for the large inputs: (kind, file name, maker).
RECIPES = {
    "feeds/attribute-flood.rss": lambda: (
        b'<rss version="2.0"><channel><title>Flood</title><item '
        + b" ".join(b'a%d="v"' % i for i in range(200_000))
        + b"><title>Flooded</title><guid>f-1</guid></item></channel></rss>"
    ),
    "feeds/deep-nesting.rss": lambda: (
        b'<rss version="2.0"><channel>' + b"<x>" * 60_000 + b"</x>" * 60_000 + b"</channel></rss>"
    ),
    "feeds/huge-text-node.rss": lambda: (
        b'<rss version="2.0"><channel><title>Big</title><item><guid>big-1</guid><title>'
        + b"word " * 1_900_000
        + b"</title></item></channel></rss>"
    ),
    "feeds/many-items.rss": lambda: (
        b'<rss version="2.0"><channel><title>Many</title>'
        + b"".join(
            b"<item><guid>m-%d</guid><title>Item %d</title></item>" % (i, i) for i in range(60_000)
        )
        + b"</channel></rss>"
    ),
    "feeds/json-feed-deep.json": lambda: (
        b'{"version": "https://jsonfeed.org/version/1.1", "items": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}"
    ),
    "ninjs/deep-nesting.json": _ninjs_deep,
    "ninjs/huge-body.json": lambda: json.dumps(
        {"uri": "urn:huge", "headline": "Huge", "body_text": "long text " * 900_000}
    ).encode(),
    "ninjs/many-items.json": lambda: json.dumps(
        [{"uri": f"urn:many:{i}", "headline": f"Item {i}"} for i in range(60_000)]
    ).encode(),
    "newsml/attribute-flood.xml": lambda: (
        f"<newsItem {NEWSML} ".encode()
        + b" ".join(b'a%d="v"' % i for i in range(200_000))
        + b"><contentMeta><headline>H</headline></contentMeta></newsItem>"
    ),
    "newsml/deep-nesting.xml": lambda: (
        f"<newsItem {NEWSML}>".encode() + b"<x>" * 60_000 + b"</x>" * 60_000 + b"</newsItem>"
    ),
    "pages/paragraphs-900000.html": lambda: (
        b"<html><body><article>" + b"<p>a</p>" * 900_000 + b"</article></body></html>"
    ),
    "pages/huge-paragraph.html": lambda: (
        b"<html><head><title>One long paragraph</title></head><body><article><p>"
        + b"The harbour story goes on. " * 350_000
        + b"</p></article></body></html>"
    ),
    "pages/deep-nesting.html": lambda: (
        b"<html><body>" + b"<div>" * 100_000 + b"text" + b"</div>" * 100_000 + b"</body></html>"
    ),
    "pages/attribute-flood.html": lambda: (
        b"<html><body><article><p "
        + b" ".join(b'data-a%d="v"' % i for i in range(200_000))
        + b">Flooded paragraph.</p></article></body></html>"
    ),
    "pages/sentences-250000.txt": lambda: (
        b"A headline for the page\n"
        + b"This sentence of the story has more than eight words in it.\n" * 160_000
    ),
}


def _inputs(kind: str) -> list[pytest.param]:
    stored = [pytest.param(path, None, id=path.name) for path in corpus(kind)]
    made = [
        pytest.param(CORPUS / name, maker, id=f"{Path(name).name} (made)")
        for name, maker in RECIPES.items()
        if name.startswith(f"{kind}/")
    ]
    return stored + made


@pytest.fixture
def material(tmp_path):
    """Return the input as a file: the corpus's own, or one made from its recipe."""

    def make(path: Path, maker) -> Path:
        if maker is None:
            return path
        made = tmp_path / path.name
        made.write_bytes(maker())
        return made

    return make


@pytest.fixture
def drop_root(settings, tmp_path):
    root = tmp_path / "wire-drop"
    root.mkdir()
    settings.WIRE_DROP_ROOT = root
    return root


# --- What the bounded child reports (its database is its own: it counts there).


def _stored() -> dict:
    from dateline.articles.models import ArticlePage
    from dateline.wire.models import WireItem

    unsafe = []
    for item in WireItem.objects.all():
        for name in ("headline", "slugline", "byline", "dateline", "located", "agency"):
            if BIDI.search(getattr(item, name)):
                unsafe.append(f"bidi control in the item's {name}")
        if UNSAFE_BODY.search(item.body_html) or BIDI.search(json.dumps(item.photos)):
            unsafe.append(f"unsafe body: {item.body_html[:200]!r}")
        if item.original_url and not item.original_url.startswith(("http://", "https://")):
            unsafe.append(f"address {item.original_url!r}")
    for story in ArticlePage.objects.all():
        body = json.dumps(list(story.body.raw_data), ensure_ascii=False)
        if BIDI.search(story.title) or BIDI.search(story.slug):
            unsafe.append("bidi control in the story's title")
        if UNSAFE_BODY.search(body) or "\u202e" in body or "\u202d" in body:
            unsafe.append(f"unsafe story body: {body[:200]!r}")
        for byline in story.bylines.all():
            if BIDI.search(byline.person.name):
                unsafe.append("bidi control in a byline")
    return {
        "items": WireItem.objects.count(),
        "stories": ArticlePage.objects.count(),
        "unsafe": unsafe,
    }


def _command(*args) -> dict:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        refused = ""
    except CommandError as exc:  # what the command line prints as one line, no traceback
        refused = str(exc)
    return {"refused": refused, "out": out.getvalue(), "err": err.getvalue(), **_stored()}


def _poll(folder_name: str, kind: str) -> dict:
    from dateline.wire.models import WireSource

    out = io.StringIO()
    call_command("poll-wire", "--once", stdout=out)
    source = WireSource.objects.get(folder=folder_name)
    return {"last_error": source.last_error, "out": out.getvalue(), **_stored()}


def _check(outcome, name: str) -> dict:
    assert outcome.within_bounds, f"{name}: {outcome.describe()}"
    assert not outcome.error, f"{name}: raised {outcome.error}\n{outcome.traceback}"
    report = outcome.value
    assert report["unsafe"] == [], f"{name}: {report['unsafe']}"
    return report


def _check_ingest(report: dict, name: str, *, dry_run: bool = False) -> None:
    lines = [line for line in report["err"].splitlines() if name in line]
    assert lines, f"{name} is not named in: {report['err']!r}"
    if dry_run:
        assert report["items"] == 0
        for line in report["out"].splitlines():
            json.loads(line)  # one JSON object a line, an error object for a refusal
    if report["refused"]:
        assert report["items"] == 0 and report["stories"] == 0, "a refused input stored items"
        assert report["refused"] == "no input could be ingested"
        reason = lines[0].split(f"{name}: ", 1)[-1]
        assert reason.strip() and "Traceback" not in report["err"], report["err"]


ENTRY_KINDS = ["feeds", "ninjs", "newsml"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind, path, maker",
    [(kind, *param.values) for kind in ENTRY_KINDS for param in _inputs(kind)],
    ids=[f"{kind}/{param.id}" for kind in ENTRY_KINDS for param in _inputs(kind)],
)
def test_wire_material_through_every_entry_point(
    kind, path, maker, material, edition, drop_root, wire_server, settings
):
    settings.WIRE_FETCH_SECONDS = 5
    source = material(path, maker)
    name = str(source)

    # `dateline ingest FILE`, with and without --dry-run.
    report = _check(bounded(_command, "ingest", name), name)
    _check_ingest(report, name)
    report = _check(bounded(_command, "ingest", name, "--dry-run"), name)
    _check_ingest(report, name, dry_run=True)

    # The same document fetched from an address.
    base, routes = wire_server
    routes[f"/{source.name}"] = (200, {}, source)
    url = f"{base}/{source.name}"
    report = _check(bounded(_command, "ingest", url), url)
    _check_ingest(report, url)

    # Dropped into a source's folder and polled.
    from dateline.wire.models import WireSource

    folder = drop_root / "agency"
    folder.mkdir()
    shutil.copy(source, folder / source.name)
    WireSource.objects.create(name="Agency", kind=KINDS[kind], folder="agency", edition=edition)
    report = _check(bounded(_poll, "agency", KINDS[kind]), f"poll of {name}")
    if report["last_error"]:
        assert report["items"] == 0, "a refused file stored items"
        assert source.name in report["last_error"]
        assert f"Agency: {source.name}" in report["out"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, maker", [p.values for p in _inputs("pages")], ids=[p.id for p in _inputs("pages")]
)
def test_pages_through_every_entry_point(
    path, maker, material, edition, drop_root, wire_server, settings
):
    settings.WIRE_FETCH_SECONDS = 5
    source = material(path, maker)
    name = str(source)

    for args in (("import-page", name), ("import-page", name, "--dry-run", "--json")):
        report = _check(bounded(_command, *args), name)
        if report["refused"]:
            assert report["stories"] == 0
            assert (
                report["refused"].startswith(f"{name}: ")
                and "Nothing was imported" in (report["refused"])
            )
            assert "\n" not in report["refused"]

    fmt = "page-text" if source.suffix == ".txt" else "html"
    report = _check(bounded(_command, "ingest", name, "--format", fmt), name)
    _check_ingest(report, name)

    base, routes = wire_server
    routes[f"/{source.name}"] = (200, {}, source)
    url = f"{base}/{source.name}"
    report = _check(bounded(_command, "import-page", url), url)
    if report["refused"]:
        assert report["stories"] == 0 and report["refused"].startswith(f"{url}: ")

    from dateline.wire.models import WireSource

    folder = drop_root / "pages"
    folder.mkdir()
    shutil.copy(source, folder / source.name)
    WireSource.objects.create(name="Pages", kind="html", folder="pages", edition=edition)
    report = _check(bounded(_poll, "pages", "html"), f"poll of {name}")
    if report["last_error"]:
        assert report["items"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["ingest", "import-page"])
def test_a_trickling_server_is_refused_at_the_fetch_deadline(trickler, settings, edition, command):
    settings.WIRE_FETCH_SECONDS = 3
    url = f"{trickler}/feed.rss"
    report = _check(bounded(_command, command, url), url)
    assert report["items"] == 0 and report["stories"] == 0
    assert "the answer took longer than 3 s" in (report["err"] + report["refused"])
