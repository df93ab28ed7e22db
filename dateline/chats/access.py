"""Who may read a chat room, post in it, or moderate it: the one place that decides."""

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils.translation import gettext as _

from dateline.articles.models import ArticlePage
from dateline.chats.models import ChatMute, ChatRoom
from dateline.discussion.models import ReaderBan

READ, POST, MODERATE = "read", "post", "moderate"
MODERATE_PERMISSION = "chats.moderate_chat"


class ChatRefused(Exception):
    """What a reader or moderator may not do, with the message to show and an HTTP status."""

    def __init__(self, message: str, status: int = 400, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


def mute_message(mute: ChatMute, edition) -> str:
    """Tell a muted reader until when, and why."""
    values = {"until": edition.format_datetime(mute.until), "reason": mute.reason}
    if mute.room_id is None:
        if mute.reason:
            return _("You are muted in all chats until %(until)s. Reason: %(reason)s") % values
        return _("You are muted in all chats until %(until)s.") % values
    if mute.reason:
        return _("You are muted in this room until %(until)s. Reason: %(reason)s") % values
    return _("You are muted in this room until %(until)s.") % values


def visible_rooms(rooms=None, now=None):
    """The rooms of ``rooms`` (every room when None) that readers may see: a room opened for a
    story is seen when its story is, by the rule every public surface uses
    (``ArticlePage.objects.visible()``): not while the story is a draft, scheduled, embargoed,
    expired, unpublished or withdrawn. Its headline and link, its messages and its live channel
    stay with the newsroom until then."""
    rooms = ChatRoom.objects.all() if rooms is None else rooms
    stories = ArticlePage.objects.visible(now).values("pk")
    return rooms.filter(Q(story__isnull=True) | Q(story__in=stories))


def hidden_room_ids(room_ids) -> set[int]:
    """Those of ``room_ids`` that readers may not see (or that do not exist)."""
    room_ids = set(room_ids)
    seen = visible_rooms(ChatRoom.objects.filter(pk__in=room_ids)).values_list("pk", flat=True)
    return room_ids - set(seen)


def access_chat_room(
    user,
    room_id: int | None = None,
    *,
    edition=None,
    slug: str | None = None,
    to: str = READ,
) -> ChatRoom:
    """Return the room (by ``room_id``, or by ``edition`` and ``slug``) if ``user`` may do
    ``to`` in it: READ (anyone; closed rooms keep their history), POST (a signed-in reader
    with a confirmed address, not banned, not muted, in an open room) or MODERATE (the
    newsroom's chat moderators). Raise ChatRefused with the reason otherwise. To read or post,
    the room must be one readers may see (visible_rooms()): a room whose story is not
    published is "no such room" to readers."""
    rooms = ChatRoom.objects.select_related("edition", "edition__locale")
    if to != MODERATE:
        rooms = visible_rooms(rooms)
    if room_id is not None:
        room = rooms.filter(pk=room_id).first()
    else:
        room = rooms.filter(edition=edition, slug=slug).first() if edition and slug else None
    if room is None:
        raise ChatRefused(_("There is no such chat room."), 404)
    if to == READ:
        return room
    if to == MODERATE:
        if user is None or not user.is_authenticated or not user.has_perm(MODERATE_PERMISSION):
            raise ChatRefused(_("Only the newsroom's chat moderators can do that."), 403)
        return room
    if user is None or not user.is_authenticated:
        raise ChatRefused(_("Sign in to chat."), 403)
    if not room.is_open:
        raise ChatRefused(_("This room is closed."), 403)
    if ReaderBan.objects.filter(user=user).exists():
        raise ChatRefused(_("You can no longer post on this site."), 403)
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise ChatRefused(_("Confirm your e-mail address before you chat."), 403)
    mute = ChatMute.objects.active(room).filter(user=user).order_by("-until").first()
    if mute is not None:
        raise ChatRefused(mute_message(mute, room.edition), 403)
    return room
