"""A story under embargo is seen by nobody outside the newsroom until the embargo ends; then it
goes live by itself, on every surface, and its live event goes out."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import formats, timezone
from django.utils.html import strip_tags

from conftest import story_form
from dateline.articles.actions import publish_story, story_published
from dateline.articles.models import ArticlePage, Correction
from dateline.newsroom.roles import EDITORS
from dateline.newsroom.templatetags.newsroom_tags import desk_time_text
from dateline.newsroom.tests.clock import let_time_pass
from dateline.newsroom.tests.surfaces import (
    answer,
    public_surfaces,
    story_for_surfaces,
    surfaces_showing,
)
from dateline.sections.models import Section


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """The ids of the stories whose story_published event went out."""
    ids = []

    def receiver(sender, story, **kwargs):
        ids.append(story.pk)

    story_published.connect(receiver, dispatch_uid="test-embargo")
    yield ids
    story_published.disconnect(dispatch_uid="test-embargo")


def embargoed_story(make_story, make_photo, headline, until):
    story = story_for_surfaces(make_story, make_photo, headline, publish=False)
    story.embargo_until = until
    story.corrections.add(Correction(kind="update", text="Figures confirmed."))
    return publish_story(story)


def test_before_the_embargo_nothing_anywhere_after_it_everywhere(
    client, make_story, make_photo, sent, django_capture_on_commit_callbacks
):
    make_story("An Ordinary Story")
    with django_capture_on_commit_callbacks(execute=True):
        story = embargoed_story(
            make_story, make_photo, "Embargoed Budget Leak", timezone.now() + dt.timedelta(hours=2)
        )
    holder = make_story(
        "Story With a Card", body=[{"type": "related", "value": {"story": story.pk}}]
    )
    assert not story.live and story.approved_schedule

    assert surfaces_showing(client, story) == []
    assert answer(client, story, 404)
    assert b"Embargoed Budget Leak" not in client.get(holder.url).content
    assert sent == []

    let_time_pass(story, "embargo_until", "go_live_at")
    with django_capture_on_commit_callbacks(execute=True):
        out = io.StringIO()
        call_command("run-scheduler", "--once", stdout=out)
    assert "published: Embargoed Budget Leak" in out.getvalue()

    assert sent == [story.pk]
    assert sorted(surfaces_showing(client, story)) == sorted(public_surfaces(story))
    assert answer(client, story, 200)
    assert b"Embargoed Budget Leak" in client.get(holder.url).content


def test_publishing_an_embargoed_story_only_schedules_it_for_the_end_of_the_embargo(
    make_story, sent, django_capture_on_commit_callbacks
):
    until = timezone.now() + dt.timedelta(hours=1)
    story = make_story("Merger Terms", publish=False)
    story.embargo_until = until
    story.go_live_at = timezone.now() + dt.timedelta(minutes=5)  # an earlier schedule yields
    with django_capture_on_commit_callbacks(execute=True):
        story = publish_story(story)
    assert not story.live
    assert story.scheduled_revision.approved_go_live_at == until
    assert sent == []


def test_an_editor_embargoes_a_story_in_the_newsroom_which_marks_it(client, staff, edition):
    client.force_login(staff[EDITORS])
    until = (timezone.now() + dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    add_url = client.get("/admin/stories/new/")["Location"]
    data = story_form(
        Section.objects.get(edition=edition, slug="world"),
        title="Central Bank Cuts Rates",
        slug="central-bank-cuts-rates",
        paragraph="Rates fall by half a point.",
        embargo_until=until.strftime("%Y-%m-%d %H:%M"),
        **{"action-publish": "publish"},
    )
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["form"].errors
    story = ArticlePage.objects.get(slug="central-bank-cuts-rates")
    assert not story.live and story.embargo_until == until
    assert story.scheduled_revision.approved_go_live_at == until

    when = formats.date_format(timezone.localtime(until), "SHORT_DATETIME_FORMAT")
    listing = client.get(f"/admin/pages/{story.get_parent().pk}/").content.decode()
    assert "Central Bank Cuts Rates" in listing and f"embargoed until {when}" in listing
    edit = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert f"Embargoed until {when}" in edit and "Nobody outside the newsroom sees it" in edit
    desk = client.get("/admin/").content.decode()
    start = desk.index(f'id="desk-{edition.slug}-embargoed"')
    embargoed = desk[start : desk.index("</section>", start)]
    assert "Central Bank Cuts Rates" in embargoed
    # The desk's times are 24-hour in the edition's zone (newsroom_tags.desk_time_text).
    assert f"Embargoed until {desk_time_text(until, edition)}" in strip_tags(embargoed)
    assert client.get(story.url).status_code == 404


def test_a_published_story_cannot_be_put_under_embargo(client, staff, make_story, edition):
    story = make_story("Already Out")
    client.force_login(staff[EDITORS])
    data = story_form(
        Section.objects.get(edition=edition, slug="world"),
        title="Already Out",
        slug=story.slug,
        paragraph="Text.",
        embargo_until=(timezone.now() + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        **{"action-publish": "publish"},
    )
    response = client.post(f"/admin/pages/{story.pk}/edit/", data)
    assert response.status_code == 200
    assert b"already published: an embargo cannot take it back" in response.content
    assert ArticlePage.objects.get(pk=story.pk).embargo_until is None
    assert client.get(story.url).status_code == 200


def test_a_live_row_under_an_embargo_that_has_not_passed_is_hidden_everywhere(
    client, make_story, make_photo
):
    # Belt and braces: whatever made the row live, the embargo still holds.
    make_story("An Ordinary Story")
    story = story_for_surfaces(make_story, make_photo, "Leaked Early Story")
    ArticlePage.objects.filter(pk=story.pk).update(
        embargo_until=timezone.now() + dt.timedelta(hours=1)
    )
    assert surfaces_showing(client, story) == []
    assert answer(client, story, 404)
