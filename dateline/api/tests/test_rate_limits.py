"""Rate limits: per API key, and a lower one per address for anonymous clients, counted in the
limits store; 429 with Retry-After past them; the API keeps answering when the cache is down."""

import logging
import time

import pytest
from django.test import Client

URL = "/api/editions"


@pytest.fixture(autouse=True)
def _not_at_a_minute_boundary():
    # Counters are per clock minute: a test's few requests must not straddle two minutes.
    into_minute = time.time() % 60
    if into_minute > 50:
        time.sleep(60.2 - into_minute)


def answers(client, count, url=URL, **extra):
    return [client.get(url, **extra) for _ in range(count)]


def assert_refused(response, message):
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    seconds_left = 60 - int(time.time() % 60)
    assert abs(retry_after - seconds_left) <= 1
    assert message in response.json()["detail"]
    assert f"Try again in {retry_after} second" in response.json()["detail"]
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("cache", ["local memory", "redis"])
def test_a_key_past_its_limit_gets_429_with_retry_after(request, edition, key_for, cache):
    if cache == "redis":
        request.getfixturevalue("redis_cache")
    partner = Client(headers={"X-Api-Key": key_for(requests_per_minute=3)})
    other_partner = Client(headers={"Authorization": f"Bearer {key_for('Other')}"})
    *allowed, refused = answers(partner, 4)
    assert [r.status_code for r in allowed] == [200, 200, 200]
    assert_refused(refused, "This API key may make 3 requests a minute.")
    # Other keys, and the same address without a key, have counters of their own.
    assert other_partner.get(URL).status_code == 200
    assert Client().get(URL).status_code == 200
    assert partner.get(URL).status_code == 429


def test_anonymous_clients_are_limited_per_address(settings, edition, key_for):
    settings.API_ANONYMOUS_REQUESTS_PER_MINUTE = 2
    reader = Client(REMOTE_ADDR="203.0.113.7")
    *allowed, refused = answers(reader, 3, "/api/stories")
    assert [r.status_code for r in allowed] == [200, 200]
    assert_refused(refused, "Without an API key, an address may make 2 requests a minute.")
    assert Client(REMOTE_ADDR="203.0.113.8").get(URL).status_code == 200
    # A partner's key at the same address has its own, higher limit.
    partner = Client(REMOTE_ADDR="203.0.113.7", headers={"X-Api-Key": key_for()})
    assert partner.get(URL).status_code == 200


def test_ipv6_clients_are_counted_by_their_64_bit_network(settings, edition):
    settings.API_ANONYMOUS_REQUESTS_PER_MINUTE = 2
    assert Client(REMOTE_ADDR="2001:db8:1:2::10").get(URL).status_code == 200
    assert Client(REMOTE_ADDR="2001:db8:1:2::11").get(URL).status_code == 200
    assert Client(REMOTE_ADDR="2001:db8:1:2:ffff::1").get(URL).status_code == 429
    assert Client(REMOTE_ADDR="2001:db8:1:3::10").get(URL).status_code == 200


def test_the_limit_is_shared_by_every_worker_through_redis(redis_cache, edition, key_for):
    key = key_for(requests_per_minute=2)
    # Two clients stand for two worker processes: the counter is in Redis, not in either.
    assert Client(headers={"X-Api-Key": key}).get(URL).status_code == 200
    assert Client(headers={"X-Api-Key": key}).get(URL).status_code == 200
    assert Client(headers={"X-Api-Key": key}).get(URL).status_code == 429


def test_with_redis_down_the_api_answers_unlimited_and_says_so_in_the_log(
    edition, key_for, unreachable_redis_cache, settings, caplog
):
    settings.API_ANONYMOUS_REQUESTS_PER_MINUTE = 1
    partner = Client(headers={"X-Api-Key": key_for(requests_per_minute=1)})
    with caplog.at_level(logging.WARNING, logger="dateline.api.limits"):
        assert [r.status_code for r in answers(partner, 3)] == [200, 200, 200]
        assert [r.status_code for r in answers(Client(), 3, "/api/stories")] == [200] * 3
    assert "API rate limits are not enforced: the limits store cannot be reached" in caplog.text
    # A bad key is still refused: keys are checked in the database, not the cache.
    assert Client(headers={"X-Api-Key": "dlk_wrong"}).get(URL).status_code == 401
