"""The embedded tier's page cache, on the running demo site (uvicorn with the ASGI page cache
in front of Django): anonymous and signed-in readers get public pages from the cache, the same
bytes; personal requests and personal pages never touch it; a story that is published, changed
or withdrawn by another process (a command, as the scheduler would) shows on, or leaves, every
cached page at once. Cached pages answer conditional requests with 304 and come compressed."""

import datetime as dt
import gzip
import json
import time
import urllib.error
import urllib.request

import brotli
import pytest

from benchmarks.live_servers import session_script


def fetch(url, *, method="GET", cookie=None, headers=None, raw=False):
    """Return (status, headers, text) of a request, whatever the status (the body's bytes as
    they came with ``raw``)."""
    headers = {**({"Cookie": cookie} if cookie else {}), **(headers or {})}
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            body = response.read()
            return response.status, response.headers, body if raw else body.decode()
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, error.headers, body if raw else body.decode()


def sign_in(demo, username, *, staff=False):
    """Return the Cookie header of a new session of ``username`` (a reader, made if need be),
    as signing in leaves it."""
    cookie = demo.dateline("shell", "-c", session_script(username, staff=staff)).stdout.split()[-1]
    state = json.loads(fetch(demo.url + "/accounts/state.json", cookie=cookie)[2])
    assert state["signed_in"] and state["name"] == username
    return cookie + "; csrftoken=abcdefghijklmnopqrstuvwxyz012345"


def cached(url, **kwargs):
    """Fetch ``url`` until the cache answers it; return that answer."""
    for _ in range(3):
        status, headers, text = fetch(url, **kwargs)
        if headers["X-Cache"] == "HIT":
            return status, headers, text
    pytest.fail(f"{url} was never answered from the cache")


def eventually(check, seconds=5):
    # Purges from another process reach the server within a quarter of a second.
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline
        time.sleep(0.1)


def publish(demo, slug, headline, **fields):
    story = {
        "edition": "en",
        "section": "science",
        "slug": slug,
        "headline": headline,
        "body": [{"type": "paragraph", "text": "Text of the story."}],
        "published_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat(),
        **fields,
    }
    path = demo.var / f"{slug}.json"
    path.write_text(json.dumps([story]))
    demo.dateline("load-stories", str(path), "--publish")
    return demo.dateline(
        "shell",
        "-c",
        f"from dateline.articles.models import ArticlePage;"
        f"s = ArticlePage.objects.get(slug='{slug}'); print(s.pk, s.get_url())",
    ).stdout.split()[-2:]


def latest_story(demo):
    """Return the id and address of the latest story readers see."""
    return demo.dateline(
        "shell",
        "-c",
        "from dateline.articles.models import ArticlePage;"
        "s = ArticlePage.objects.visible().order_by('-published_at')[0]; print(s.pk, s.get_url())",
    ).stdout.split()[-2:]


def test_it_answers_anonymous_readers_from_the_cache(demo):
    url = demo.url + "/en/world/"
    fetch(url)
    status, headers, text = cached(url)
    assert status == 200
    assert "public" in headers["Cache-Control"]
    assert "s-maxage=" in headers["Cache-Control"]
    assert int(headers["Age"]) >= 0
    assert "X-Dateline-Cache-Keys" not in headers
    # A HEAD is answered from the same page, without its body.
    status, headers, body = fetch(url, method="HEAD")
    assert (status, headers["X-Cache"], body) == (200, "HIT", "")
    assert int(headers["Content-Length"]) == len(text.encode())
    # A reader who once posted a form carries the CSRF cookie: still the cached page.
    assert fetch(url, cookie="csrftoken=abcdefghijklmnopqrstuvwxyz012345")[1]["X-Cache"] == "HIT"


def test_signed_in_readers_and_editors_get_the_cached_anonymous_page(demo):
    ada, bob = sign_in(demo, "ada-cache"), sign_in(demo, "bob-cache")
    editor = sign_in(demo, "editor-cache", staff=True)
    _, story = latest_story(demo)
    for path in ("/en/", "/en/world/", story, "/en/feed/"):
        fetch(demo.url + path)
        _, headers, anonymous = cached(demo.url + path)
        for cookie in (ada, bob, editor):
            status, headers, text = fetch(demo.url + path, cookie=cookie)
            assert (status, headers["X-Cache"]) == (200, "HIT"), path
            assert text == anonymous, path
            assert "Set-Cookie" not in headers
    # Rendered for a signed-in reader (a miss), stored, and then the anonymous page.
    status, headers, text = fetch(demo.url + "/en/corrections/", cookie=bob)
    assert headers["X-Cache"] in ("MISS", "HIT")
    assert cached(demo.url + "/en/corrections/")[2] == text
    assert "ada-cache" not in anonymous and "bob-cache" not in anonymous


def test_personal_requests_and_pages_are_never_cached(demo):
    url = demo.url + "/en/world/"
    for cookie in ("messages=notice", "sessionid=someone; messages=notice"):
        for _ in range(2):
            assert fetch(url, cookie=cookie)[1]["X-Cache"] == "BYPASS"
    for _ in range(2):
        assert fetch(url, headers={"Authorization": "Bearer x"})[1]["X-Cache"] == "BYPASS"
    # Pages that set a cookie or are marked private are fetched from Django every time, also
    # for a signed-in reader or editor: the newsroom, previews, account pages.
    editor = sign_in(demo, "editor-never", staff=True)
    story_id, _ = latest_story(demo)
    for path, cookie in [
        ("/accounts/login/", None),
        ("/en/search/?q=harbour", None),
        ("/en/newsfeed.json", None),
        ("/accounts/state.json", editor),
        ("/accounts/profile/", editor),
        ("/admin/", editor),
        (f"/admin/pages/{story_id}/edit/preview/", editor),
        (f"/admin/pages/{story_id}/view_draft/", editor),
    ]:
        for _ in range(2):
            status, headers, _ = fetch(demo.url + path, cookie=cookie)
            assert headers["X-Cache"] == "MISS", path
            assert "public" not in headers.get("Cache-Control", ""), path


def test_a_cached_page_answers_conditional_requests_with_304(demo):
    url = demo.url + "/en/world/"
    fetch(url)
    _, headers, text = cached(url)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert etag.startswith('"')  # strong
    status, headers, body = fetch(url, headers={"If-None-Match": etag})
    assert (status, headers["X-Cache"], body) == (304, "HIT", "")
    assert headers["ETag"] == etag
    status, _, body = fetch(url, headers={"If-Modified-Since": modified})
    assert (status, body) == (304, "")
    # A validator the reader does not hold: the page.
    status, _, body = fetch(url, headers={"If-None-Match": '"something-else"'})
    assert (status, body) == (200, text)
    status, _, body = fetch(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert (status, body) == (200, text)
    # A signed-in reader too.
    status, _, _ = fetch(url, cookie=sign_in(demo, "ada-304"), headers={"If-None-Match": etag})
    assert status == 304


def test_a_purge_gives_the_page_a_new_validator(demo):
    url = demo.url + "/en/science/"
    fetch(url)
    etag = cached(url)[1]["ETag"]
    publish(demo, "ice-core-record", "Ice Core Record Reaches Deeper Past")
    eventually(lambda: "Ice Core Record Reaches Deeper Past" in fetch(url)[2])
    status, headers, text = fetch(url, headers={"If-None-Match": etag})
    assert status == 200 and "Ice Core Record Reaches Deeper Past" in text
    assert headers["ETag"] != etag
    assert fetch(url, headers={"If-None-Match": headers["ETag"]})[0] == 304


def test_cached_pages_come_compressed_and_decode_to_the_same_bytes(demo):
    decoders = {"gzip": gzip.decompress, "br": brotli.decompress}
    for path in ("/en/", "/en/feed/", "/en/sitemaps/news.xml"):
        url = demo.url + path
        fetch(url)
        _, plain_headers, plain = cached(url, raw=True)
        assert plain_headers["Vary"] == "Accept-Encoding"
        assert "Content-Encoding" not in plain_headers
        etags = {plain_headers["ETag"]}
        for coding, asked in (("gzip", "gzip, deflate"), ("br", "gzip, deflate, br, zstd")):
            status, headers, body = cached(url, headers={"Accept-Encoding": asked}, raw=True)
            assert status == 200
            assert headers["Content-Encoding"] == coding, path
            assert headers["Vary"] == "Accept-Encoding"
            assert int(headers["Content-Length"]) == len(body) < len(plain)
            assert decoders[coding](body) == plain, path
            etags.add(headers["ETag"])
            # 304 for the validator of the bytes the reader holds.
            request = {"Accept-Encoding": asked, "If-None-Match": headers["ETag"]}
            assert fetch(url, headers=request)[0] == 304
        assert len(etags) == 3, path
        # Not asked for, or refused: the bytes as rendered.
        assert cached(url, headers={"Accept-Encoding": "br;q=0, gzip;q=0"}, raw=True)[2] == plain


def test_a_cached_front_shows_a_newly_published_story_at_once(demo):
    pages = ["/en/", "/en/science/", "/en/feed/"]
    for path in pages:
        fetch(demo.url + path)
        assert "Comet Dust Found In Alpine Snow" not in cached(demo.url + path)[2]
    publish(demo, "comet-dust-alpine-snow", "Comet Dust Found In Alpine Snow")
    for path in pages:
        eventually(lambda path=path: "Comet Dust Found In Alpine Snow" in fetch(demo.url + path)[2])


def test_a_changed_story_is_shown_changed_on_every_cached_page(demo):
    story_id, path = publish(demo, "glacier-retreat-measured", "Glacier Retreat Measured")
    pages = [path, "/en/", "/en/science/"]
    for page in pages:
        eventually(lambda page=page: "Glacier Retreat Measured" in fetch(demo.url + page)[2])
        cached(demo.url + page)
    demo.dateline(
        "shell",
        "-c",
        "from dateline.articles.models import ArticlePage;"
        f"s = ArticlePage.objects.get(pk={story_id}).get_latest_revision_as_object();"
        "s.title = 'Glacier Retreat Measured From Space';"
        "s.save_revision().publish()",
    )
    new = "Glacier Retreat Measured From Space"
    for page in pages:
        eventually(lambda page=page: new in fetch(demo.url + page)[2])


def test_a_withdrawn_story_leaves_every_cached_page(demo):
    headline = "Meteor Shower Peaks Tonight"
    story_id, path = publish(
        demo,
        "meteor-shower-peaks",
        headline,
        tags=["sky-watch"],
        bylines=["Tomas Vey"],
    )
    day = path.rsplit("/", 2)[0] + "/"
    pages = [
        path,
        "/en/",
        "/en/science/",
        "/en/tags/sky-watch/",
        "/en/people/tomas-vey/",
        day,
        "/en/feed/",
        "/en/science/feed/",
        "/en/tags/sky-watch/feed/",
        "/en/sitemaps/news.xml",
    ]
    for page in pages:
        eventually(lambda page=page: headline in fetch(demo.url + page)[2])
        assert headline in cached(demo.url + page)[2], page
    demo.dateline(
        "shell",
        "-c",
        "from dateline.articles.actions import withdraw_story;"
        "from dateline.articles.models import ArticlePage;"
        f"withdraw_story(ArticlePage.objects.get(pk={story_id}), reason='Wrong night.')",
    )
    eventually(lambda: fetch(demo.url + path)[0] == 410)
    for page in pages[1:]:
        eventually(lambda page=page: headline not in fetch(demo.url + page)[2])
