import json

from dateline.chats.models import ChatMessage
from dateline.chats.tests.conftest import events, send


def test_the_data_download_holds_the_readers_messages(client, room, make_reader):
    client.force_login(make_reader("Ada"))
    send(client, room, "Hello from Ada.")
    data = json.loads(client.get("/accounts/data.json").content)
    assert [(m["room"], m["text"]) for m in data["chat_messages"]] == [
        ("/en/chats/general/", "Hello from Ada.")
    ]


def test_deleting_the_account_removes_the_messages_from_open_pages(
    client, room, make_reader, django_capture_on_commit_callbacks
):
    ada = make_reader("Ada")
    client.force_login(make_reader("Bob"))
    send(client, room, "Bob stays.")
    client.force_login(ada)
    with django_capture_on_commit_callbacks(execute=True):
        message = send(client, room, "Ada goes.").json()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/delete/", {"password": "a-long-password-1"})
    assert [m.text for m in ChatMessage.objects.all()] == ["Bob stays."]
    assert events(room)[-1] == ("message-remove", {"id": message["id"]})
