from django.core import mail
from django.core.management import call_command
from django.test import Client

from dateline.subscriptions.models import Subscription
from dateline.subscriptions.tests.conftest import confirmed_subscriber, link_in


def one_digest(lists, make_story):
    make_story("Ferry Timetable Changes")
    call_command("send-newsletters", "--newsletter", str(lists["digest"].pk), "--now")
    (message,) = mail.outbox
    return message


def test_every_newsletter_mail_carries_the_one_click_unsubscribe_headers(
    client, lists, make_story, settings
):
    confirmed_subscriber(client, "reader@example.org", lists["digest"])
    message = one_digest(lists, make_story)
    unsubscribe = link_in(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL}{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0][0]
    assert unsubscribe in html and link_in(message, "manage") in html


def test_the_one_click_post_unsubscribes_without_cookies_or_csrf(client, lists, make_story):
    confirmed_subscriber(client, "reader@example.org", lists["digest"], lists["breaking"])
    message = one_digest(lists, make_story)
    path = link_in(message, "unsubscribe")
    mail_client = Client(enforce_csrf_checks=True)  # a mail provider: no cookies, no token
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert list(Subscription.objects.values_list("newsletter__kind", flat=True)) == ["breaking"]


def test_the_link_shows_a_button_and_the_button_unsubscribes(client, lists, make_story):
    confirmed_subscriber(client, "reader@example.org", lists["digest"])
    path = link_in(one_digest(lists, make_story), "unsubscribe")
    page = client.get(path)
    assert b"Stop sending" in page.content
    assert Subscription.objects.exists()  # opening the link alone changes nothing
    done = client.post(path)
    assert b"You are unsubscribed" in done.content
    assert not Subscription.objects.exists()
    # The next digest goes to nobody.
    mail.outbox.clear()
    call_command("send-newsletters", "--newsletter", str(lists["digest"].pk), "--now")
    assert mail.outbox == []


def test_a_tampered_unsubscribe_link_is_refused_and_changes_nothing(client, lists, make_story):
    confirmed_subscriber(client, "reader@example.org", lists["digest"])
    path = link_in(one_digest(lists, make_story), "unsubscribe")
    response = Client().post(path.replace(f".{lists['digest'].pk}:", f".{lists['breaking'].pk}:"))
    response2 = Client().post(path[:-3] + "x/")
    for bad in (response, response2):
        assert bad.status_code == 400 and b"This link does not work" in bad.content
    assert Subscription.objects.count() == 1


def test_the_manage_page_lists_every_list_and_saves_the_ticks(client, lists, make_story):
    confirmed_subscriber(client, "reader@example.org", lists["digest"])
    path = link_in(one_digest(lists, make_story), "manage")
    page = client.get(path).content.decode()
    assert "Daily digest" in page and "Breaking news alerts" in page
    assert f'value="{lists["digest"].pk}" checked' in page
    assert f'value="{lists["breaking"].pk}" checked' not in page

    client.post(path, {"newsletters": [lists["breaking"].pk]})
    assert list(Subscription.objects.values_list("newsletter__kind", flat=True)) == ["breaking"]

    bad = client.post(path, {"newsletters": ["999999"]})
    assert bad.status_code == 400 and b"Choose among the newsletters listed" in bad.content
    assert list(Subscription.objects.values_list("newsletter__kind", flat=True)) == ["breaking"]

    # Unticking every box leaves every list.
    assert b"Saved." in client.post(path, {}, follow=True).content
    assert not Subscription.objects.exists()
