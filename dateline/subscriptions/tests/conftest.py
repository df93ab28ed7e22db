"""Helpers for the subscription tests: signing up through the page, and the links in mails."""

import re

import pytest
from django.core import mail
from django.test import TestCase


@pytest.fixture
def lists(edition):
    from dateline.subscriptions.actions import ensure_newsletters

    digest, breaking = ensure_newsletters(edition)
    return {"digest": digest, "breaking": breaking}


def sign_up(client, email, *newsletters, lang="en", query="", **extra):
    """Post the sign-up form as a reader would, running what waits for the commit (the
    confirmation mail) as the site does."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            f"/{lang}/subscribe/{query}",
            {"email": email, "newsletters": [n.pk for n in newsletters]},
            **extra,
        )


def link_in(message, kind: str) -> str:
    """Return the path of the first link of ``kind`` (confirm, unsubscribe, manage) in the
    plain-text part of ``message``."""
    match = re.search(rf"http://[^/\s]+(/[a-z]{{2}}/newsletters/{kind}/[^\s]+/)", message.body)
    assert match, f"no {kind} link in:\n{message.body}"
    return match[1]


def confirmed_subscriber(client, email, *newsletters, query=""):
    """Sign ``email`` up for ``newsletters`` and follow the confirmation link."""
    mail.outbox.clear()
    sign_up(client, email, *newsletters, query=query)
    (message,) = mail.outbox
    client.post(link_in(message, "confirm"))
    mail.outbox.clear()
