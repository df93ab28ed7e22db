"""Everything a reader can send to a room is checked: each bad input gets a clear 4xx with the
reason, and nothing is stored or sent to the room."""

import json

import pytest

from dateline.chats.models import ChatMessage
from dateline.chats.tests.conftest import events

HOSTILE_TEXT = [
    ("", "Write something"),
    ("   \t  ", "Write something"),
    ("x" * 501, "At most 500 characters"),
    ("null byte \x00 here", "control"),
    ("bell \x07", "control"),
    ("escape \x1b[31m red", "control"),
    ("two\nlines", "one line"),
    ("\u202eevil reversed", "direction"),
    ("isolate \u2066hidden\u2069", "direction"),
    ("<script>alert(1)</script>", "plain text"),
    ('<img src=x onerror="alert(1)">', "plain text"),
    ("fish &amp; chips", "plain text"),
    ("\ud800 lone surrogate", "Unicode"),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE_TEXT)
def test_hostile_text_is_refused_with_a_reason_and_nothing_is_stored(
    client, room, make_reader, text, message, django_capture_on_commit_callbacks
):
    client.force_login(make_reader("Mal"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{room.url}messages/", json.dumps({"text": text}), content_type="application/json"
        )
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not ChatMessage.objects.exists()
    assert events(room) == []


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("{not json", 400, "not valid JSON"),
        ('["a list"]', 400, "not valid JSON"),
        ("\xff\xfe", 400, "not valid JSON"),
        (json.dumps({"text": ["a", "list"]}), 400, "Send text"),
        (json.dumps({"text": 12}), 400, "Send text"),
        (json.dumps({"text": "x" * 20_000}), 413, "far too long"),
    ],
)
def test_malformed_requests_get_a_clear_error(client, room, make_reader, body, status, message):
    client.force_login(make_reader("Mal"))
    response = client.post(f"{room.url}messages/", body, content_type="application/json")
    assert response.status_code == status
    assert message in response.json()["error"]
    assert not ChatMessage.objects.exists()


def test_a_huge_body_is_refused_before_it_is_read(client, room, make_reader):
    client.force_login(make_reader("Mal"))
    response = client.post(f"{room.url}messages/", "x" * 5_000_000, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"] == "That is far too long."
    assert not ChatMessage.objects.exists()


def test_text_that_looks_like_markup_is_stored_and_sent_as_plain_text(client, room, make_reader):
    client.force_login(make_reader("Ada"))
    text = "2 < 3 and 5 > 4, \"quotes\" & 'apostrophes'"
    response = client.post(
        f"{room.url}messages/", json.dumps({"text": text}), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["text"] == text
    assert ChatMessage.objects.get().text == text
