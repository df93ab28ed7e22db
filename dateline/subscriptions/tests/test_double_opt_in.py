import time

from django.core import mail, signing
from django.utils import timezone

from dateline.subscriptions.models import Delivery, Subscriber, Subscription
from dateline.subscriptions.tests.conftest import link_in, sign_up


def test_it_subscribes_only_after_the_link_in_the_mail_is_confirmed(client, lists):
    response = sign_up(client, "Reader@Example.org", lists["digest"], lists["breaking"])
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    assert "Daily digest" in message.body and "Breaking news alerts" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Confirm my subscription" in html
    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert subscriber.confirmed_at is None
    assert not Subscription.objects.filter(confirmed_at__isnull=False).exists()

    path = link_in(message, "confirm")
    page = client.get(path)
    # Opening the link (as a mail scanner would) shows a button and confirms nothing.
    assert b"Confirm your subscription" in page.content
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None

    confirmed = client.post(path)
    assert b"You are subscribed" in confirmed.content
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    assert set(
        Subscription.objects.filter(confirmed_at__isnull=False).values_list(
            "newsletter__kind", flat=True
        )
    ) == {"digest", "breaking"}


def test_a_tampered_link_is_refused_and_changes_nothing(client, lists):
    sign_up(client, "reader@example.org", lists["digest"])
    path = link_in(mail.outbox[0], "confirm")
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = path.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    for bad in (tampered, "/en/newsletters/confirm/not-a-token/"):
        response = client.post(bad)
        assert response.status_code == 400
        assert b"This link does not work" in response.content
        assert b"Nothing was changed" in response.content
    assert Subscriber.objects.get().confirmed_at is None
    assert not Subscription.objects.filter(confirmed_at__isnull=False).exists()


def test_an_expired_link_is_refused_and_changes_nothing(client, lists, monkeypatch):
    sign_up(client, "reader@example.org", lists["digest"])
    path = link_in(mail.outbox[0], "confirm")
    four_days_later = time.time() + 4 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: four_days_later)
    response = client.post(path)
    assert response.status_code == 400
    assert b"This link has expired" in response.content
    assert Subscriber.objects.get().confirmed_at is None


def test_no_mail_but_the_confirmation_goes_to_an_unconfirmed_address(client, lists, make_story):
    from django.core.management import call_command

    from dateline.subscriptions.tests.conftest import confirmed_subscriber

    make_story("Harbour Reopens After Storm")
    confirmed_subscriber(client, "confirmed@example.org", lists["digest"])
    sign_up(client, "unconfirmed@example.org", lists["digest"])
    mail.outbox.clear()

    call_command("send-newsletters", "--newsletter", str(lists["digest"].pk), "--now")

    assert [m.to for m in mail.outbox] == [["confirmed@example.org"]]
    assert not Delivery.objects.filter(subscriber__email="unconfirmed@example.org").exists()
    assert Subscriber.objects.get(email="unconfirmed@example.org").confirmed_at is None
    assert timezone.now()  # the digest run is over; nothing else changed
