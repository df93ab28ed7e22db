"""Every newsroom list isolates readers' and editors' text from the line's direction: an
Arabic comment, author, room or headline in an English admin list (and the other way round)
cannot reorder the words around it."""

import pytest

from dateline.chats.actions import open_general_room
from dateline.chats.models import ChatMessage
from dateline.discussion.models import Comment

pytestmark = pytest.mark.django_db

ARABIC = "هذا تعليق باللغة العربية"


def test_the_moderation_queue_isolates_comments_authors_and_headlines(
    client, admin_user, make_story, make_reader
):
    story = make_story("محطة تحلية جديدة")
    reader = make_reader("Layla")
    Comment.objects.create(page=story, user=reader, text=ARABIC, status=Comment.Status.PENDING)
    client.force_login(admin_user)
    html = client.get("/admin/discussion/?queue=waiting").content.decode()
    assert f'<p dir="auto">{ARABIC}</p>' in html
    assert "<bdi>محطة تحلية جديدة</bdi>" in html
    row = html[html.index("data-comment=") :]
    assert "<bdi>" in row[: row.index("</tr>")].split("</td>")[1]  # the author's name
    assert "<time" in row[: row.index("</tr>")]  # 24-hour, not "Dec. 7, 2026, 1:05 p.m."
    assert "p.m." not in row[: row.index("</tr>")]


def test_the_chat_admin_isolates_room_titles_and_messages(client, admin_user, edition, make_reader):
    room = open_general_room(edition)
    room.title = "غرفة الدردشة"
    room.save()
    ChatMessage.objects.create(room=room, user=make_reader("Omar"), text=ARABIC)
    client.force_login(admin_user)
    rooms = client.get("/admin/chats/").content.decode()
    assert 'dir="auto"><bdi>غرفة الدردشة</bdi></a>' in rooms
    messages = client.get(f"/admin/chats/{room.pk}/").content.decode()
    assert f'<span dir="auto">{ARABIC}</span>' in messages
    assert "p.m." not in messages and "a.m." not in messages
