import json

import pytest
from django_eventstream.models import Event

from dateline.chats.models import ChatRoom


@pytest.fixture
def room(edition):
    """The edition's general room, opened with the edition."""
    return ChatRoom.objects.get(edition=edition, slug="general")


def send(client, room, text, **extra):
    return client.post(
        f"{room.url}messages/", json.dumps({"text": text, **extra}), content_type="application/json"
    )


def history(client, room, **params):
    return client.get(f"{room.url}messages.json", params).json()


def events(room):
    return [
        (e.type, json.loads(json.loads(e.data)))
        for e in Event.objects.filter(channel=f"chat-{room.pk}", eid__gt=0).order_by("eid")
    ]
