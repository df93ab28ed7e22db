import datetime as dt

from django.utils import timezone

from dateline.chats.models import ChatMessage
from dateline.chats.tests.conftest import history


def test_history_comes_in_pages_oldest_first_with_older_ones_on_request(client, room, make_reader):
    reader = make_reader("Ada")
    start = timezone.now() - dt.timedelta(hours=1)
    ids = [
        ChatMessage.objects.create(
            room=room, user=reader, text=f"Message {n}", created_at=start + dt.timedelta(seconds=n)
        ).pk
        for n in range(120)
    ]
    ChatMessage.objects.filter(pk=ids[-1]).update(removed=True)
    newest = history(client, room)
    assert [m["id"] for m in newest["messages"]] == ids[69:119]
    assert newest["messages"][-1]["text"] == "Message 118"
    middle = history(client, room, before=newest["older"])
    assert [m["id"] for m in middle["messages"]] == ids[19:69]
    oldest = history(client, room, before=middle["older"])
    assert [m["id"] for m in oldest["messages"]] == ids[:19]
    assert oldest["older"] is None


def test_a_bad_page_is_a_clear_400(client, room):
    for before in ("abc", "-1", "1 OR 1=1", "9" * 40):
        response = client.get(f"{room.url}messages.json", {"before": before})
        assert response.status_code == 400
        assert response.json()["error"] == "That is not a page of messages."


def test_history_of_an_unknown_room_is_404(client, edition):
    response = client.get(f"/{edition.slug}/chats/nowhere/messages.json")
    assert response.status_code == 404
    assert response.json()["error"] == "There is no such chat room."
