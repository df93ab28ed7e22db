import datetime as dt

from django.utils import timezone

from dateline.chats.models import ChatMessage, ChatMute, ChatRoom
from dateline.chats.tests.conftest import events, history, send


def test_a_moderator_deletes_a_message_and_it_goes_from_every_page(
    client, room, make_reader, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(make_reader("Ada"))
    with django_capture_on_commit_callbacks(execute=True):
        message = send(client, room, "Something rude.").json()
    client.force_login(admin_user)
    page = client.get(f"/admin/chats/{room.pk}/").content.decode()
    assert "Something rude." in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/chats/messages/{message['id']}/remove/")
    assert ChatMessage.objects.get().removed
    assert history(client, room)["messages"] == []
    assert events(room)[-1] == ("message-remove", {"id": message["id"]})


def test_a_moderator_mutes_the_author_for_some_minutes(client, room, make_reader, admin_user):
    reader = make_reader("Bob")
    client.force_login(reader)
    message = send(client, room, "Buy cheap watches.").json()
    client.force_login(admin_user)
    client.post(f"/admin/chats/messages/{message['id']}/mute/", {"minutes": "15", "reason": "Spam"})
    mute = ChatMute.objects.get()
    assert mute.room == room and mute.reason == "Spam" and mute.by == admin_user
    assert abs(mute.until - (timezone.now() + dt.timedelta(minutes=15))) < dt.timedelta(seconds=5)
    assert "Muted readers" in client.get("/admin/chats/").content.decode()
    client.force_login(reader)
    response = send(client, room, "Buy more watches.")
    assert response.status_code == 403
    assert "Reason: Spam" in response.json()["error"]

    client.force_login(admin_user)
    client.post(f"/admin/chats/mutes/{mute.pk}/lift/")
    client.force_login(reader)
    assert send(client, room, "I will behave.").status_code == 201


def test_a_bad_mute_length_is_refused(client, room, make_reader, admin_user):
    client.force_login(make_reader("Bob"))
    message = send(client, room, "Hello.").json()
    client.force_login(admin_user)
    for minutes in ("0", "-5", "abc", str(10**9)):
        client.post(f"/admin/chats/messages/{message['id']}/mute/", {"minutes": minutes})
    assert not ChatMute.objects.exists()


def test_a_moderator_closes_a_room_and_open_pages_are_told(
    client, room, make_reader, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/chats/{room.pk}/close/", follow=True)  # the notice shows there
    room.refresh_from_db()
    assert not room.is_open
    assert events(room) == [("room-closed", {"id": room.pk})]
    assert "General" not in client.get("/en/chats/").content.decode().split("<main")[1]
    client.post(f"/admin/chats/{room.pk}/close/", {"open": "1"})
    room.refresh_from_db()
    assert room.is_open


def test_editors_open_a_room_for_a_story_in_the_newsroom(client, room, make_story, admin_user):
    story = make_story("Flood Defences Hold")
    client.force_login(admin_user)
    assert client.get("/admin/chat-rooms/new/").status_code == 200
    response = client.post(
        "/admin/chat-rooms/new/",
        {
            "edition": room.edition.pk,
            "title": "Floods",
            "slug": "floods",
            "description": "",
            "story": story.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = ChatRoom.objects.get(slug="floods")
    assert created.story_id == story.pk and created.is_open
    assert "Floods" in client.get("/admin/chats/").content.decode()


def test_the_newsroom_roles_carry_the_chat_rights(db, edition, django_user_model):
    from dateline.newsroom.roles import EDITORS, MODERATORS, REPORTERS, setup_newsroom

    groups = setup_newsroom()

    def user_in(group):
        user = django_user_model.objects.create_user(group.lower(), password="x")
        user.groups.add(groups[group])
        return django_user_model.objects.get(pk=user.pk)

    moderator, editor, reporter = user_in(MODERATORS), user_in(EDITORS), user_in(REPORTERS)
    assert moderator.has_perm("chats.moderate_chat")
    assert not moderator.has_perm("chats.add_chatroom")
    assert editor.has_perm("chats.moderate_chat") and editor.has_perm("chats.add_chatroom")
    assert not reporter.has_perm("chats.moderate_chat")


def test_without_the_right_there_is_no_chat_moderation(client, room, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/chats/").status_code in (302, 403)
    assert client.post(f"/admin/chats/{room.pk}/close/").status_code in (302, 403)
    room.refresh_from_db()
    assert room.is_open
