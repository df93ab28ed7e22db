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
    return bool(_CHANNEL.fullmatch(name))


class ChannelManager(DefaultChannelManager):
    """django-eventstream's view (the Pushpin tier) asks this one: only the public channels
    above can be read, by anyone."""

    def get_channels_for_request(self, request, view_kwargs):
        return set(request.GET.getlist("channel")[:MAX_CHANNELS])

    def can_read_channel(self, user, channel):
        return is_public_channel(channel)
