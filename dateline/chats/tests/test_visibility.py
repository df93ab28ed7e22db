"""A room opened for a story is seen by readers only when the story is (issue 17, finding 5):
the rule every public surface uses, ArticlePage.objects.visible()."""

import asyncio
import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dateline.articles.actions import withdraw_story
from dateline.chats.access import hidden_room_ids
from dateline.chats.models import ChatMessage, ChatRoom
from dateline.chats.tests.conftest import send
from dateline.live.channels import ChannelManager, hidden_channels
from tests.apart import run_apart

HOUR = dt.timedelta(hours=1)


def draft(make_story):
    return make_story("Secret Merger Talks", publish=False)


def scheduled(make_story):
    return make_story("Secret Merger Talks", published_at=timezone.now() + HOUR)


def expired(make_story):
    story = make_story("Secret Merger Talks")
    story.expire_at = timezone.now() - dt.timedelta(minutes=1)
    story.save(update_fields=["expire_at"])
    return story


def unpublished(make_story):
    story = make_story("Secret Merger Talks")
    story.unpublish()
    return story


def withdrawn(make_story):
    return withdraw_story(make_story("Secret Merger Talks"), reason="Legal")


NOT_VISIBLE = [draft, scheduled, expired, unpublished, withdrawn]


@pytest.fixture
def secret_room(edition, make_story, make_reader, request):
    story = request.param(make_story)
    room = ChatRoom.objects.create(edition=edition, title="Merger talk", slug="merger", story=story)
    ChatMessage.objects.create(room=room, user=make_reader("Bob"), text="Heard about the merger?")
    return room


@pytest.mark.parametrize("secret_room", NOT_VISIBLE, indirect=True, ids=lambda f: f.__name__)
def test_a_room_of_a_story_readers_cannot_see_is_nowhere_for_them(client, secret_room, make_reader):
    html = client.get("/en/chats/").content.decode()
    assert "Secret Merger Talks" not in html and "Merger talk" not in html
    assert ">General<" in html
    assert client.get(secret_room.url).status_code == 404
    history = client.get(f"{secret_room.url}messages.json")
    assert history.status_code == 404 and "merger" not in history.content.decode().lower()
    client.force_login(make_reader("Ada"))
    assert send(client, secret_room, "Any news?").status_code == 404
    here = client.post(
        f"{secret_room.url}here/", json.dumps({"token": "a" * 32}), content_type="application/json"
    )
    assert here.status_code == 404
    assert ChatMessage.objects.filter(room=secret_room).count() == 1
    # The live stream: the room's channel is not read (the app's stream and Pushpin's).
    channel = secret_room.channel
    assert hidden_channels([channel, "edition-en"]) == {channel}
    assert not ChannelManager().can_read_channel(None, channel)
    assert ChannelManager().can_read_channel(None, "edition-en")


@pytest.mark.parametrize("secret_room", NOT_VISIBLE, indirect=True, ids=lambda f: f.__name__)
def test_the_newsroom_still_sees_and_moderates_the_room(client, secret_room):
    chief = get_user_model().objects.create_superuser("chief", "chief@example.com", "pw")
    client.force_login(chief)
    listing = client.get("/admin/chats/").content.decode()
    assert "Merger talk" in listing
    page = client.get(f"/admin/chats/{secret_room.pk}/")
    assert page.status_code == 200 and "Heard about the merger?" in page.content.decode()


def test_the_room_opens_to_readers_when_its_story_is_published(client, edition, make_story):
    from dateline.articles.actions import publish_story

    story = make_story("Secret Merger Talks", publish=False)
    room = ChatRoom.objects.create(edition=edition, title="Merger talk", slug="merger", story=story)
    assert client.get(room.url).status_code == 404
    assert hidden_room_ids([room.pk]) == {room.pk}
    publish_story(story, at=timezone.now() - HOUR)
    assert client.get(room.url).status_code == 200
    assert "Secret Merger Talks" in client.get("/en/chats/").content.decode()
    assert hidden_room_ids([room.pk]) == set()
    story_page = client.get(story.url).content.decode()
    assert 'href="/en/chats/merger/"' in story_page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("secret_room", [draft], indirect=True, ids=["draft"])
def test_the_apps_own_stream_refuses_the_rooms_channel(secret_room):
    from dateline.live.hub import serve_stream

    sent = []

    async def receive():
        await asyncio.sleep(3600)

    async def record(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "headers": [],
        "query_string": f"channel=edition-en&channel={secret_room.channel}&lastEventId=".encode(),
    }
    run_apart(asyncio.wait_for(serve_stream(scope, receive, record), 10))
    assert sent[0]["status"] == 404
    assert b"No such channel" in b"".join(m.get("body", b"") for m in sent)


def test_a_room_of_a_story_in_a_private_edition_is_nowhere_for_readers(client, edition, make_story):
    from wagtail.models import PageViewRestriction

    story = make_story("Secret Merger Talks", tags=["merger"])
    room = ChatRoom.objects.create(edition=edition, title="Merger talk", slug="merger", story=story)
    PageViewRestriction.objects.create(page=story.get_parent(), restriction_type="login")
    assert "Secret Merger Talks" not in client.get("/en/chats/").content.decode()
    assert client.get(room.url).status_code == 404
    assert client.get("/en/tags/merger/").status_code == 404
    assert client.get("/api/stories").json()["items"] == []
