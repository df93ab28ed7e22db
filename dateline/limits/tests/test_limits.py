"""The limits store: counters that anonymous traffic cannot evict, that stay exact, and a
clear pause (not an unlimited door) when the store is away."""

import json
import secrets
import socket
import time
import types

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.test import Client

from dateline import limits
from dateline.chats import presence
from dateline.chats.models import ChatRoom

READER = "reader@example.org"
REFUSED = "Too many failed login attempts"


@pytest.fixture
def reader(db):
    return get_user_model().objects.create_user("reader", READER, "right-password-42")


@pytest.fixture
def room(edition):
    return ChatRoom.objects.get(edition=edition, slug="general")


def sign_in(client, password):
    return client.post("/accounts/login/", {"login": READER, "password": password})


def heartbeat(client, room, address):
    return client.post(
        f"{room.url}here/",
        json.dumps({"token": secrets.token_urlsafe(24)}),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_anonymous_heartbeats_do_not_reset_the_password_guessing_limit(edition, reader, room):
    guesser = Client()
    for attempt in range(5):
        assert REFUSED not in sign_in(guesser, f"guess-{attempt}").content.decode()
    assert REFUSED in sign_in(guesser, "guess-5").content.decode()
    # 400 heartbeats with random tokens, from a few addresses, filled the 300-entry cache and
    # evicted the counter; and the default cache may be emptied any time (a Redis restart).
    for number in range(400):
        heartbeat(Client(), room, f"192.0.2.{number % 4 + 1}")
    cache.clear()
    page = sign_in(guesser, "right-password-42").content.decode()
    assert REFUSED in page
    assert "_auth_user_id" not in guesser.session


def test_heartbeats_are_limited_per_address_and_tabs_per_room(edition, room, monkeypatch):
    # The limits' clock stands still at the start of a minute: the heartbeats below must not
    # straddle two windows, the second of which would count afresh.
    start = time.time() // 60 * 60 + 1
    monkeypatch.setattr(limits, "time", types.SimpleNamespace(time=lambda: start))
    client = Client()
    answers = [
        heartbeat(client, room, "198.51.100.20").status_code
        for _ in range(presence.HEARTBEATS_PER_MINUTE + 5)
    ]
    assert answers.count(200) == presence.HEARTBEATS_PER_MINUTE
    refused = heartbeat(client, room, "198.51.100.20")
    assert refused.status_code == 429
    assert "Too many heartbeats from your address" in refused.json()["error"]
    assert int(refused["Retry-After"]) >= 1
    # A room counts a bounded number of tabs, however many addresses send them.
    monkeypatch.setattr(presence, "TOKENS_PER_SLOT", 3)
    other = ChatRoom.objects.create(edition=edition, title="Elections", slug="elections")
    counts = [heartbeat(client, other, f"198.51.100.{n}").json()["here"] for n in range(30, 36)]
    assert counts == [1, 2, 3, 3, 3, 3]


def test_a_counter_is_exact_and_survives_the_default_cache(db):
    for _ in range(3):
        assert limits.hit("test:bucket", 3, 60, now=1000.0) is None
    cache.clear()
    refusal = limits.hit("test:bucket", 3, 60, now=1010.0)
    assert refusal == limits.Refusal(limit=3, retry_after=10)
    assert limits.hit("test:bucket", 3, 60, now=1021.0) is None  # the next minute
    assert limits.first_time("test:once", 60) and not limits.first_time("test:once", 60)


def test_expired_windows_are_pruned_and_live_ones_kept(db):
    store = caches["limits"]
    store.add("old", 1, 1)
    store.add("live", 1, 3600)
    import time

    time.sleep(1.1)
    assert store.prune() == 1
    assert store.get("old") is None and store.get("live") == 1


@pytest.fixture
def limits_store_down(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        **settings.CACHES,
        "limits": {
            "BACKEND": "dateline.limits.store.RedisLimitsStore",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        },
    }


def test_with_the_limits_store_down_signing_in_and_up_pause_and_pages_work(
    edition, reader, limits_store_down
):
    client = Client()
    response = sign_in(client, "right-password-42")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Signing in is paused for a moment; try again in a minute." in response.text
    assert "_auth_user_id" not in client.session
    signup = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
            "display_name": "Nadia",
        },
    )
    assert signup.status_code == 503
    assert not get_user_model().objects.filter(email="new@example.org").exists()
    # Readers' pages keep working.
    assert client.get("/en/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200


def test_twenty_threads_at_once_pass_a_limit_of_five_five_times_in_redis(settings):
    """The Redis store counts with INCR: of 20 requests counted at the same moment, 5 pass."""
    import os
    import threading
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    from redis import Redis
    from redis.exceptions import RedisError

    url = os.environ.get("DATELINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        Redis.from_url(url, socket_connect_timeout=1).ping()
    except RedisError:
        pytest.skip(f"Redis at {url} is not running")
    settings.CACHES = {
        **settings.CACHES,
        "limits": {
            "BACKEND": "dateline.limits.store.RedisLimitsStore",
            "LOCATION": url,
            "KEY_PREFIX": f"dateline-test-{uuid.uuid4().hex}",
        },
    }
    start = threading.Barrier(20)

    def count(_number):
        start.wait()
        return limits.hit("test:parallel", 5, 3600)

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(count, range(20)))
    assert sum(result is None for result in results) == 5
