import datetime as dt

from django.core import mail

from dateline.subscriptions.actions import SIGNUPS_PER_IP_PER_HOUR
from dateline.subscriptions.models import Subscriber, Subscription
from dateline.subscriptions.tests.conftest import confirmed_subscriber, sign_up


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(client, lists):
    confirmed_subscriber(client, "known@example.org", lists["digest"])
    answers = []
    for email in ("known@example.org", "unknown@example.org"):
        response = sign_up(client, email, lists["digest"])
        page = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], page.content))
    assert answers[0] == answers[1]
    assert b"Check your inbox" in answers[0][2]
    # The known, confirmed address got nothing new to confirm, so no mail.
    assert [m.to for m in mail.outbox] == [["unknown@example.org"]]


def test_at_most_one_confirmation_per_address_in_five_minutes(client, lists):
    for _ in range(3):
        assert sign_up(client, "reader@example.org", lists["digest"]).status_code == 302
    assert len(mail.outbox) == 1
    Subscriber.objects.update(confirmation_sent_at=Subscriber.objects.get().confirmation_sent_at
                              - dt.timedelta(minutes=6))  # fmt: skip
    sign_up(client, "reader@example.org", lists["digest"])
    assert len(mail.outbox) == 2


def test_one_client_address_may_sign_up_only_so_often(client, lists):
    for n in range(SIGNUPS_PER_IP_PER_HOUR):
        sign_up(client, f"reader{n}@example.org", lists["digest"], REMOTE_ADDR="198.51.100.7")
    response = sign_up(client, "one.more@example.org", lists["digest"], REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 400
    assert b"Too many sign-ups from your address" in response.content
    assert not Subscriber.objects.filter(email="one.more@example.org").exists()
    # Another client is not held back.
    other = sign_up(client, "one.more@example.org", lists["digest"], REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 302


def test_a_bad_address_or_no_list_gets_a_clear_error_and_changes_nothing(client, lists):
    bad = sign_up(client, "not-an-address", lists["digest"])
    assert bad.status_code == 400
    assert "“not-an-address” is not an e-mail address" in bad.content.decode()
    none = sign_up(client, "reader@example.org")
    assert none.status_code == 400 and b"Choose at least one newsletter" in none.content
    foreign = client.post("/en/subscribe/", {"email": "reader@example.org", "newsletters": ["x"]})
    assert foreign.status_code == 400
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert mail.outbox == []


def test_the_subscribe_page_offers_newsletters_feeds_and_follows(client, lists, make_story):
    story = make_story(
        "Typhoon Nears Okinawa", section="asia", tags=["weather"], bylines=["Aiko Sato"]
    )
    page = client.get(f"/en/subscribe/?section=asia&story={story.pk}").content.decode()
    for text in (
        "Daily digest",
        "Breaking news alerts",
        "/en/feed/",
        "/en/asia/feed/",
        "/en/tags/weather/feed/",
        "Stories by Aiko Sato",
        'data-follow="section:',
        "Sign in</a> to follow",
    ):
        assert text in page, text
    assert client.get("/en/subscribe/?section=no-such-section").status_code == 404
