from django import template

from dateline.chats.access import visible_rooms
from dateline.chats.models import ChatRoom

register = template.Library()


@register.simple_tag
def story_chat_room(page) -> ChatRoom | None:
    """The open room of ``page``'s story, if an editor opened one and readers may see it."""
    return (
        visible_rooms(ChatRoom.objects.filter(story_id=page.pk, is_open=True))
        .select_related("edition")
        .order_by("-created_at")
        .first()
    )
