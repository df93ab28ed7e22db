"""What Django marks as cacheable, and the purges that changes write to the log every web
process follows. (Serving from the cache is tested through a running server in
tests/test_page_cache.py.)"""

import pytest

from dateline.pagecache.keys import KEYS_HEADER
from dateline.pagecache.models import Purge


@pytest.fixture
def story(make_story):
    return make_story(
        "Tide Tables Rewritten", section="world", tags=["tides"], bylines=["Tomas Vey"]
    )


def test_it_marks_public_pages_for_anonymous_readers(client, story):
    for url in ("/en/", "/en/world/", story.url, "/en/tags/tides/", "/en/feed/", "/sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"], url
        # nginx keeps no page in variants (its purges reach one variant only).
        assert "Vary" not in response, url
        assert "edition:en" in response[KEYS_HEADER] or url == "/sitemap.xml", url
    assert f"page:{story.pk}" in client.get(story.url)[KEYS_HEADER]
    assert client.get("/sitemap.xml")[KEYS_HEADER] == "global"


def public_pages(story, coverage):
    day = story.url.rsplit("/", 2)[0] + "/"
    return [
        "/en/",
        "/en/world/",
        story.url,
        day,
        coverage.url,
        "/en/tags/tides/",
        "/en/people/tomas-vey/",
        "/en/archive/",
        "/en/corrections/",
        "/en/feed/",
        "/en/feed/atom/",
        "/en/world/feed/",
        "/en/tags/tides/feed/",
        "/en/sitemaps/news.xml",
        "/sitemap.xml",
        "/robots.txt",
    ]


def test_signed_in_readers_and_staff_get_the_anonymous_page_byte_for_byte(
    client, story, coverage, make_reader, django_user_model
):
    from django.test import Client

    ada, bob = make_reader("Ada"), make_reader("Bob")
    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "a-long-pass-1")
    readers = []
    for user in (ada, bob, editor):
        reader = Client()
        reader.force_login(user)
        reader.cookies["csrftoken"] = "a" * 32  # a reader who once posted a form
        readers.append(reader)
    assert readers[0].get("/accounts/state.json").json()["name"] == "Ada"
    assert readers[1].get("/accounts/state.json").json()["name"] == "Bob"
    for url in public_pages(story, coverage):
        anonymous = client.get(url)
        assert anonymous.status_code == 200, url
        for reader in readers:
            response = reader.get(url)
            assert response.content == anonymous.content, url
            assert response["ETag"] == anonymous["ETag"], url
            assert "public" in response["Cache-Control"], url
            assert response[KEYS_HEADER] == anonymous[KEYS_HEADER], url
            assert not response.cookies, url
            assert "Vary" not in response, url
    page = readers[0].get(story.url).content.decode()
    for personal in ("Ada", "ada@example.org", "csrfmiddlewaretoken", "a" * 32, "Sign out"):
        assert personal not in page


def test_it_gives_public_pages_validators_that_change_with_their_bytes(client, story):
    first = client.get(story.url)
    assert first["ETag"].startswith('"') and first["ETag"].endswith('"')  # strong
    assert first["Last-Modified"].endswith(" GMT")
    assert client.get(story.url)["ETag"] == first["ETag"]
    revision = story.get_latest_revision_as_object()
    revision.title = "Tide Tables Rewritten Again"
    revision.save_revision().publish()
    assert client.get(story.url)["ETag"] != first["ETag"]


def test_it_marks_nothing_personal(client, story, make_reader):
    # A notice waiting to be shown once is in the page itself.
    client.cookies["messages"] = "notice"
    response = client.get("/en/")
    assert KEYS_HEADER not in response
    assert "public" not in response.get("Cache-Control", "")
    del client.cookies["messages"]
    assert KEYS_HEADER not in client.get("/en/", HTTP_AUTHORIZATION="Bearer x")
    client.force_login(make_reader("Ada"))
    for url in (
        "/accounts/login/",
        "/accounts/profile/",
        "/accounts/state.json",
        "/en/search/?q=tide",
        f"/discussion/pages/{story.pk}/comments.json",
        "/admin/",
        f"/admin/pages/{story.pk}/edit/preview/",
    ):
        response = client.get(url)
        assert KEYS_HEADER not in response, url
        assert "public" not in response.get("Cache-Control", ""), url


def test_publishing_and_withdrawing_purge_the_edition(
    story, make_story, django_capture_on_commit_callbacks
):
    from dateline.articles.actions import withdraw_story

    with django_capture_on_commit_callbacks(execute=True):
        make_story("Harbour Wall Repaired")
    assert {"edition:en", "global"} <= set(Purge.objects.latest("pk").keys.split())
    before = Purge.objects.latest("pk").pk
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_story(story, reason="Wrong tide.")
    keys = [set(p.keys.split()) for p in Purge.objects.filter(pk__gt=before)]
    assert any({"edition:en", f"page:{story.pk}"} <= k for k in keys)


def test_a_failed_change_purges_nothing(story, django_capture_on_commit_callbacks):
    from django.db import transaction

    count = Purge.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        story.save_revision().publish()
        raise RuntimeError("rolled back")
    assert Purge.objects.count() == count


def test_the_redis_cache_answers_misses_when_redis_is_away():
    from dateline.production.cache import ResilientRedisCache
    from tests.conftest import free_port

    # A real Redis client against a port nothing listens on.
    cache = ResilientRedisCache(f"redis://127.0.0.1:{free_port()}/0", {})
    assert cache.get("key", "default") == "default"
    assert cache.add("lock", True) is True
    assert cache.incr("counter", 3) == 3
    assert cache.get_many(["a", "b"]) == {}
    cache.set("key", "value")
    cache.delete("key")
