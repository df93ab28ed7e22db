import json

import pytest
from allauth.account.models import EmailAddress
from django_eventstream.models import Event

from dateline.chats.models import ChatRoom


@pytest.fixture
def make_reader(db, django_user_model):
    from dateline.accounts.models import ReaderProfile

    def make(name="Ada", verified=True):
        user = django_user_model.objects.create_user(
            name.lower(), f"{name.lower()}@example.org", "a-long-password-1"
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        ReaderProfile.objects.create(user=user, display_name=name)
        return user

    return make


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
