import datetime as dt

import feedparser
import pytest
from django.utils import timezone
from lxml import etree


def ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


def parse(response):
    assert response.status_code == 200, response.status_code
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


FEEDS = [
    ("/en/feed/", "rss20"),
    ("/en/feed/atom/", "atom10"),
    ("/en/asia/feed/", "rss20"),
    ("/en/asia/feed/atom/", "atom10"),
    ("/en/tags/tokyo/feed/", "rss20"),
    ("/en/tags/tokyo/feed/atom/", "atom10"),
    ("/en/people/aiko-sato/feed/", "rss20"),
    ("/en/people/aiko-sato/feed/atom/", "atom10"),
]


@pytest.mark.parametrize(("url", "version"), FEEDS)
def test_it_serves_every_feed_in_both_formats_with_the_story_and_its_photo_credit(
    client, make_story, make_photo, url, version
):
    photo = make_photo(
        caption="Minister at the podium", photographer="Rui Fontes", agency="Northwire"
    )
    make_story(
        "Minister Vows Talks",
        section="asia",
        standfirst="Talks resume in spring.",
        tags=["Tokyo"],
        bylines=["Aiko Sato"],
        photo=photo,
    )
    response = client.get(url)
    feed = parse(response)
    assert feed.version == version
    [entry] = feed.entries
    assert entry.title == "Minister Vows Talks"
    assert entry.link.startswith("http://") and "/en/" in entry.link
    assert "Talks resume in spring." in entry.summary
    assert entry.author == "Aiko Sato"
    assert {"Asia", "Tokyo"} <= {t.term for t in entry.tags}
    [media] = entry.media_content
    assert media["medium"] == "image" and media["url"].endswith(".jpg")
    assert client.get(media["url"].removeprefix("http://127.0.0.1:8000")).status_code == 200
    assert entry.media_credit == [
        {"role": "photographer", "scheme": "urn:ebu", "content": "Rui Fontes"},
        {"role": "distributor", "scheme": "urn:ebu", "content": "Northwire"},
    ]
    assert entry.media_copyright == "© 2026 Testwire"
    # feedparser folds media:description into the entry's summary; read it from the XML.
    tree = etree.fromstring(response.content)
    [caption] = tree.iter("{http://search.yahoo.com/mrss/}description")
    assert caption.text == "Minister at the podium"


def test_a_feed_lists_only_its_own_stories_newest_first(client, make_story):
    make_story("Old Asia", section="asia", published_at=ago(5), tags=["Tokyo"])
    make_story("New Asia", section="asia", published_at=ago(1))
    make_story("In Europe", section="europe", published_at=ago(2), tags=["Tokyo"])
    titles = [e.title for e in parse(client.get("/en/asia/feed/")).entries]
    assert titles == ["New Asia", "Old Asia"]
    tagged = [e.title for e in parse(client.get("/en/tags/tokyo/feed/atom/")).entries]
    assert tagged == ["In Europe", "Old Asia"]


def test_a_story_without_a_photo_has_no_media_content(client, make_story):
    make_story("Words Only", photo=False)
    [entry] = parse(client.get("/en/feed/")).entries
    assert "media_content" not in entry


def test_the_feed_names_the_edition_its_language_and_its_own_address(client, edition, make_story):
    make_story("Anything")
    assert parse(client.get("/en/feed/")).feed.language == "en"
    feed = parse(client.get("/en/feed/atom/")).feed
    assert feed.title == "The Test Times"
    assert any(link.rel == "self" and link.href.endswith("/en/feed/atom/") for link in feed.links)


def test_scheduled_and_draft_stories_are_in_no_feed(client, make_story):
    make_story("Visible Story", section="asia", tags=["Tokyo"], bylines=["Aiko Sato"])
    make_story(
        "Scheduled Story",
        section="asia",
        tags=["Tokyo"],
        bylines=["Aiko Sato"],
        published_at=timezone.now() + dt.timedelta(hours=3),
    )
    make_story("Draft Story", section="asia", tags=["Tokyo"], bylines=["Aiko Sato"], publish=False)
    for url, _version in FEEDS:
        body = client.get(url).content.decode()
        assert "Visible Story" in body, url
        assert "Scheduled Story" not in body and "Draft Story" not in body, url


@pytest.mark.parametrize(
    "url", ["/en/nowhere/feed/", "/en/tags/nothing/feed/", "/en/people/nobody/feed/atom/"]
)
def test_unknown_sections_tags_and_people_have_no_feed(client, edition, url):
    assert client.get(url).status_code == 404


def test_an_unchanged_feed_answers_304_to_its_etag_and_its_date(client, make_story):
    make_story("First")
    first = client.get("/en/feed/")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get("/en/feed/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/en/feed/", headers={"If-Modified-Since": modified}).status_code == 304
    # Atom is another representation: its validator differs.
    assert client.get("/en/feed/atom/", headers={"If-None-Match": etag}).status_code == 200


def test_a_new_story_changes_the_etag_and_the_feed_is_sent_again(client, make_story):
    make_story("First", published_at=ago(3))
    etag = client.get("/en/feed/").headers["ETag"]
    make_story("Second", published_at=ago(1))
    response = client.get("/en/feed/", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    assert [e.title for e in parse(response).entries] == ["Second", "First"]
