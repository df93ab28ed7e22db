"""Static files as readers get them in production: pages name them by hashed names, the embedded
tier (WhiteNoise) and nginx serve those as immutable for at least a year and send the gzip or
brotli copy the browser accepts, and an article's scripts stay within the issue's budget.

The files are collected by the production storage (``dateline collectstatic``) into a fresh
STATIC_ROOT: the tests elsewhere serve the files of the tree as they are."""

import gzip
import os
import re

import brotli
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import override_settings

from dateline.production.nginx import BROTLI_STATIC_MODULE
from tests.nginx import fetch, running_nginx

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGE = "dateline.config.staticfiles.StaticFilesStorage"
HASHED = re.compile(r"^/static/[\w/.-]+\.[0-9a-f]{12}\.(?:js|css)$")
A_YEAR = 365 * 24 * 60 * 60
# Bytes of script an article may load before compression (issue 18): what it names, and the
# discussion's form script that signed-in readers also get.
ARTICLE_SCRIPT_BUDGET = 25_000

ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="(/static/[^"]+)"')
SCRIPT = re.compile(r'<script\b[^>]*\bsrc="(/static/[^"]+)"')
FORM_SCRIPT = re.compile(r'data-form-script="(/static/[^"]+)"')


STATIC_SETTINGS = {
    # The site's own files only: those of Wagtail's admin take a minute to compress, and no
    # reader's page names them.
    "STATICFILES_FINDERS": ["django.contrib.staticfiles.finders.FileSystemFinder"],
    "WHITENOISE_USE_FINDERS": False,
}


@pytest.fixture(scope="module")
def collected_root(tmp_path_factory):
    """Collect the site's static files as production does, once for the module."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, **STATIC_SETTINGS, STORAGES=production_storages()):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def production_storages() -> dict:
    return {**django_settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}


@pytest.fixture
def collected(settings, collected_root):
    """Serve the collected files as the embedded tier does; return their root."""
    settings.STATIC_ROOT = collected_root
    for name, value in STATIC_SETTINGS.items():
        setattr(settings, name, value)
    settings.STORAGES = production_storages()
    return collected_root


@pytest.fixture
def article(make_story):
    return make_story("Harbour cranes stand idle", standfirst="The port waits.")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_article_names_its_styles_and_scripts_by_hashed_names(collected, client, article):
    html = client.get(article.url).content.decode()
    assets = ASSET.findall(html) + FORM_SCRIPT.findall(html)
    assert any(asset.endswith(".css") for asset in assets)
    assert any(asset.endswith(".js") for asset in assets)
    assert [asset for asset in assets if not HASHED.match(asset)] == []


def test_the_embedded_tier_serves_hashed_files_immutable_and_compressed(collected, client, article):
    html = client.get(article.url).content.decode()
    for asset in ASSET.findall(html):
        plain = client.get(asset)
        assert plain.status_code == 200
        assert "Content-Encoding" not in plain
        cache_control = plain["Cache-Control"]
        assert "immutable" in cache_control and "public" in cache_control
        max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
        assert max_age >= A_YEAR
        assert "Accept-Encoding" in plain["Vary"]
        served = body(plain)
        assert served == (collected / asset.removeprefix("/static/")).read_bytes()
        for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
            compressed = client.get(asset, headers={"Accept-Encoding": encoding})
            assert compressed["Content-Encoding"] == encoding
            packed = body(compressed)
            assert len(packed) < len(served)
            assert decode(packed) == served


def test_a_file_under_its_plain_name_is_not_kept_for_long(collected, client):
    # Its content changes with the next release under the same name.
    response = client.get("/static/dateline/live.js")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_an_article_loads_at_most_25_kb_of_script(collected, client, article):
    html = client.get(article.url).content.decode()
    scripts = SCRIPT.findall(html) + FORM_SCRIPT.findall(html)
    names = {re.sub(r"\.[0-9a-f]{12}\.js$", ".js", script.rsplit("/", 1)[1]) for script in scripts}
    # The budget holds with the whole page at work: the newsfeed and the live stream, most-read
    # counting, the discussion and its form.
    assert {"live.js", "mostread.js", "discussion.js", "discussion-form.js"} <= names
    total = sum(len(body(client.get(script))) for script in scripts)
    assert total <= ARTICLE_SCRIPT_BUDGET, f"{total} bytes of script: {sorted(names)}"


# --- nginx -------------------------------------------------------------------------------------


@pytest.fixture
def nginx(collected, tmp_path):
    with running_nginx(tmp_path, static_root=collected, media_root=tmp_path / "media") as site:
        yield site


def test_nginx_serves_hashed_files_immutable_and_compressed(nginx, collected, client, article):
    html = client.get(article.url).content.decode()
    encodings = [("gzip", gzip.decompress)]
    if BROTLI_STATIC_MODULE.exists():
        encodings.append(("br", brotli.decompress))
    elif os.environ.get("CI") == "true":
        pytest.fail("libnginx-mod-http-brotli-static is needed")
    for asset in ASSET.findall(html):
        status, headers, served = fetch(nginx, asset)
        assert status == 200
        assert served == (collected / asset.removeprefix("/static/")).read_bytes()
        assert "content-encoding" not in headers
        assert headers["cache-control"] == "max-age=315360000, public, immutable"
        assert "expires" not in headers
        assert headers["x-content-type-options"] == "nosniff"
        for encoding, decode in encodings:
            status, headers, packed = fetch(nginx, asset, f"{encoding}, identity")
            assert status == 200 and headers["content-encoding"] == encoding
            assert "Accept-Encoding" in headers["vary"]
            assert decode(packed) == served
    # A plain name is kept an hour: its content changes with the next release.
    status, headers, _ = fetch(nginx, "/static/dateline/live.js")
    assert status == 200 and headers["cache-control"] == "max-age=3600"
