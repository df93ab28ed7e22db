"""Stream opens through Pushpin, answered in front of Django (dateline.live.grip): what Pushpin
is told to hold, and what is refused before anything is held."""

import time

import jwt
import pytest

from dateline.live.grip import with_lean_stream_opens
from tests.apart import run_apart

KEY = "test-key-" + "k" * 32


def signature(key=KEY, iss="pushpin", seconds=3600):
    return jwt.encode({"iss": iss, "exp": int(time.time()) + seconds}, key, algorithm="HS256")


@pytest.fixture
def app(settings):
    settings.GRIP_URL = f"http://127.0.0.1:5561?iss=pushpin&key={KEY}"
    reached_django = []

    async def django_app(scope, receive, send):
        reached_django.append(scope["path"])
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"django"})

    lean = with_lean_stream_opens(django_app)
    lean.reached_django = reached_django
    return lean


def call(app, query=b"channel=edition-en", headers=()):
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/events/",
        "query_string": query,
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers],
    }
    sent = []

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    run_apart(app(scope, receive, send))
    start = sent[0]
    return (
        start["status"],
        {name.decode(): value.decode() for name, value in start["headers"]},
        b"".join(m.get("body", b"") for m in sent[1:]).decode(),
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_signed_open_is_held_on_its_channels_without_reaching_django(app):
    status, headers, body = call(app, headers=[("Grip-Sig", signature())])
    assert status == 200
    assert headers["grip-hold"] == "stream"
    assert "events-edition-en; prev-id=0" in headers["grip-channel"]
    assert "link=next" in headers["grip-link"] and "timeout=3000" in headers["grip-link"]
    assert headers["grip-keep-alive"].startswith("event: keep-alive")
    assert "event: stream-open" in body
    assert app.reached_django == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_signed_open_gets_the_events_it_missed(app):
    from django_eventstream import send_event

    for n in range(3):
        send_event("edition-en", "story", {"n": n}, async_publish=False)
    status, headers, body = call(
        app, headers=[("Grip-Sig", signature()), ("Last-Event-ID", "edition-en:1")]
    )
    assert status == 200
    assert "id: edition-en:2" in body and "id: edition-en:3" in body
    assert "id: edition-en:1\n" not in body
    assert "events-edition-en; prev-id=3" in headers["grip-channel"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("query", "headers", "status", "text"),
    [
        (b"channel=edition-en", [("Grip-Sig", "forged")], 403, "through the stream proxy"),
        (b"channel=edition-en", [("Grip-Sig", signature(key="x" * 41))], 403, "stream proxy"),
        (b"channel=edition-en", [("Grip-Sig", signature(seconds=-10))], 403, "stream proxy"),
        (b"channel=user-1", [("Grip-Sig", signature())], 400, "No such channel: 'user-1'."),
        (
            b"channel=chat-424242",
            [("Grip-Sig", signature())],
            404,
            "No such channel: 'chat-424242'.",
        ),
        (b"", [("Grip-Sig", signature())], 400, "No channel given."),
    ],
)
def test_a_bad_or_unsigned_open_is_refused_and_nothing_is_held(app, query, headers, status, text):
    got, response_headers, body = call(app, query, headers)
    assert got == status
    assert text in body
    assert not any(name.startswith("grip-") for name in response_headers)
    assert app.reached_django == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pushpins_follow_up_requests_and_unsigned_ones_go_to_django(app):
    call(app, b"channel=edition-en&link=next&recover=true", [("Grip-Sig", signature())])
    call(app, b"channel=edition-en")
    assert app.reached_django == ["/events/", "/events/"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_embedded_tier_refuses_the_stream_of_a_chat_room_readers_may_not_see():
    from dateline.live.hub import serve_stream

    status, headers, body = call(serve_stream, b"channel=edition-en&channel=chat-424242")
    assert (status, body) == (404, "No such channel: 'chat-424242'.\n")
