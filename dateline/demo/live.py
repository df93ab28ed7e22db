"""The demo's live coverage: a running page with a few entries, one pinned, two key events.
All of it is made up for the demonstration."""

import datetime as dt

from django.utils import timezone

from dateline.articles.actions import file_story
from dateline.live.models import LiveCoveragePage, LiveEntry
from dateline.sections.models import Section

ENTRIES = [
    # minutes ago, title, text, key event, pinned
    (
        170,
        "Talks open",
        "Delegates from 41 coastal states took their seats for the final day of the ocean "
        "treaty talks, with fishing quotas and a deep-sea mining pause still unresolved.",
        True,
        False,
    ),
    (
        130,
        "",
        "The chair asked for a short recess after two delegations objected to the wording on "
        "mining licences. Observers in the hall expect the session to resume within the hour.",
        False,
        False,
    ),
    (
        95,
        "Draft text circulated",
        "A revised draft now proposes a ten-year pause on new deep-sea mining licences, with a "
        "review after five years. Fishing quotas are left to regional bodies.",
        True,
        False,
    ),
    (
        40,
        "",
        "Small island states say they can accept the revised draft if a fund for coastal "
        "monitoring is named in the final text.",
        False,
        False,
    ),
    (
        15,
        "What is at stake",
        "The treaty would be the first to set binding rules for waters beyond national "
        "jurisdiction in this region. Follow this page for every development; key events are "
        "listed at the top.",
        False,
        True,
    ),
]


def load_demo_coverage(edition) -> LiveCoveragePage:
    now = timezone.now()
    start = now - dt.timedelta(hours=3)
    coverage = file_story(edition, start).add_child(
        instance=LiveCoveragePage(
            title="Ocean Treaty Talks: the Final Day, Live",
            slug="ocean-treaty-talks-live",
            locale_id=edition.locale_id,
            primary_section=Section.objects.get(edition=edition, slug="world"),
            standfirst="Negotiators try to close a regional ocean treaty before the deadline "
            "at midnight. Entries appear here as our reporters file them.",
            coverage_start=start,
        )
    )
    coverage.save_revision().publish()
    for minutes, title, text, key_event, pinned in ENTRIES:
        LiveEntry.objects.create(
            coverage=coverage,
            created_at=now - dt.timedelta(minutes=minutes),
            title=title,
            text=f"<p>{text}</p>",
            is_key_event=key_event,
            is_pinned=pinned,
        )
    return coverage
