"""What Django marks as cacheable, and the purges that changes write to the log every web
process follows. (Serving from the cache is tested through a running server in
tests/test_page_cache.py.)"""

import pytest

from dateline.pagecache.keys import KEYS_HEADER
from dateline.pagecache.models import Purge


@pytest.fixture
def story(make_story):
    return make_story("Tide Tables Rewritten", section="world", tags=["tides"])


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


def test_it_marks_nothing_personal(client, story, django_user_model):
    client.cookies["sessionid"] = "someone"
    response = client.get("/en/")
    assert KEYS_HEADER not in response
    assert "public" not in response.get("Cache-Control", "")
    del client.cookies["sessionid"]
    for url in (
        "/accounts/login/",
        "/en/search/?q=tide",
        f"/discussion/pages/{story.pk}/comments.json",
    ):
        assert KEYS_HEADER not in client.get(url), url


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
