from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command

from dateline.subscriptions import actions
from dateline.subscriptions.models import Delivery, Issue, Subscriber
from dateline.subscriptions.tests.crashing_backend import CrashingBackend, MailServerGone

READERS = [f"reader{n}@example.org" for n in range(7)]


def confirm_all(newsletter):
    for email in READERS:
        actions.request_subscription(email, [newsletter], "en")
        actions.confirm_subscriber(Subscriber.objects.get(email=email))


def test_a_send_that_crashes_half_way_resumes_and_nobody_gets_the_issue_twice(
    lists, make_story, settings
):
    make_story("Dam Repairs Finished Early")
    confirm_all(lists["digest"])
    mail.outbox.clear()
    settings.EMAIL_BACKEND = "dateline.subscriptions.tests.crashing_backend.CrashingBackend"
    CrashingBackend.budget = 5  # the server goes away in the second batch of three

    with pytest.raises(MailServerGone):
        call_command(
            "send-newsletters", "--newsletter", str(lists["digest"].pk), "--now",
            "--batch-size", "3",
        )  # fmt: skip
    assert len(mail.outbox) == 5
    issue = Issue.objects.get()
    assert issue.status == Issue.Status.SENDING
    assert Delivery.objects.filter(issue=issue, status="sent").count() == 5

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The resumed run makes no new digest (today's exists) and mails only the two left.
    call_command("send-newsletters", "--newsletter", str(lists["digest"].pk), "--batch-size", "3")

    copies = Counter(message.to[0] for message in mail.outbox)
    assert copies == Counter(dict.fromkeys(READERS, 1))
    assert {m.subject for m in mail.outbox} == {mail.outbox[0].subject}
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT and issue.locked_until is None
    assert Issue.objects.count() == 1

    # A third run finds nothing left to send.
    call_command("send-newsletters", "--newsletter", str(lists["digest"].pk))
    assert len(mail.outbox) == 7


def test_a_dry_run_says_what_it_would_send_and_sends_nothing(lists, make_story, capsys):
    make_story("Dam Repairs Finished Early")
    confirm_all(lists["digest"])
    mail.outbox.clear()
    call_command("send-newsletters", "--newsletter", str(lists["digest"].pk), "--now", "--dry-run")
    out = capsys.readouterr().out
    assert "1 stories for 7 recipients" in out
    assert "Dry run: nothing was made or sent." in out
    assert mail.outbox == [] and not Issue.objects.exists()


def test_an_unknown_newsletter_is_named_in_the_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--newsletter 999999: there is no newsletter"):
        call_command("send-newsletters", "--newsletter", "999999")
