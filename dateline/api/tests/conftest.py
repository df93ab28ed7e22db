import os
import socket
import uuid

import pytest


@pytest.fixture
def newsroom(edition, django_user_model):
    """An administrator and an editor of the newsroom, after `setup-newsroom`."""
    from dateline.newsroom.roles import ADMINISTRATORS, EDITORS, setup_newsroom

    groups = setup_newsroom()
    users = {}
    for name in (ADMINISTRATORS, EDITORS):
        user = django_user_model.objects.create_user(name.lower(), password="pw")
        user.groups.add(groups[name])
        users[name] = user
    return users


@pytest.fixture
def key_for(db):
    """Issue an API key and return its secret."""
    from dateline.api.actions import issue_api_key

    def issue(partner="Partner Daily", *, name="Website", requests_per_minute=600, active=True):
        _api_key, key = issue_api_key(
            name=name, partner=partner, requests_per_minute=requests_per_minute, active=active
        )
        return key

    return issue


REDIS_URL = os.environ.get("DATELINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_cache(settings):
    """Make the default cache and the limits store the real Redis at DATELINE_TEST_REDIS_URL,
    under a key prefix of this test's own (others use the same Redis). Skip when Redis is not
    there; fail under CI."""
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} is needed: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is not running")
    prefix = f"dateline-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
        "limits": {
            "BACKEND": "dateline.limits.store.RedisLimitsStore",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{prefix}-limits",
        },
    }


@pytest.fixture
def unreachable_redis_cache(settings):
    """Make the default cache and the limits store a Redis on a port where nothing listens, as
    when Redis is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        },
        "limits": {
            "BACKEND": "dateline.limits.store.RedisLimitsStore",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        },
    }
