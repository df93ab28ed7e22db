"""The staff badge beside a name comes from the account's role, never from the name: a reader
cannot fake it (a name like "Staff" or "Moderator" is refused anyway), and what a newsroom
account writes carries it in comments and chat messages."""

import json

import pytest
from allauth.account.models import EmailAddress

from dateline.chats.models import ChatRoom


@pytest.fixture
def staff_member(make_reader):
    user = make_reader("Olga")
    user.is_staff = True
    user.save()
    return user


def chat(client, room, text):
    return client.post(
        f"{room.url}messages/", json.dumps({"text": text}), content_type="application/json"
    )


def comment(client, story, text):
    return client.post(
        f"/discussion/pages/{story.pk}/comments/",
        json.dumps({"text": text}),
        content_type="application/json",
    )


def test_staff_messages_carry_the_badge_and_readers_do_not(
    client, edition, make_reader, staff_member, make_story
):
    room = ChatRoom.objects.get(edition=edition, slug="general")
    story = make_story("Badge Story")
    reader = make_reader("Ada")
    client.force_login(reader)
    assert chat(client, room, "Hello from a reader").json()["author_staff"] is False
    assert comment(client, story, "A reader's view").json()["author_staff"] is False
    client.force_login(staff_member)
    assert chat(client, room, "Hello from the desk").json()["author_staff"] is True
    assert comment(client, story, "The desk's answer").json()["author_staff"] is True
    history = client.get(f"{room.url}messages.json").json()["messages"]
    assert [(m["author"], m["author_staff"]) for m in history] == [
        ("Ada", False),
        ("Olga", True),
    ]
    # The pages give the script the badge's words, in the edition's language.
    assert 'data-text-staff="Staff"' in client.get(room.url).content.decode()
    assert 'data-text-staff="Staff"' in client.get(story.url).content.decode()


def test_a_reader_cannot_take_a_staff_members_name(client, edition, make_reader, staff_member):
    reader = make_reader("Ada")
    client.force_login(reader)
    response = client.post("/accounts/profile/", {"display_name": "OLGA"})
    assert "Another reader has that name" in response.content.decode()
    assert reader.reader_profile.display_name == "Ada"
    response = client.post("/accounts/profile/", {"display_name": "Staff"})
    assert "kept for the newsroom" in response.content.decode()
    assert EmailAddress.objects.filter(user=reader).exists()
