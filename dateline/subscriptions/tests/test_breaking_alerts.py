from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from dateline.live.models import BreakingNews
from dateline.subscriptions.models import Issue
from dateline.subscriptions.tests.conftest import confirmed_subscriber, link_in


def test_breaking_news_raised_in_the_newsroom_goes_to_the_alert_list(client, lists, make_story):
    confirmed_subscriber(client, "alerts@example.org", lists["breaking"])
    confirmed_subscriber(client, "digest@example.org", lists["digest"])
    story = make_story("Earthquake Strikes Off Coast")
    with TestCase.captureOnCommitCallbacks(execute=True):
        flag = BreakingNews.objects.create(story=story, edition=story.edition)
    issue = Issue.objects.get()
    assert issue.key == f"breaking:{flag.pk}" and issue.newsletter == lists["breaking"]

    call_command("send-newsletters", "--newsletter", str(lists["breaking"].pk))
    (alert,) = mail.outbox
    assert alert.to == ["alerts@example.org"]
    assert alert.subject == "Breaking: Earthquake Strikes Off Coast"
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link_in(alert, "unsubscribe") in alert.extra_headers["List-Unsubscribe"]
    assert story.url in alert.body

    # Saving the flag again (ending it) sends nothing more.
    with TestCase.captureOnCommitCallbacks(execute=True):
        flag.save()
    call_command("send-newsletters", "--newsletter", str(lists["breaking"].pk))
    assert len(mail.outbox) == 1
