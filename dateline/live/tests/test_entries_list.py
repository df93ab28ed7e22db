"""The live entries list in the newsroom reads as a live desk's: the time of each entry
(24-hour, in its edition's time zone), its title or the start of its text, its flags as icons,
and, opened from a live page, that page's entries and its edition's coverage only."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dateline.articles.actions import file_story
from dateline.editions.actions import create_edition
from dateline.live.models import LiveCoveragePage, LiveEntry
from dateline.sections.models import Section

pytestmark = pytest.mark.django_db


def live_page(edition, title, slug):
    section = Section.objects.get_or_create(
        edition=edition, slug="world", defaults={"name": "World"}
    )[0]
    page = file_story(edition, timezone.now()).add_child(
        instance=LiveCoveragePage(
            title=title, slug=slug, locale_id=edition.locale_id, primary_section=section
        )
    )
    page.save_revision().publish()
    return page


def test_entries_show_times_icons_and_their_text_not_iso_strings_or_booleans(
    client, admin_user, edition
):
    coverage = live_page(edition, "Summit, Live", "summit-live")
    when = (timezone.now() - dt.timedelta(days=1)).replace(hour=16, minute=45)
    LiveEntry.objects.create(
        coverage=coverage,
        text="<p>Motorcade <b>arrives</b> at the palace.</p>",
        created_at=when,
        is_key_event=True,
        is_pinned=True,
    )
    LiveEntry.objects.create(coverage=coverage, title="Talks begin", text="<p>x</p>")
    client.force_login(admin_user)
    html = client.get(f"/admin/live_entries/?coverage={coverage.pk}").content.decode()
    local = timezone.localtime(when, ZoneInfo("Europe/London"))
    assert f">{local.day} {local:%b} {local:%H:%M} {local.tzname()}</time>" in html
    assert "<bdi>Motorcade arrives at the palace.</bdi>" in html
    assert "<bdi>Talks begin</bdi>" in html
    # The time is for machines in the datetime attribute only, never shown as an ISO string.
    assert when.isoformat(timespec="minutes") not in re.sub(r'datetime="[^"]*"', "", html)
    assert "icon-thumbtack" in html and "Pinned" in html and "Key event" in html
    assert ">True<" not in html and ">False<" not in html


def test_the_list_of_a_live_page_is_scoped_to_its_edition(client, admin_user, edition):
    russian = create_edition("ru", site_name="Датлайн", agency="Датлайн", time_zone="Europe/Moscow")
    english = live_page(edition, "Summit, Live", "summit-live")
    other = live_page(russian, "Саммит: онлайн", "sammit")
    LiveEntry.objects.create(coverage=english, title="English entry", text="<p>a</p>")
    LiveEntry.objects.create(coverage=other, title="Русская запись", text="<p>б</p>")
    client.force_login(admin_user)
    html = client.get(f"/admin/live_entries/?coverage={english.pk}").content.decode()
    assert "English entry" in html and "Русская запись" not in html
    # The coverage filter offers the edition's live pages only.
    assert "Summit, Live" in html and "Саммит: онлайн" not in html
    html = client.get(f"/admin/live_entries/?edition={russian.pk}").content.decode()
    assert "Русская запись" in html and "English entry" not in html
