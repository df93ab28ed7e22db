"""Sign-up and password reset do the same work for an address that has an account and for one
that has not: one mail, queued for the background, never sent while the reader waits, and (at
sign-up) the same password hashing. Compared by what each path does, not by timing."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher
from django.core import mail

from dateline.accounts import outbox

KNOWN = "known@example.org"


@pytest.fixture
def background(settings, monkeypatch):
    """Mail goes to the background queue; no worker runs, so nothing is sent at all."""
    settings.ACCOUNT_MAIL_IN_BACKGROUND = True
    monkeypatch.setattr(outbox, "_start_worker", lambda: None)
    while not outbox._queue.empty():
        outbox._queue.get_nowait()
        outbox._queue.task_done()
    yield outbox._queue
    while not outbox._queue.empty():
        outbox._queue.get_nowait()
        outbox._queue.task_done()


@pytest.fixture
def hashings(monkeypatch):
    hasher = type(get_hasher())
    calls = []
    encode = hasher.encode

    def counted(self, password, salt, *args, **kwargs):
        calls.append(password)
        return encode(self, password, salt, *args, **kwargs)

    monkeypatch.setattr(hasher, "encode", counted)
    return calls


@pytest.fixture
def known_reader(edition):
    return get_user_model().objects.create_user("known", KNOWN, "an-old-pass-phrase-1")


def sign_up(client, email, name):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "display_name": name,
            "password1": "a-new-pass-phrase-42",
            "password2": "a-new-pass-phrase-42",
        },
    )


def test_sign_up_does_the_same_for_a_known_and_a_new_address(
    client, known_reader, background, hashings
):
    paths = {}
    for email, name in [(KNOWN, "Teodor"), ("new@example.org", "Miranda")]:
        queued, hashed = background.qsize(), len(hashings)
        response = sign_up(client, email, name)
        paths[email] = {
            "status": response.status_code,
            "location": response.get("Location"),
            "queued": background.qsize() - queued,
            "hashed": hashings[hashed:],
            "sent": len(mail.outbox),
        }
    known, new = paths[KNOWN], paths["new@example.org"]
    assert known == new
    assert known["status"] == 302 and known["queued"] == 1 and known["sent"] == 0
    assert known["hashed"] == ["a-new-pass-phrase-42"]
    # The known address got "you already have an account", the new one a confirmation.
    subjects = sorted(message.subject for message in list(background.queue))
    assert len(subjects) == 2
    assert get_user_model().objects.filter(email="new@example.org").exists()


def test_password_reset_does_the_same_for_a_known_and_an_unknown_address(
    client, known_reader, background
):
    answers = []
    for email in (KNOWN, "stranger@example.org"):
        queued = background.qsize()
        response = client.post("/accounts/password/reset/", {"email": email})
        answers.append(
            (response.status_code, response.get("Location"), background.qsize() - queued)
        )
    assert answers[0] == answers[1] == (302, "/accounts/password/reset/done/", 1)
    assert len(mail.outbox) == 0
    to = [message.to for message in list(background.queue)]
    assert to == [[KNOWN], ["stranger@example.org"]]


def test_the_worker_sends_what_is_queued(settings, edition, client):
    settings.ACCOUNT_MAIL_IN_BACKGROUND = True
    client.post("/accounts/password/reset/", {"email": "stranger@example.org"})
    assert outbox.wait(10)
    assert [message.to for message in mail.outbox] == [["stranger@example.org"]]
