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
    """Whether ``name`` has the form of a channel readers may ask for (it may still be
    refused: see refused_channels)."""
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


def hidden_pages(page_ids: list[int]) -> set[int]:
    """Those of ``page_ids`` that are not pages readers may see now: a story through the one
    visibility rule (ArticlePage.objects.visible()), any other page (a live coverage page)
    when it is live and not private. For the channels named by a page's id (a live page's
    entries, a page's comments)."""
    from wagtail.models import Page

    from dateline.articles.models import ArticlePage

    page_ids = set(page_ids)
    stories = ArticlePage.objects.filter(pk__in=page_ids)
    seen = set(stories.visible().values_list("pk", flat=True))
    others = Page.objects.filter(pk__in=page_ids).exclude(pk__in=stories.values("pk"))
    seen |= set(others.live().public().values_list("pk", flat=True))
    return page_ids - seen


def refused_channels(names: Iterable[str]) -> tuple[int, str] | None:
    """Why a reader may not follow the channels ``names``, as (status, message) for the first
    refused one, or None when anyone may. A malformed name is 400; a channel of something
    readers may not see now is 404, as if it did not exist (reads the database only when a
    registered kind is named). The embedded hub, the lean Pushpin route (dateline.live.grip)
    and django-eventstream's channel manager all ask this."""
    names = list(names)
    for name in names:
        if not is_public_channel(name):
            return 400, f"No such channel: {name[:80]!r}."
    if needs_visibility_check(names):
        hidden = hidden_channels(names)
        if hidden:
            return 404, f"No such channel: {sorted(hidden)[0]!r}."
    return None


class ChannelManager(DefaultChannelManager):
    """django-eventstream's view (the Pushpin tier's follow-up requests) asks this one: only
    the channels above that refused_channels lets through can be read, by anyone."""

    def get_channels_for_request(self, request, view_kwargs):
        return set(request.GET.getlist("channel")[:MAX_CHANNELS])

    def can_read_channel(self, user, channel):
        return refused_channels([channel]) is None
