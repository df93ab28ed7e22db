import json

import pytest

from dateline.chats.models import ChatRoom


def beat(client, room, token, **headers):
    return client.post(
        f"{room.url}here/", json.dumps({"token": token}), content_type="application/json", **headers
    )


def test_readers_here_counts_tabs_by_their_heartbeat_token(client, room):
    first = beat(client, room, "a" * 32).json()
    assert first == {"here": 1, "text": "1 reader here now"}
    assert beat(client, room, "a" * 32).json()["here"] == 1  # the same tab again
    assert beat(client, room, "b" * 32).json() == {"here": 2, "text": "2 readers here now"}
    other = ChatRoom.objects.create(edition=room.edition, title="Elections", slug="elections")
    assert beat(client, other, "c" * 32).json()["here"] == 1


def test_presence_forgets_tabs_after_a_minute(client, room, monkeypatch):
    import time as clock

    now = (clock.time() // 30) * 30 + 1  # at the start of a 30 s slot, as the count is per slot
    monkeypatch.setattr("dateline.chats.presence.time.time", lambda: now)
    beat(client, room, "a" * 32)
    beat(client, room, "b" * 32)
    monkeypatch.setattr("dateline.chats.presence.time.time", lambda: now + 35)
    # One tab still beats; the other closed: both are within the last minute.
    assert beat(client, room, "a" * 32).json()["here"] == 2
    monkeypatch.setattr("dateline.chats.presence.time.time", lambda: now + 65)
    assert beat(client, room, "a" * 32).json()["here"] == 1


@pytest.mark.parametrize("token", ["", "short", "x" * 65, "has spaces in it ok?", 12, None])
def test_a_bad_token_is_refused(client, room, token):
    response = beat(client, room, token)
    assert response.status_code == 400
    assert response.json()["error"] == "That is not a presence token."


def test_heartbeats_from_other_sites_are_refused(client, room):
    response = beat(client, room, "a" * 32, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert beat(client, room, "b" * 32).json()["here"] == 1
