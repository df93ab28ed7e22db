"""Most read: reads counted per story and hour, without anything about the reader, shown on the
home front (the edition) and section fronts (the section) for the last 24 hours."""

import datetime as dt
import html as html_lib
import re

from django.utils import timezone

from dateline.fronts.actions import record_read
from dateline.fronts.models import ReadCount


def read(client, story, times=1):
    """Read ``story`` from ``times`` different addresses (an address counts once an hour)."""
    for reader in range(times):
        response = client.post(f"/reads/{story.pk}/", REMOTE_ADDR=f"198.51.100.{reader + 1}")
        assert response.status_code == 204


def most_read(client, path):
    """Return the headlines in the most read list of the page at ``path``, in order."""
    html = client.get(path).content.decode()
    if 'class="rail rail--most-read"' not in html:
        return []
    start = html.index('class="rail rail--most-read"')
    block = html[start : html.index("</section>", start)]
    return [
        html_lib.unescape(headline)
        for headline in re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', block)
    ]


def test_a_read_is_counted_without_cookies_or_anything_about_the_reader(client, make_story):
    story = make_story("Counted Story")
    response = client.post(
        f"/reads/{story.pk}/", HTTP_ORIGIN="http://testserver", HTTP_USER_AGENT="Reader/1.0"
    )
    assert response.status_code == 204
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    (count,) = ReadCount.objects.all()
    assert count.story_id == story.pk and count.count == 1
    assert count.hour == timezone.now().replace(minute=0, second=0, microsecond=0)
    # The model has room for nothing but the story, the hour and the count.
    assert {f.name for f in ReadCount._meta.get_fields()} == {"id", "story", "hour", "count"}


def test_reads_of_one_hour_add_up_in_one_row(client, make_story):
    story = make_story("Popular Story")
    read(client, story, times=3)
    assert list(ReadCount.objects.values_list("count", flat=True)) == [3]


def test_only_a_post_for_a_visible_story_from_this_site_counts(client, make_story):
    story = make_story("Guarded Story")
    draft = make_story("Unpublished Story", publish=False)
    assert client.get(f"/reads/{story.pk}/").status_code == 405
    assert client.post(f"/reads/{draft.pk}/").status_code == 404
    assert client.post("/reads/999999/").status_code == 404
    response = client.post(f"/reads/{story.pk}/", HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 403
    assert not ReadCount.objects.exists()


def test_the_home_front_shows_the_most_read_stories_of_the_edition(client, make_story):
    first = make_story("Most Read Story")
    second = make_story("Second Most Read", section="business")
    make_story("Never Read Story")
    read(client, second, times=2)
    read(client, first, times=3)
    assert most_read(client, "/en/") == ["Most Read Story", "Second Most Read"]


def test_a_section_front_shows_the_sections_most_read_stories(client, make_story):
    world = make_story("World Story", section="world")
    business = make_story("Business Story", section="business")
    both = make_story("Chips and Trade", section="asia", further_sections=["business"])
    read(client, world, times=5)
    read(client, business, times=1)
    read(client, both, times=2)
    assert most_read(client, "/en/business/") == ["Chips and Trade", "Business Story"]
    assert most_read(client, "/en/world/") == ["World Story"]


def test_only_the_last_24_hours_count(client, make_story):
    old_hit = make_story("Yesterday's Hit")
    fresh = make_story("Today's Read")
    record_read(old_hit.pk, at=timezone.now() - dt.timedelta(hours=25))
    record_read(old_hit.pk, at=timezone.now() - dt.timedelta(hours=25))
    record_read(fresh.pk, at=timezone.now() - dt.timedelta(hours=23))
    assert most_read(client, "/en/") == ["Today's Read"]


def test_stories_readers_may_no_longer_see_leave_the_list(client, make_story):
    from dateline.articles.actions import withdraw_story

    story = make_story("Soon Withdrawn")
    kept = make_story("Still Here")
    read(client, story, times=4)
    read(client, kept)
    assert most_read(client, "/en/") == ["Soon Withdrawn", "Still Here"]
    withdraw_story(story)
    assert most_read(client, "/en/") == ["Still Here"]


def test_without_reads_there_is_no_list(client, make_story):
    make_story("Unread Story")
    assert "Most read" not in client.get("/en/").content.decode()


def test_the_story_page_counts_through_its_own_script_and_stays_the_same_for_everyone(
    client, make_story, admin_user
):
    story = make_story("Scripted Story")
    html = client.get(story.url).content.decode()
    assert (
        f'<script src="/static/dateline/mostread.js" data-read-url="/reads/{story.pk}/" defer>'
        in html
    )
    client.force_login(admin_user)
    assert client.get(story.url).content.decode() == html
    read(client, story)
    client.logout()
    assert client.get(story.url).content.decode() == html


def test_counts_older_than_a_week_are_dropped(make_story):
    story = make_story("Archived Reads")
    record_read(story.pk, at=timezone.now() - dt.timedelta(days=8))
    from django.core.cache import cache

    cache.clear()
    record_read(story.pk)
    assert list(ReadCount.objects.values_list("count", flat=True)) == [1]


def test_one_address_counts_once_per_story_however_often_it_posts(client, make_story):
    # 200 anonymous POSTs from one address used to put a story at the top of most read.
    pushed = make_story("Pushed Story")
    liked = make_story("Liked Story")
    for _ in range(200):
        assert client.post(f"/reads/{pushed.pk}/", REMOTE_ADDR="203.0.113.9").status_code == 204
    read(client, liked, times=3)
    assert most_read(client, "/en/") == ["Liked Story", "Pushed Story"]
    assert ReadCount.objects.get(story=pushed).count == 1


def test_one_address_counts_for_a_bounded_number_of_stories(client, make_story, monkeypatch):
    from dateline.fronts import actions

    monkeypatch.setattr(actions, "STORIES_PER_ADDRESS_PER_HOUR", 3)
    stories = [make_story(f"Story {n}") for n in range(5)]
    answers = [
        client.post(f"/reads/{story.pk}/", REMOTE_ADDR="203.0.113.10").status_code
        for story in stories
    ]
    assert answers == [204, 204, 204, 429, 429]
    assert ReadCount.objects.filter(story__in=stories[3:]).count() == 0
    # Another address is counted as before.
    assert client.post(f"/reads/{stories[4].pk}/", REMOTE_ADDR="203.0.113.11").status_code == 204
