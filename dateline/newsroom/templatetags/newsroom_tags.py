"""Times as a newsroom reads them: 24-hour, the day only when it is not today, in an
edition's language and time zone when the list is one edition's."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext

from django import template
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.html import format_html

register = template.Library()


def desk_time_text(
    value: dt.datetime, edition=None, *, now: dt.datetime | None = None, zone: bool = False
) -> str:
    """Return ``value`` as "14:05" when it falls on today, else "7 Dec 14:05": 24-hour, in
    ``edition``'s time zone and language (the active ones without an edition); with ``zone``,
    followed by the zone's abbreviation ("14:05 GMT", "17:05 MSK"), for lists that mix
    editions."""
    tz = edition.tzinfo if edition is not None else timezone.get_current_timezone()
    local = timezone.localtime(value, tz)
    today = timezone.localtime(now or timezone.now(), tz).date()
    language = translation.override(edition.language_code) if edition is not None else nullcontext()
    with language:
        if local.date() == today:
            text = formats.date_format(local, "H:i")
        elif local.year == today.year:
            text = formats.date_format(local, "j M H:i")
        else:
            text = formats.date_format(local, "j M Y H:i")
    return f"{text} {local.tzname()}" if zone else text


@register.filter
def desk_time(value, edition=None, *, zone: bool = False):
    """Render ``value`` as a <time> element with the text of ``desk_time_text`` and the
    full date and time (ISO 8601) for assistive technology and a tooltip."""
    if not value:
        return ""
    local = timezone.localtime(value, edition.tzinfo if edition is not None else None)
    language = translation.override(edition.language_code) if edition is not None else nullcontext()
    with language:
        # The whole date in the tooltip, still 24-hour (the locales' own formats are not).
        full = formats.date_format(local, "j E Y, H:i T")
    return format_html(
        '<time datetime="{}" title="{}" dir="ltr">{}</time>',
        value.isoformat(timespec="minutes"),
        full,
        desk_time_text(value, edition, zone=zone),
    )


@register.filter
def bdi(value):
    """Return ``value`` escaped and isolated in <bdi>, for text in a translated sentence
    (a headline in Arabic inside an English line keeps the line's order)."""
    return format_html("<bdi>{}</bdi>", value)


@register.simple_tag
def newsroom_name() -> str:
    """Return the newsroom's name (``WAGTAIL_SITE_NAME``), as the admin's title carries it."""
    return settings.WAGTAIL_SITE_NAME
