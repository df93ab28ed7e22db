"""The wire desk's list reads as a newsroom's: who sent each item (not a file path), its
priority as a mark, a 24-hour time; feed items get a language and a priority."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from dateline.wire.ingest import store_items
from dateline.wire.models import WireItem, WireSource
from dateline.wire.parsers import parse

pytestmark = pytest.mark.django_db


def feed(language="", items=""):
    head = f"<language>{language}</language>" if language else ""
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Meridian Press</title>'
        f"<link>https://m.example/</link>{head}{items}</channel></rss>"
    ).encode()


ITEMS = (
    "<item><title>URGENT: Power fault halts trains</title><guid>a</guid>"
    "<description>Trains stopped.</description></item>"
    "<item><title>Tea growers switch to solar dryers</title><guid>b</guid>"
    "<description>Dryers pay for themselves.</description></item>"
    "<item><title>Markets steady</title><guid>c</guid><category>Breaking</category>"
    "<description>Shares held.</description></item>"
)


def test_feed_items_get_the_feeds_language_and_a_priority():
    items = parse(feed("en-GB", ITEMS))
    assert [i.language for i in items] == ["en-gb"] * 3
    assert [i.priority for i in items] == [2, 5, 2]


def test_feed_items_without_a_language_get_their_sources_editions(edition):
    source = WireSource.objects.create(
        name="Meridian Press", kind="feed", url="https://m.example/", edition=edition
    )
    stored = store_items(parse(feed(items=ITEMS)), source=source).created
    assert {item.language for item in stored} == {"en"}
    assert all(item.priority for item in stored)


def test_the_desk_names_the_source_marks_priority_and_shows_24_hour_times(client, edition):
    client.force_login(User.objects.create_superuser("desk", "desk@example.org", "pw"))
    store_items(parse(feed("en", ITEMS)), origin="/srv/wire/incoming/meridian-2026-12-07.xml")
    WireItem.objects.update(received_at=timezone.now().replace(hour=15, minute=7))
    html = client.get("/admin/wire/").content.decode()
    assert "/srv/wire/incoming" not in html
    assert html.count("<bdi>Meridian Press</bdi>") == 3
    assert "wire-priority--urgent" in html and ">Urgent" in html and ">Normal" in html
    assert "15:07" in html and " PM" not in html and "p.m." not in html
    assert "<bdi>URGENT: Power fault halts trains</bdi>" in html


def test_an_item_without_source_or_agency_is_named_by_its_file():
    item = WireItem(origin="/srv/wire/incoming/harbour-2026.json", agency="")
    assert item.source_name == "harbour-2026.json"
    assert WireItem(origin="https://wire.example/feed.xml").source_name == "wire.example"


def test_an_item_received_on_another_day_shows_its_day(client, edition):
    client.force_login(User.objects.create_superuser("desk", "desk@example.org", "pw"))
    store_items(parse(feed("en", ITEMS)), origin="feed.xml")
    WireItem.objects.update(
        received_at=(timezone.now() - dt.timedelta(days=3)).replace(hour=9, minute=30)
    )
    html = client.get("/admin/wire/").content.decode()
    day = timezone.localtime(WireItem.objects.first().received_at)
    assert f"{day.day} {day:%b} 09:30" in html
