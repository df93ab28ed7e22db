import datetime as dt

import pytest
from django.utils import timezone

from dateline.chats.models import ChatMessage, ChatMute
from dateline.chats.tests.conftest import events, history, send
from dateline.discussion.models import ReaderBan


def test_a_verified_reader_posts_and_the_room_gets_it(
    client, room, make_reader, django_capture_on_commit_callbacks
):
    client.force_login(make_reader("Ada"))
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, room, "Anyone watching the vote?")
    assert response.status_code == 201
    message = response.json()
    assert message["author"] == "Ada"
    assert message["text"] == "Anyone watching the vote?"
    assert events(room) == [("message", message)]
    data = history(client, room)
    assert [m["id"] for m in data["messages"]] == [message["id"]]
    assert data["last_event_id"] == f"chat-{room.pk}:1"


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("anonymous", "Sign in to chat."),
        ("unverified", "Confirm your e-mail address"),
        ("banned", "can no longer post"),
    ],
)
def test_only_signed_in_verified_readers_who_are_not_banned_post(
    client, room, make_reader, who, message
):
    if who != "anonymous":
        reader = make_reader("Bob", verified=(who != "unverified"))
        if who == "banned":
            ReaderBan.objects.create(user=reader, reason="spam")
        client.force_login(reader)
    response = send(client, room, "Hello.")
    assert response.status_code == 403
    assert message in response.json()["error"]
    assert not ChatMessage.objects.exists()


def test_a_muted_reader_is_told_until_when_and_why(client, room, make_reader):
    reader = make_reader("Bob")
    client.force_login(reader)
    until = timezone.now() + dt.timedelta(minutes=30)
    ChatMute.objects.create(user=reader, room=room, until=until, reason="Spamming links")
    response = send(client, room, "Let me speak.")
    assert response.status_code == 403
    expected = room.edition.format_datetime(until)
    assert response.json()["error"] == (
        f"You are muted in this room until {expected}. Reason: Spamming links"
    )
    assert not ChatMessage.objects.exists()


def test_a_mute_for_every_room_applies_everywhere_and_ends_by_itself(client, room, make_reader):
    from dateline.chats.models import ChatRoom

    other = ChatRoom.objects.create(edition=room.edition, title="Elections", slug="elections")
    reader = make_reader("Bob")
    client.force_login(reader)
    mute = ChatMute.objects.create(
        user=reader, until=timezone.now() + dt.timedelta(minutes=5), reason=""
    )
    for where in (room, other):
        response = send(client, where, "Hello?")
        assert response.status_code == 403
        assert "You are muted in all chats until" in response.json()["error"]
    ChatMute.objects.filter(pk=mute.pk).update(until=timezone.now() - dt.timedelta(seconds=1))
    assert send(client, other, "Back again.").status_code == 201


def test_a_room_mute_leaves_other_rooms_open(client, room, make_reader):
    from dateline.chats.models import ChatRoom

    other = ChatRoom.objects.create(edition=room.edition, title="Elections", slug="elections")
    reader = make_reader("Bob")
    client.force_login(reader)
    ChatMute.objects.create(user=reader, room=room, until=timezone.now() + dt.timedelta(hours=1))
    assert send(client, room, "Hi.").status_code == 403
    assert send(client, other, "Hi.").status_code == 201


def test_a_closed_room_refuses_messages_but_keeps_its_history(client, room, make_reader):
    client.force_login(make_reader("Ada"))
    assert send(client, room, "Before closing.").status_code == 201
    room.is_open = False
    room.save()
    response = send(client, room, "After closing.")
    assert response.status_code == 403
    assert response.json()["error"] == "This room is closed."
    data = history(client, room)
    assert data["room"]["open"] is False
    assert [m["text"] for m in data["messages"]] == ["Before closing."]


def test_the_rate_limit_answers_429_with_a_clear_message(client, room, make_reader):
    client.force_login(make_reader("Ada"))
    for n in range(20):
        assert send(client, room, f"Message {n}").status_code == 201
    response = send(client, room, "One too many")
    assert response.status_code == 429
    error = response.json()["error"]
    assert error.startswith("You are sending messages too fast: at most 20 in 30 seconds. Wait ")
    assert 1 <= int(response["Retry-After"]) <= 30
    assert ChatMessage.objects.count() == 20
    # Thirty seconds later the reader may post again.
    ChatMessage.objects.update(created_at=timezone.now() - dt.timedelta(seconds=31))
    assert send(client, room, "Patience rewarded").status_code == 201


def test_posting_needs_csrf(room, make_reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_reader("Ada"))
    assert send(client, room, "Hello.").status_code == 403
    assert not ChatMessage.objects.exists()


def test_an_unknown_room_is_404_with_a_message(client, edition, make_reader):
    from dateline.chats.models import ChatRoom

    client.force_login(make_reader("Ada"))
    ghost = ChatRoom(edition=edition, slug="no-such-room")
    response = send(client, ghost, "Hello?")
    assert response.status_code == 404
    assert response.json()["error"] == "There is no such chat room."
