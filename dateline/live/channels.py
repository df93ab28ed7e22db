"""The public channels of the live stream and who may read them.

Every page of an edition listens to its edition's channel (new stories, breaking news); a live
coverage page also listens to its own, a page with comments to its discussion's, a chat room to
the room's. Channel names are short and fixed in form, so a request
can name only channels that exist in principle; a chat room's channel is read only while
readers may see the room (register_hidden_channels()).
"""

import re
from collections.abc import Callable, Iterable

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


# A channel of something readers may not see now (a chat room whose story is not published)
# is not read by them: the app that owns a kind of channel registers which of its ids are
# hidden (a higher app registers, see the layers in docs/architecture.md).
_HIDDEN: dict[str, Callable[[list[int]], set[int]]] = {}


def register_hidden_channels(kind: str, hidden_ids: Callable[[list[int]], set[int]]) -> None:
    """``hidden_ids(ids)`` returns those of the ids of ``<kind>-<id>`` channels readers may
    not read."""
    _HIDDEN[kind] = hidden_ids


def needs_visibility_check(names: Iterable[str]) -> bool:
    """Whether any of ``names`` is of a kind whose visibility is read from the database (the
    edition channels every page listens to are not: their streams open without a query)."""
    return any(name.partition("-")[0] in _HIDDEN for name in names)


def hidden_channels(names: Iterable[str]) -> set[str]:
    """Those of the public channels ``names`` that readers may not read now (reads the
    database)."""
    by_kind: dict[str, dict[int, str]] = {}
    for name in names:
        kind, _, number = name.partition("-")
        if kind in _HIDDEN and number.isdigit():
            by_kind.setdefault(kind, {})[int(number)] = name
    hidden = set()
    for kind, ids in by_kind.items():
        hidden |= {ids[pk] for pk in _HIDDEN[kind](list(ids))}
    return hidden


class ChannelManager(DefaultChannelManager):
    """django-eventstream's view (the Pushpin tier) asks this one: only the public channels
    above can be read, by anyone."""

    def get_channels_for_request(self, request, view_kwargs):
        return set(request.GET.getlist("channel")[:MAX_CHANNELS])

    def can_read_channel(self, user, channel):
        return is_public_channel(channel) and not hidden_channels([channel])
