import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from dateline.articles.models import ArticlePage


def make_due(story):
    """Move a scheduled story's time into the past, as the clock would."""
    past = timezone.now() - dt.timedelta(seconds=1)
    revision = story.latest_revision
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    ArticlePage.objects.filter(pk=story.pk).update(go_live_at=past)


def test_the_scheduler_publishes_what_has_come_due_and_says_so(client, make_story, capsys):
    story = make_story("Polls Close", published_at=timezone.now() + dt.timedelta(hours=1))
    later = make_story("Results Due", published_at=timezone.now() + dt.timedelta(hours=3))
    make_due(story)
    call_command("run-scheduler", "--once")
    out = capsys.readouterr().out
    assert "published: Polls Close" in out and "1 pages changed" in out
    front = client.get("/en/").content.decode()
    assert "Polls Close" in front and "Results Due" not in front
    assert not ArticlePage.objects.get(pk=later.pk).live


def test_with_nothing_due_it_changes_nothing(make_story, capsys):
    make_story("Not Yet", published_at=timezone.now() + dt.timedelta(hours=1))
    call_command("run-scheduler", "--once")
    assert "0 pages changed" in capsys.readouterr().out
    assert not ArticlePage.objects.get(title="Not Yet").live
