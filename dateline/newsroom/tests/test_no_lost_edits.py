"""Two editors on one story: neither overwrites the other without knowing, and every save is a
revision that can be compared and restored."""

import re

import pytest
from django.test import Client

from conftest import story_form
from dateline.articles.models import ArticlePage
from dateline.newsroom.roles import EDITORS


@pytest.fixture
def editors(staff, django_user_model):
    """Two signed-in editors, each with their own browser session."""
    first = staff[EDITORS]
    second = django_user_model.objects.create_user("second_editor", password="pw")
    second.groups.add(first.groups.get())
    clients = []
    for user in (first, second):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def open_editor(client, story):
    """Open the story's form as the editor does; return the version it was loaded from."""
    html = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    return loaded_version(html)


def loaded_version(html):
    return {
        "loaded_revision_id": re.search(r'name="loaded_revision_id" value="(\d+)"', html)[1],
        "loaded_revision_created_at": re.search(
            r'name="loaded_revision_created_at" value="([^"]+)"', html
        )[1],
    }


def form(story, title, version, **fields):
    data = story_form(
        story.primary_section, title=title, slug=story.slug, paragraph=f"{title}.", **fields
    )
    data.update(version)
    return data


def save(client, story, title, version, **fields):
    return client.post(f"/admin/pages/{story.pk}/edit/", form(story, title, version, **fields))


def test_the_second_save_is_refused_until_the_editor_has_seen_the_newer_version(
    editors, make_story
):
    first, second = editors
    story = make_story("Harbour Reopens")
    seen_by_first = open_editor(first, story)
    seen_by_second = open_editor(second, story)

    assert save(first, story, "Harbour Reopens on Monday", seen_by_first).status_code == 302
    refused = save(second, story, "Harbour Reopens Tomorrow", seen_by_second)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "editors saved a newer version of this story" in html
    assert "Your changes have not been saved" in html
    # Their own text is still in the form, to keep.
    assert 'value="Harbour Reopens Tomorrow"' in html
    latest = ArticlePage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert latest.title == "Harbour Reopens on Monday"

    # Saving again from the form that now knows the newer version replaces it, on purpose.
    assert save(second, story, "Harbour Reopens Tomorrow", loaded_version(html)).status_code == 302
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.get_latest_revision_as_object().title == "Harbour Reopens Tomorrow"

    # Both versions are revisions: they can be compared, and the first one restored.
    original, by_first, by_second = story.revisions.order_by("created_at", "pk")
    assert by_first.as_object().title == "Harbour Reopens on Monday"
    compare = first.get(
        f"/admin/pages/{story.pk}/revisions/compare/{by_first.pk}...{by_second.pk}/"
    )
    assert compare.status_code == 200
    assert b"Harbour Reopens on Monday" in compare.content
    assert b"Harbour Reopens Tomorrow" in compare.content
    revert = first.get(f"/admin/pages/{story.pk}/revisions/{by_first.pk}/revert/")
    assert b'value="Harbour Reopens on Monday"' in revert.content
    restored = first.post(
        f"/admin/pages/{story.pk}/revisions/{by_first.pk}/revert/",
        form(
            story,
            "Harbour Reopens on Monday",
            loaded_version(revert.content.decode()),
            **{"action-publish": "publish"},
        ),
    )
    assert restored.status_code == 302
    assert ArticlePage.objects.get(pk=story.pk).title == "Harbour Reopens on Monday"


def test_publishing_from_an_out_of_date_form_is_refused_too(editors, make_story, client):
    first, second = editors
    story = make_story("Storm Warning")
    seen_by_second = open_editor(second, story)
    assert save(first, story, "Storm Warning Lifted", open_editor(first, story)).status_code == 302
    refused = save(
        second, story, "Storm Warning Extended", seen_by_second, **{"action-publish": "publish"}
    )
    assert refused.status_code == 200
    assert b"saved a newer version of this story" in refused.content
    assert ArticlePage.objects.get(pk=story.pk).title == "Storm Warning"
    assert b"Storm Warning Extended" not in client.get(story.url).content


def test_a_story_locked_by_one_editor_cannot_be_saved_by_another(editors, make_story):
    first, second = editors
    story = make_story("Locked Story")
    assert first.post(f"/admin/pages/{story.pk}/lock/").status_code == 302
    refused = save(second, story, "Changed While Locked", open_editor(second, story))
    assert b"The page could not be saved as it is locked." in refused.content
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.get_latest_revision_as_object().title == "Locked Story"
    # The one who locked it saves as usual.
    assert save(first, story, "Locked Story, Edited", open_editor(first, story)).status_code == 302


def test_an_out_of_date_form_still_previews(editors, make_story):
    first, second = editors
    story = make_story("Preview Story")
    seen_by_second = open_editor(second, story)
    assert save(first, story, "Preview Story, First", open_editor(first, story)).status_code == 302
    url = f"/admin/pages/{story.pk}/edit/preview/"
    response = second.post(url, form(story, "Preview Story, Second", seen_by_second))
    assert response.json()["is_valid"]
    assert b"Preview Story, Second</h1>" in second.get(url).content
