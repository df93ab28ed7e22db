"""A story set to come down at a time leaves every public surface then, by itself."""

import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from conftest import story_form
from dateline.articles.models import ArticlePage
from dateline.newsroom.roles import EDITORS
from dateline.newsroom.tests.clock import let_time_pass
from dateline.newsroom.tests.surfaces import (
    answer,
    public_surfaces,
    story_for_surfaces,
    surfaces_showing,
)
from dateline.sections.models import Section


def test_an_editor_sets_a_time_to_unpublish_and_the_story_comes_down_then(
    client, staff, make_story, make_photo, edition
):
    make_story("An Ordinary Story")
    story = story_for_surfaces(make_story, make_photo, "Temporary Travel Advice")
    client.force_login(staff[EDITORS])
    expire_at = (timezone.now() + dt.timedelta(hours=6)).replace(second=0, microsecond=0)
    data = story_form(
        Section.objects.get(edition=edition, slug="world"),
        title=story.title,
        slug=story.slug,
        paragraph="Avoid the coast road.",
        standfirst=story.standfirst,
        tags="surfacetag",
        lead_photo=story.lead_photo_id,
        expire_at=expire_at.strftime("%Y-%m-%d %H:%M"),
        **{"action-publish": "publish"},
    )
    data["further_sections"] = [Section.objects.get(edition=edition, slug="science").pk]
    response = client.post(f"/admin/pages/{story.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert ArticlePage.objects.get(pk=story.pk).expire_at == expire_at
    # Until then it is everywhere (but on the person page: the form dropped the byline).
    expected = {s for s in public_surfaces(story) if "surface-writer" not in s}
    expected.discard("/en/corrections/")  # it has no correction
    assert expected <= set(surfaces_showing(client, story))

    # Once the time has passed, readers no longer get it, even before the scheduler runs.
    let_time_pass(story, "expire_at")
    assert surfaces_showing(client, story) == []
    assert answer(client, story, 404)

    out = io.StringIO()
    call_command("run-scheduler", "--once", stdout=out)
    assert "unpublished (expired): Temporary Travel Advice" in out.getvalue()
    story = ArticlePage.objects.get(pk=story.pk)
    assert not story.live and story.expired
    assert surfaces_showing(client, story) == []
    assert answer(client, story, 404)
