"""Everything that changes the chats: posting (with the rate limit), removing messages, muting
readers, opening and closing rooms, and a reader's messages when their account goes. Each
change reaches the room's open pages on the live stream (``chat-<room id>``) after it commits."""

import datetime as dt
import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dateline.accounts.models import display_name, is_staff_member, public_key
from dateline.accounts.text import clean_text
from dateline.chats.access import POST, ChatRefused, access_chat_room
from dateline.chats.models import GENERAL_SLUG, MESSAGE_MAX, ChatMessage, ChatMute, ChatRoom
from dateline.live.events import publish

# At most this many messages per reader in this many seconds, across all rooms.
RATE_COUNT, RATE_SECONDS = 20, 30
# The longest mute a moderator can give from the moderation page: 30 days.
MUTE_MAX_MINUTES = 30 * 24 * 60


def as_json(message: ChatMessage, staff_ids: set[int] | None = None) -> dict:
    """A message as the page's script gets it: the text is plain text, to be shown as such.
    A list passes the staff among its authors, looked up once (staff_member_ids)."""
    return {
        "id": message.pk,
        "author": display_name(message.user),
        "author_key": public_key(message.user),
        "author_staff": is_staff_member(message.user, staff_ids),
        "text": message.text,
        "created_at": message.created_at.isoformat(),
    }


def post_message(user, room: ChatRoom, text) -> ChatMessage:
    """Post ``text`` in ``room`` for ``user`` and send it to the room. Returns the stored
    message; raises ChatRefused (with an HTTP status) and stores nothing otherwise."""
    room = access_chat_room(user, room.pk, to=POST)
    try:
        text = clean_text(text, max_length=MESSAGE_MAX)
    except ValidationError as error:
        raise ChatRefused(error.messages[0], 400) from None
    now = timezone.now()
    window = now - dt.timedelta(seconds=RATE_SECONDS)
    recent = list(
        ChatMessage.objects.filter(user=user, created_at__gt=window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:RATE_COUNT]
    )
    if len(recent) >= RATE_COUNT:
        # The oldest of the last RATE_COUNT leaves the window first.
        wait = max(1, math.ceil((recent[-1] - window).total_seconds()))
        raise ChatRefused(
            ngettext(
                "You are sending messages too fast: at most %(count)d in %(seconds)d seconds. "
                "Wait %(wait)d second, then try again.",
                "You are sending messages too fast: at most %(count)d in %(seconds)d seconds. "
                "Wait %(wait)d seconds, then try again.",
                wait,
            )
            % {"count": RATE_COUNT, "seconds": RATE_SECONDS, "wait": wait},
            429,
            retry_after=wait,
        )
    with transaction.atomic():
        message = ChatMessage.objects.create(room=room, user=user, text=text, created_at=now)
        publish(room.channel, "message", as_json(message))
    return message


def history(room: ChatRoom, before: int | None = None, size: int = 50):
    """Return the room's messages before the message id ``before`` (the newest when None),
    oldest first, and the id to ask for the next older page with (None at the start)."""
    messages = ChatMessage.objects.filter(room=room, removed=False).select_related(
        "user__reader_profile"
    )
    if before is not None:
        messages = messages.filter(pk__lt=before)
    page = list(messages.order_by("-pk")[: size + 1])
    older = page[size - 1].pk if len(page) > size else None
    return page[:size][::-1], older


def remove_message(message: ChatMessage) -> None:
    """Take a message down; it goes from every open page of the room."""
    if message.removed:
        return
    with transaction.atomic():
        message.removed = True
        message.save(update_fields=["removed"])
        publish(f"chat-{message.room_id}", "message-remove", {"id": message.pk})


def mute(user, moderator, minutes: int, reason: str = "", room: ChatRoom | None = None) -> ChatMute:
    """Mute ``user`` in ``room`` (every room when None) for ``minutes`` from now."""
    if not 1 <= minutes <= MUTE_MAX_MINUTES:
        raise ChatRefused(
            _("Mute for 1 to %(max)d minutes.") % {"max": MUTE_MAX_MINUTES},
            400,
        )
    return ChatMute.objects.create(
        user=user,
        room=room,
        until=timezone.now() + dt.timedelta(minutes=minutes),
        reason=reason.strip()[:200],
        by=moderator,
    )


def lift_mute(mute: ChatMute) -> None:
    mute.until = timezone.now()
    mute.save(update_fields=["until"])


def close_room(room: ChatRoom) -> None:
    """Close a room: it takes no more messages and its open pages say so; the history stays."""
    if not room.is_open:
        return
    with transaction.atomic():
        room.is_open = False
        room.save(update_fields=["is_open"])
        publish(room.channel, "room-closed", {"id": room.pk})


def reopen_room(room: ChatRoom) -> None:
    room.is_open = True
    room.save(update_fields=["is_open"])


def open_general_room(edition) -> ChatRoom:
    """Return the edition's general room, opening it (titled in the edition's language) if it
    does not exist yet."""
    with translation.override(edition.language_code):
        title = _("General")
        description = _("Talk about the news with other readers.")
    room, _created = ChatRoom.objects.get_or_create(
        edition=edition,
        slug=GENERAL_SLUG,
        defaults={"title": title, "description": description},
    )
    return room


# --- accounts


def export_messages(user) -> list[dict]:
    return [
        {
            "room": message.room.url,
            "text": message.text,
            "posted": message.created_at.isoformat(),
            "removed": message.removed,
        }
        for message in ChatMessage.objects.filter(user=user)
        .select_related("room__edition")
        .order_by("created_at")
    ]


def on_account_deleting(sender, user, **kwargs):
    """A reader's chat messages go with their account, from open pages too."""
    messages = ChatMessage.objects.filter(user=user)
    for message_id, room_id in messages.filter(removed=False).values_list("pk", "room_id"):
        publish(f"chat-{room_id}", "message-remove", {"id": message_id})
    messages.delete()
