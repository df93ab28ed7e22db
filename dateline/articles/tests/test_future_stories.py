"""A story with a future publication time is nowhere to be seen."""

import datetime as dt

from django.utils import timezone

from dateline.articles.models import ArticlePage


def test_a_scheduled_story_is_on_no_public_surface(client, make_story):
    make_story("Harvest Festival Opens", tags=["culture"], bylines=["Hana Kobayashi"])
    hidden = make_story(
        "Secret Summit Outcome",
        tags=["culture"],
        bylines=["Hana Kobayashi"],
        standfirst="Leaders reach a deal",
        section="world",
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    assert not ArticlePage.objects.get(pk=hidden.pk).live
    surfaces = [
        "/en/",
        "/en/world/",
        "/en/archive/",
        "/en/tags/culture/",
        "/en/people/hana-kobayashi/",
        "/en/search/?q=summit",
        "/en/search/?q=leaders",
        "/en/feed/",
        "/en/world/feed/",
        "/mediabank/",
    ]
    for url in surfaces:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Secret Summit Outcome" not in response.content, url
    assert b"Harvest Festival Opens" in client.get("/en/").content
    assert client.get(hidden.url).status_code == 404
    # Its photo's caption could tell what it holds: the photo is not public yet either.
    assert client.get(f"/mediabank/photos/{hidden.lead_photo.pk}/").status_code == 404


def test_a_live_story_whose_time_is_ahead_stays_hidden(client, make_story):
    # Belt and braces: even a live row with a future time is not shown.
    story = make_story("Clock Skew Story")
    ArticlePage.objects.filter(pk=story.pk).update(
        published_at=timezone.now() + dt.timedelta(hours=2)
    )
    assert b"Clock Skew Story" not in client.get("/en/").content
    assert b"Clock Skew Story" not in client.get("/en/search/?q=skew").content


def test_the_scheduler_publishes_it_at_its_time(client, make_story):
    from django.core.management import call_command

    story = make_story("Midnight Release", published_at=timezone.now() + dt.timedelta(hours=1))
    assert b"Midnight Release" not in client.get("/en/").content
    # Let the clock reach the scheduled time: move the schedule into the past.
    past = timezone.now() - dt.timedelta(seconds=1)
    ArticlePage.objects.filter(pk=story.pk).update(go_live_at=past)
    revision = story.latest_revision
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled", verbosity=0)
    assert b"Midnight Release" in client.get("/en/").content
