import pytest
from django.core.management import call_command
from wagtail.models import Page

from conftest import story_form
from dateline.articles.models import ArticlePage
from dateline.mediabank.models import Photo
from dateline.newsroom.roles import (
    ADMINISTRATORS,
    EDITORS,
    MODERATORS,
    PHOTO_EDITORS,
    REPORTERS,
)


def test_a_reporter_writes_but_cannot_publish(staff, make_story):
    reporter = staff[REPORTERS]
    story = make_story("Reporter's Draft", publish=False)
    Page.objects.filter(pk=story.pk).update(owner=reporter)
    story.refresh_from_db()
    bucket = story.get_parent()
    assert bucket.permissions_for_user(reporter).can_add_subpage()
    permissions = story.permissions_for_user(reporter)
    assert permissions.can_edit() and not permissions.can_publish()
    # Someone else's story is not theirs to edit.
    assert not make_story("Editor's Story").permissions_for_user(reporter).can_edit()


def test_an_editor_edits_and_publishes_any_story(staff, make_story):
    story = make_story("Anyone's Story")
    permissions = story.permissions_for_user(staff[EDITORS])
    assert permissions.can_edit() and permissions.can_publish() and permissions.can_lock()


def test_a_photo_editor_manages_photos_but_cannot_publish_stories(staff, make_story, client):
    editor = staff[PHOTO_EDITORS]
    story = make_story("Photo Story")
    permissions = story.permissions_for_user(editor)
    assert not permissions.can_edit() and not permissions.can_publish()
    client.force_login(editor)
    assert client.get(f"/admin/images/{story.lead_photo.pk}/").status_code == 200
    assert client.get(f"/admin/pages/{story.pk}/edit/").status_code in (302, 403)
    assert Photo.objects.filter(pk=story.lead_photo.pk).exists()


def test_a_moderator_cannot_edit_stories(staff, make_story, client):
    moderator = staff[MODERATORS]
    story = make_story("Moderated Story")
    assert not story.permissions_for_user(moderator).can_edit()
    client.force_login(moderator)
    assert client.get("/admin/").status_code == 200
    response = client.post(f"/admin/pages/{story.pk}/edit/", {"title": "Changed"})
    assert response.status_code in (302, 403)
    assert ArticlePage.objects.get(pk=story.pk).title == "Moderated Story"


def test_administrators_can_do_everything_with_stories(staff, make_story):
    permissions = make_story("Admin Story").permissions_for_user(staff[ADMINISTRATORS])
    assert permissions.can_edit() and permissions.can_publish() and permissions.can_delete()


def test_a_reporters_submission_waits_for_an_editor(staff, make_story):
    story = make_story("Submitted Story", publish=False)
    workflow = story.get_workflow()
    assert workflow is not None and workflow.name == "Editorial review"
    task = workflow.tasks.first().specific
    assert set(task.groups.values_list("name", flat=True)) == {EDITORS, ADMINISTRATORS}


def test_setting_up_twice_changes_nothing(staff, capsys):
    from wagtail.models import GroupPagePermission

    before = GroupPagePermission.objects.count()
    call_command("setup-newsroom")
    assert GroupPagePermission.objects.count() == before
    assert "Newsroom ready: 5 groups" in capsys.readouterr().out


def test_a_reporter_submits_a_story_from_the_newsroom_and_it_is_not_published(
    staff, client, make_photo
):
    from dateline.sections.models import Section

    reporter = staff[REPORTERS]
    client.force_login(reporter)
    add_url = client.get("/admin/stories/new/")["Location"]
    assert client.get(add_url).status_code == 200
    assert client.get("/admin/snippets/choose/sections/section/").status_code == 200
    section = Section.objects.get(slug="world")
    data = story_form(
        section,
        title="Reporter Files From the Coast",
        slug="reporter-files-from-the-coast",
        paragraph="Waves hit the coast.",
        **{"action-submit": "submit"},
    )
    assert client.post(add_url, data).status_code == 302
    story = ArticlePage.objects.get(slug="reporter-files-from-the-coast")
    assert not story.live
    assert story.current_workflow_state and story.current_workflow_state.status == "in_progress"
    # Publishing is refused to a reporter even when asked for.
    data["action-publish"] = "publish"
    client.post(f"/admin/pages/{story.pk}/edit/", data)
    assert not ArticlePage.objects.get(pk=story.pk).live


@pytest.mark.parametrize("role", [REPORTERS, PHOTO_EDITORS, MODERATORS])
def test_only_editors_and_administrators_publish_a_story_from_the_newsroom(
    staff, client, make_story, role
):
    from dateline.sections.models import Section

    story = make_story("Waiting Draft", publish=False)
    Page.objects.filter(pk=story.pk).update(owner=staff[REPORTERS])
    data = story_form(
        Section.objects.get(slug="world"),
        title="Waiting Draft",
        slug=story.slug,
        paragraph="Draft text.",
        **{"action-publish": "publish"},
    )
    client.force_login(staff[role])
    client.post(f"/admin/pages/{story.pk}/edit/", data)
    assert not ArticlePage.objects.get(pk=story.pk).live
    assert client.get(story.url).status_code == 404

    client.force_login(staff[EDITORS])
    assert client.post(f"/admin/pages/{story.pk}/edit/", data).status_code == 302
    assert ArticlePage.objects.get(pk=story.pk).live
    assert client.get(story.url).status_code == 200
