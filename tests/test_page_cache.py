"""The embedded tier's page cache, on the running demo site (uvicorn with the ASGI page cache
in front of Django): anonymous readers get public pages from the cache; personal requests and
personal pages never touch it; a story that is published, changed or withdrawn by another
process (a command, as the scheduler would) shows on, or leaves, every cached page at once."""

import datetime as dt
import json
import time
import urllib.error
import urllib.request

import pytest


def fetch(url, *, method="GET", cookie=None):
    """Return (status, headers, text) of a request, whatever the status."""
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


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


def test_personal_requests_and_pages_are_never_cached(demo):
    url = demo.url + "/en/world/"
    for cookie in ("sessionid=someone", "csrftoken=abc; sessionid=someone", "messages=notice"):
        for _ in range(2):
            assert fetch(url, cookie=cookie)[1]["X-Cache"] == "BYPASS"
    # Pages that set a cookie or are marked private are fetched from Django every time.
    for path in ("/accounts/login/", "/en/search/?q=harbour", "/en/newsfeed.json"):
        for _ in range(2):
            assert fetch(demo.url + path)[1]["X-Cache"] == "MISS", path


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
