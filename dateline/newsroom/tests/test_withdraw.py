"""An editor withdraws a story: it leaves every public surface, and its address says so."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import PageLogEntry

from dateline.articles.actions import story_published, story_withdrawn
from dateline.articles.models import ArticlePage
from dateline.newsroom.roles import (
    ADMINISTRATORS,
    EDITORS,
    MODERATORS,
    PHOTO_EDITORS,
    REPORTERS,
)
from dateline.newsroom.tests.surfaces import (
    story_addresses,
    story_for_surfaces,
    surfaces_showing,
)


@pytest.fixture
def events():
    """The (signal, story id) pairs sent while the test runs."""
    sent = []

    def on_published(sender, story, **kwargs):
        sent.append(("published", story.pk))

    def on_withdrawn(sender, story, **kwargs):
        sent.append(("withdrawn", story.pk))

    story_published.connect(on_published, dispatch_uid="test-withdraw-published")
    story_withdrawn.connect(on_withdrawn, dispatch_uid="test-withdraw-withdrawn")
    yield sent
    story_published.disconnect(dispatch_uid="test-withdraw-published")
    story_withdrawn.disconnect(dispatch_uid="test-withdraw-withdrawn")


def test_an_editor_withdraws_a_story_and_it_is_gone_everywhere_with_a_notice(
    client, staff, make_story, make_photo, events, django_capture_on_commit_callbacks
):
    make_story("An Ordinary Story")
    story = story_for_surfaces(make_story, make_photo, "Disputed Dossier Claims")
    assert surfaces_showing(client, story)  # it was out there

    client.force_login(staff[EDITORS])
    edit = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert f'href="/admin/stories/{story.pk}/withdraw/"' in edit
    listing = client.get(f"/admin/pages/{story.get_parent().pk}/").content.decode()
    assert f'href="/admin/stories/{story.pk}/withdraw/"' in listing
    confirm = client.get(f"/admin/stories/{story.pk}/withdraw/").content.decode()
    assert "Are you sure you want to withdraw this story?" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/stories/{story.pk}/withdraw/",
            {"reason": "The dossier it relied on was forged."},
        )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{story.pk}/edit/"
    assert events == [("withdrawn", story.pk)]

    client.logout()
    assert surfaces_showing(client, story) == []
    notice = client.get(story.url)
    assert notice.status_code == 410
    html = notice.content.decode()
    assert "Story withdrawn" in html
    assert "The dossier it relied on was forged." in html
    withdrawn_at = ArticlePage.objects.get(pk=story.pk).withdrawn_at
    assert f'<time datetime="{withdrawn_at.isoformat(timespec="seconds")}">' in html
    # The headline is not repeated: what made the story go may be in it.
    assert "Disputed Dossier Claims" not in html[html.index("<main") : html.index("</main>")]
    gone = story_addresses(client, story)
    assert gone.pop(story.url) == 410 and set(gone.values()) == {404}, gone

    # The newsroom keeps the record, marked withdrawn, with its history.
    client.force_login(staff[EDITORS])
    edit = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert "Withdrawn on" in edit and "The dossier it relied on was forged." in edit
    assert f'href="/admin/stories/{story.pk}/withdraw/"' not in edit
    listing = client.get(f"/admin/pages/{story.get_parent().pk}/").content.decode()
    assert "Disputed Dossier Claims" in listing and "withdrawn" in listing
    entry = PageLogEntry.objects.filter(page=story, action="dateline.withdraw").get()
    assert entry.user == staff[EDITORS]
    history = client.get(f"/admin/pages/{story.pk}/history/").content.decode()
    assert "Withdrawn: The dossier it relied on was forged." in history


def test_publishing_a_withdrawn_story_again_does_not_bring_it_back(
    client, make_story, make_photo, events, django_capture_on_commit_callbacks
):
    from dateline.articles.actions import withdraw_story

    make_story("An Ordinary Story")
    story = story_for_surfaces(make_story, make_photo, "Retracted Poll Numbers")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_story(story)
        story = ArticlePage.objects.get(pk=story.pk)
        story.title = "Retracted Poll Numbers, Revised"
        story.save_revision().publish()
    assert ("published", story.pk) not in events
    assert ArticlePage.objects.get(pk=story.pk).withdrawn_at is not None
    assert surfaces_showing(client, story) == []
    assert client.get(story.url).status_code == 410


def test_withdrawing_a_scheduled_story_cancels_it_and_its_address_stays_unknown(client, make_story):
    from django.core.management import call_command

    from dateline.articles.actions import withdraw_story
    from dateline.newsroom.tests.clock import let_time_pass

    story = make_story("Planned Launch", published_at=timezone.now() + dt.timedelta(hours=1))
    assert story.approved_schedule
    withdraw_story(story, reason="Launch called off.")
    let_time_pass(story, "go_live_at")
    call_command("run-scheduler", "--once", verbosity=0)
    story = ArticlePage.objects.get(pk=story.pk)
    assert not story.live and not story.approved_schedule
    # Readers never saw it: its address is simply not found.
    assert client.get(story.url).status_code == 404


@pytest.mark.parametrize("role", [REPORTERS, PHOTO_EDITORS, MODERATORS])
def test_only_editors_and_administrators_may_withdraw(client, staff, make_story, role):
    story = make_story("Protected Story")
    client.force_login(staff[role])
    assert client.get(f"/admin/stories/{story.pk}/withdraw/").status_code in (302, 403)
    assert client.post(f"/admin/stories/{story.pk}/withdraw/", {"reason": "x"}).status_code in (
        302,
        403,
    )
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.live and story.withdrawn_at is None
    assert client.get(story.url).status_code == 200
    if role == REPORTERS:
        ArticlePage.objects.filter(pk=story.pk).update(owner=staff[role])
        edit = client.get(f"/admin/pages/{story.pk}/edit/")
        assert edit.status_code == 200 and b"/withdraw/" not in edit.content


def test_an_administrator_may_withdraw(client, staff, make_story):
    story = make_story("Story for the Administrator")
    client.force_login(staff[ADMINISTRATORS])
    assert client.post(f"/admin/stories/{story.pk}/withdraw/").status_code == 302
    assert client.get(story.url).status_code == 410
