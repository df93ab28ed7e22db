"""The public channels of the live stream and who may read them.

Every page of an edition listens to its edition's channel (new stories, breaking news); a live
coverage page also listens to its own, a page with comments to its discussion's, a chat room to
the room's. Channel names are short and fixed in form, so a request
can name only channels that exist in principle.
"""

import re

from django_eventstream.channelmanager import DefaultChannelManager

# At most this many channels in one stream.
MAX_CHANNELS = 4
_CHANNEL = re.compile(r"edition-[a-z]{2}|(coverage|comments|chat)-[1-9][0-9]{0,11}")


def edition_channel(language_code: str) -> str:
    return f"edition-{language_code}"


def coverage_channel(coverage_id: int) -> str:
    return f"coverage-{coverage_id}"


def is_public_channel(name: str) -> bool:
    """Whether ``name`` has the form of a channel readers may ask for (it may still be
    private: see refused_channel)."""
    return bool(_CHANNEL.fullmatch(name))


def refused_channel(name: str):
    """Why a reader may not follow the channel ``name`` (an object with ``message`` and
    ``status``), or None when anyone may. A chat room's channel follows the room's own rule
    (dateline.chats.access): a room readers may not see has a stream they may not read."""
    from django.contrib.auth.models import AnonymousUser

    from dateline.chats.access import READ, ChatRefused, access_chat_room

    if not is_public_channel(name):
        return ChatRefused(f"No such channel: {name[:80]!r}.", 400)
    if name.startswith("chat-"):
        try:
            access_chat_room(AnonymousUser(), int(name.removeprefix("chat-")), to=READ)
        except ChatRefused as refusal:
            return refusal
    return None


class ChannelManager(DefaultChannelManager):
    """django-eventstream's view (the Pushpin tier's follow-up requests) asks this one: only
    the channels above that refused_channel lets through can be read, by anyone."""

    def get_channels_for_request(self, request, view_kwargs):
        return set(request.GET.getlist("channel")[:MAX_CHANNELS])

    def can_read_channel(self, user, channel):
        return refused_channel(channel) is None
