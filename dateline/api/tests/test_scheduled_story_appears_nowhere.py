"""A story scheduled for later is in no feed, sitemap, API answer or export until its time."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from dateline.articles.models import ArticlePage

SITE = "http://127.0.0.1:8000"


def everything_public(client, story_id, photo_id):
    """Return the text of every syndication surface a partner, crawler or reader can fetch."""
    urls = [
        "/en/feed/",
        "/en/feed/atom/",
        "/en/asia/feed/",
        "/en/asia/feed/atom/",
        "/en/tags/secret-talks/feed/",
        "/en/people/aiko-sato/feed/atom/",
        "/api/stories",
        "/api/stories?edition=en&section=asia",
        "/api/stories?tag=secret-talks",
        "/api/stories?author=aiko-sato",
        "/api/stories?q=summit",
        "/api/editions/en/newsfeed",
        "/api/photos",
        f"/api/stories/{story_id}",
        f"/api/stories/{story_id}.ninjs.json",
        f"/api/stories/{story_id}.ninjs3.json",
        f"/api/stories/{story_id}.newsml.xml",
        f"/api/photos/{photo_id}",
        f"/api/photos/{photo_id}.ninjs.json",
    ]
    index = client.get("/sitemap.xml").content.decode()
    urls += [
        line.split("<loc>")[1].split("</loc>")[0].removeprefix(SITE)
        for line in index.replace("<sitemap>", "\n<sitemap>").splitlines()
        if "<loc>" in line
    ]
    return {url: client.get(url) for url in urls}


def test_a_scheduled_story_appears_nowhere_until_its_time(client, make_story, make_photo):
    make_story("Visible Summit Story", section="asia", tags=["Secret talks"], bylines=["Aiko Sato"])
    photo = make_photo(caption="Leaders shake hands at the secret summit")
    scheduled = make_story(
        "Embargoed Summit Deal",
        section="asia",
        tags=["Secret talks"],
        bylines=["Aiko Sato"],
        photo=photo,
        published_at=timezone.now() + dt.timedelta(hours=2),
    )
    answers = everything_public(client, scheduled.pk, photo.pk)
    assert "Visible Summit Story" in answers["/en/feed/"].content.decode()
    for url, response in answers.items():
        text = response.content.decode()
        assert "Embargoed Summit Deal" not in text, url
        assert "embargoed-summit-deal" not in text, url
        assert "secret summit" not in text, url
    for url in [u for u in answers if str(scheduled.pk) in u or str(photo.pk) in u]:
        if url.startswith(("/api/stories/", "/api/photos/")):
            assert answers[url].status_code == 404, url

    # At its time the scheduler publishes it, and it is everywhere. The clock cannot move,
    # so the schedule moves into the past.
    past = timezone.now() - dt.timedelta(seconds=1)
    ArticlePage.objects.filter(pk=scheduled.pk).update(go_live_at=past)
    revision = scheduled.latest_revision
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled", verbosity=0)
    answers = everything_public(client, scheduled.pk, photo.pk)
    assert "Embargoed Summit Deal" in answers["/en/feed/"].content.decode()
    assert "Embargoed Summit Deal" in answers["/en/sitemaps/news.xml"].content.decode()
    assert answers[f"/api/stories/{scheduled.pk}.newsml.xml"].status_code == 200
    assert answers[f"/api/photos/{photo.pk}"].status_code == 200
