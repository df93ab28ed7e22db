"""The dashboard as a newsroom reads it: the newsroom's name, the day's stories grouped by
edition with 24-hour times in each edition's time zone, headlines isolated from the line's
direction, and none of Wagtail's panels that mean nothing to a newsroom."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dateline.articles.actions import file_story, publish_story
from dateline.articles.models import ArticlePage
from dateline.editions.actions import create_edition
from dateline.newsroom.roles import EDITORS
from dateline.sections.models import Section

pytestmark = pytest.mark.django_db

ARABIC_HEADLINE = "محطة تحلية جديدة تبدأ ضخ المياه"


def publish_in(edition, headline, when):
    section = Section.objects.filter(edition=edition).first()
    story = ArticlePage(
        title=headline,
        locale_id=edition.locale_id,
        primary_section=section,
        live=False,
        body=[{"type": "paragraph", "value": "<p>Text.</p>"}],
    )
    file_story(edition, when).add_child(instance=story)
    return publish_story(story, at=when)


@pytest.fixture
def arabic(edition):
    ar = create_edition("ar", site_name="داتلاين", agency="داتلاين", time_zone="Asia/Dubai")
    Section.objects.create(edition=ar, slug="world", name="العالم")
    return ar


def edition_part(html, slug):
    start = html.index(f'data-edition="{slug}"')
    end = html.find('data-edition="', start + 1)
    return html[start : end if end > 0 else len(html)]


def test_the_days_stories_are_grouped_by_edition_with_times_in_its_zone(
    client, arabic, staff, make_story
):
    # Early enough in UTC to be today in London and in Dubai (UTC+4) alike.
    now = timezone.now()
    when = now - dt.timedelta(minutes=2)
    if timezone.localtime(when, arabic.tzinfo).date() != timezone.localdate(now, arabic.tzinfo):
        pytest.skip("a minute before Dubai's midnight")
    make_story("Tea Growers Switch to Solar Dryers", published_at=when)
    publish_in(arabic, ARABIC_HEADLINE, when)

    client.force_login(staff[EDITORS])
    html = client.get("/admin/").content.decode()
    english, arabic_part = edition_part(html, "en"), edition_part(html, "ar")
    assert "Tea Growers Switch to Solar Dryers" in english and ARABIC_HEADLINE not in english
    assert ARABIC_HEADLINE in arabic_part and "Tea Growers" not in arabic_part
    london = timezone.localtime(when, ZoneInfo("Europe/London"))
    dubai = timezone.localtime(when, arabic.tzinfo)
    assert f">{london:%H:%M}</time>" in english
    assert f">{dubai:%H:%M}</time>" in arabic_part
    # The Arabic headline is isolated: it cannot pull the time or the next line into its order.
    assert f'dir="auto"><bdi>{ARABIC_HEADLINE}</bdi></a>' in arabic_part


def test_times_are_24_hour_with_the_day_when_it_is_not_today(client, staff, make_story):
    when = (timezone.now() + dt.timedelta(days=1)).replace(hour=15, minute=7)
    make_story("Afternoon Story", published_at=when)  # scheduled for tomorrow afternoon
    client.force_login(staff[EDITORS])
    part = edition_part(client.get("/admin/").content.decode(), "en")
    local = timezone.localtime(when, ZoneInfo("Europe/London"))
    assert "Afternoon Story" in part
    assert f">{local.day} {local:%b} {local:%H:%M}</time>" in part
    assert not re.search(r"\b[0-9]:07\b|p\.m\.|\bPM\b", part)


def test_the_dashboard_carries_the_newsrooms_name_and_no_generic_panels(client, staff, settings):
    settings.WAGTAIL_SITE_NAME = "Dateline"
    client.force_login(staff[EDITORS])
    html = client.get("/admin/").content.decode()
    assert "<title>Dateline newsroom - Dateline</title>" in " ".join(html.split())
    assert re.search(r"<h1[^>]*>Dateline newsroom</h1>", html)
    for generic in (
        "Your most recent edits",
        "Awaiting your review",
        "Your pages in a workflow",
        "editor guide",
        "w-summary",
    ):
        assert generic not in html, generic
    assert 'href="/admin/stories/new/"' in html and 'href="/admin/wire/"' in html


def test_a_quiet_edition_says_so(client, arabic, staff):
    client.force_login(staff[EDITORS])
    part = edition_part(client.get("/admin/").content.decode(), "ar")
    assert "Nothing has been published today yet." in part
