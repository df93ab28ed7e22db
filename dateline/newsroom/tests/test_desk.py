"""The newsroom's desk on the admin home page: the day's stories by state and the submissions
waiting for an editor."""

import datetime as dt

from django.utils import timezone

from conftest import story_form
from dateline.articles.actions import publish_story, withdraw_story
from dateline.articles.models import ArticlePage
from dateline.discussion.models import Comment
from dateline.newsroom.roles import EDITORS, MODERATORS, PHOTO_EDITORS, REPORTERS
from dateline.sections.models import Section


def section_of(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_the_desk_shows_todays_stories_by_state_and_what_waits_for_review(
    client, staff, make_story, edition
):
    now = timezone.now()
    make_story("Published This Morning", published_at=now - dt.timedelta(minutes=5))
    make_story("Published Last Week", published_at=now - dt.timedelta(days=7))
    make_story("Scheduled for Tonight", published_at=now + dt.timedelta(hours=3))
    embargoed = make_story("Embargoed Results", publish=False)
    embargoed.embargo_until = now + dt.timedelta(hours=5)
    publish_story(embargoed)
    expiring = make_story("Offer Ends Soon")
    ArticlePage.objects.filter(pk=expiring.pk).update(expire_at=now + dt.timedelta(hours=2))
    withdraw_story(make_story("Pulled Story"))
    commented = make_story("Much Discussed Story")
    for text in ("First held comment", "Second held comment"):
        Comment.objects.create(page=commented, text=text, status=Comment.Status.PENDING)
    Comment.objects.create(page=commented, text="A published comment")

    client.force_login(staff[REPORTERS])
    add_url = client.get("/admin/stories/new/")["Location"]
    data = story_form(
        Section.objects.get(edition=edition, slug="world"),
        title="Reporter's Submission",
        slug="reporters-submission",
        paragraph="Filed for review.",
        **{"action-submit": "submit"},
    )
    assert client.post(add_url, data).status_code == 302

    client.force_login(staff[EDITORS])
    html = client.get("/admin/").content.decode()
    assert "Newsroom today" in html
    published = section_of(html, "desk-en-published")
    assert "Published This Morning" in published and "Published Last Week" not in published
    assert "Offer Ends Soon" in published
    assert "Withdrawn today:" in published and "Pulled Story" in published
    scheduled = section_of(html, "desk-en-scheduled")
    assert "Scheduled for Tonight" in scheduled and "goes live at" in scheduled
    assert "Embargoed Results" not in scheduled
    assert "Coming down at a set time:" in scheduled and "Offer Ends Soon" in scheduled
    embargo = section_of(html, "desk-en-embargoed")
    assert "Embargoed Results" in embargo and "Embargoed until" in embargo
    pending = section_of(html, "desk-en-pending")
    assert "Reporter&#x27;s Submission" in pending
    assert "submitted by <bdi>reporters</bdi>" in pending
    story = ArticlePage.objects.get(slug="reporters-submission")
    assert f'href="/admin/pages/{story.pk}/edit/"' in pending
    comments = section_of(html, "desk-comments")
    assert "Comments waiting for a moderator (2)" in comments
    assert 'href="/admin/discussion/?queue=waiting"' in comments


def test_each_role_sees_its_part_of_the_desk(client, staff, make_story):
    story = make_story("A Story of the Day")
    Comment.objects.create(page=story, text="Held comment", status=Comment.Status.PENDING)

    client.force_login(staff[REPORTERS])
    html = client.get("/admin/").content.decode()
    assert "A Story of the Day" in section_of(html, "desk-en-published")
    assert 'id="desk-comments"' not in html

    client.force_login(staff[MODERATORS])
    html = client.get("/admin/").content.decode()
    assert "Comments waiting for a moderator (1)" in section_of(html, "desk-comments")
    assert 'id="desk-en-published"' not in html and "A Story of the Day" not in html

    client.force_login(staff[PHOTO_EDITORS])
    html = client.get("/admin/").content.decode()
    assert "Newsroom today" not in html and "A Story of the Day" not in html
