import datetime as dt

from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from dateline.articles.actions import publish_story, withdraw_story
from dateline.editions.actions import create_edition
from dateline.sections.models import Section
from dateline.subscriptions import actions
from dateline.subscriptions.models import Issue, Newsletter, Subscriber
from dateline.subscriptions.tests.conftest import confirmed_subscriber


def send_digest(newsletter):
    mail.outbox.clear()
    call_command("send-newsletters", "--newsletter", str(newsletter.pk), "--now")
    return list(mail.outbox)


def test_a_digest_holds_the_visible_stories_published_since_the_last_one(client, lists, make_story):
    now = timezone.now()
    confirmed_subscriber(client, "reader@example.org", lists["digest"])
    make_story("Old News From Last Week", published_at=now - dt.timedelta(days=7))
    make_story(
        "Bridge Opens To Traffic",
        standfirst="Cars crossed at dawn.",
        published_at=now - dt.timedelta(hours=2),
    )
    (first,) = send_digest(lists["digest"])
    assert "Bridge Opens To Traffic" in first.body and "Cars crossed at dawn." in first.body
    assert "Old News From Last Week" not in first.body  # older than a first digest's day

    make_story("Port Strike Ends", section="business", published_at=timezone.now())
    make_story("Tomorrow's Launch", published_at=now + dt.timedelta(hours=5))
    embargoed = make_story("Embargoed Budget Figures", publish=False)
    embargoed.embargo_until = now + dt.timedelta(hours=2)
    publish_story(embargoed)
    withdraw_story(make_story("Story Pulled By The Desk"))

    (second,) = send_digest(lists["digest"])
    html = second.alternatives[0][0]
    assert second.alternatives[0][1] == "text/html"
    for part in (second.body, html):
        assert "Port Strike Ends" in part
        for hidden in (
            "Bridge Opens To Traffic",  # in the last issue
            "Tomorrow's Launch",
            "Embargoed Budget Figures",
            "Story Pulled By The Desk",
        ):
            assert hidden not in part
    assert "Business" in second.body  # the section is named


def test_a_digest_links_to_the_stories_at_the_site_address(client, lists, make_story, settings):
    confirmed_subscriber(client, "reader@example.org", lists["digest"])
    story = make_story("Bridge Opens To Traffic")
    (message,) = send_digest(lists["digest"])
    link = settings.SITE_URL + story.url
    assert link in message.body
    assert f'href="{link}"' in message.alternatives[0][0]


def test_a_digest_with_nothing_new_is_not_sent(client, lists):
    confirmed_subscriber(client, "reader@example.org", lists["digest"])
    assert send_digest(lists["digest"]) == []
    assert Issue.objects.get().status == Issue.Status.EMPTY


def test_a_digest_is_written_in_its_editions_language(db, make_story):
    russian = create_edition(
        "ru", site_name="Тестовые новости", agency="Тестинформ", time_zone="Europe/Moscow"
    )
    Section.objects.create(edition=russian, slug="mir", name="Мир")
    digest, _breaking = actions.ensure_newsletters(russian)
    actions.request_subscription("chitatel@example.org", [digest], "ru")
    actions.confirm_subscriber(Subscriber.objects.get())
    from dateline.articles.actions import file_story
    from dateline.articles.models import ArticlePage

    when = timezone.now() - dt.timedelta(hours=1)
    story = ArticlePage(
        title="Мост открыт для движения",
        slug="most",
        locale_id=russian.locale_id,
        primary_section=Section.objects.get(edition=russian),
        live=False,
        body=[{"type": "paragraph", "value": "<p>Текст.</p>"}],
    )
    file_story(russian, when).add_child(instance=story)
    publish_story(story, at=when)

    (message,) = send_digest(digest)
    html = message.alternatives[0][0]
    assert '<html lang="ru"' in html
    story.refresh_from_db()
    with translation.override("ru"):
        russian_time = russian.format_datetime(story.published_at)
        russian_title = str(Newsletter.Kind.DIGEST.label)
    with translation.override("en"):
        assert russian_time != russian.format_datetime(story.published_at)
    assert russian_time in message.body and russian_time in html  # month name, Moscow time
    assert russian_title in message.subject and russian_title in message.body
    assert "Мост открыт для движения" in message.body


def test_a_section_digest_holds_only_that_sections_stories(client, edition, make_story):
    asia = Section.objects.get(edition=edition, slug="asia")
    newsletter = Newsletter.objects.create(edition=edition, kind="digest", section=asia)
    confirmed_subscriber(client, "reader@example.org", newsletter, query="?section=asia")
    make_story("Typhoon Nears Okinawa", section="asia")
    make_story("Rhine Levels Fall", section="europe")
    make_story("Trade Talks In Seoul", section="business", further_sections=["asia"])
    (message,) = send_digest(newsletter)
    assert "Asia: daily digest" in message.subject
    assert "Typhoon Nears Okinawa" in message.body and "Trade Talks In Seoul" in message.body
    assert "Rhine Levels Fall" not in message.body


def test_daily_digests_go_out_at_their_time_once_a_day(client, lists, make_story):
    confirmed_subscriber(client, "reader@example.org", lists["digest"])
    make_story("Bridge Opens To Traffic")
    edition_now = timezone.localtime(timezone.now(), lists["digest"].edition.tzinfo)
    later = (edition_now + dt.timedelta(minutes=30)).time()
    if later < edition_now.time():  # past midnight: the test would straddle two days
        later = dt.time(23, 59, 59)
    Newsletter.objects.filter(pk=lists["digest"].pk).update(send_time=later)
    mail.outbox.clear()
    call_command("send-newsletters")
    assert mail.outbox == []  # not yet
    Newsletter.objects.filter(pk=lists["digest"].pk).update(
        send_time=(edition_now - dt.timedelta(minutes=1)).time()
        if edition_now.time() > dt.time(0, 1)
        else dt.time(0, 0)
    )
    call_command("send-newsletters")
    call_command("send-newsletters")
    assert len(mail.outbox) == 1  # once, however often the sender looks


def test_the_follows_of_a_reader_who_asked_for_them_are_added_to_their_digest(
    client, lists, make_story, django_user_model
):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user("reader", "reader@example.org", "pw-long-enough")
    EmailAddress.objects.create(user=user, email="reader@example.org", verified=True, primary=True)
    actions.follow(user, section=Section.objects.get(edition=lists["digest"].edition, slug="asia"))
    actions.set_follows_in_digest(user, True)
    confirmed_subscriber(client, "reader@example.org", lists["digest"])
    confirmed_subscriber(client, "other@example.org", lists["digest"])
    make_story("Typhoon Nears Okinawa", section="asia")
    make_story("Rhine Levels Fall", section="europe")
    copies = {m.to[0]: m for m in send_digest(lists["digest"])}
    reader, other = copies["reader@example.org"], copies["other@example.org"]
    for part in (reader.body, reader.alternatives[0][0]):
        followed_at = part.index("From what you follow")
        assert followed_at < part.index("Typhoon Nears Okinawa") < part.index("More stories")
        assert part.index("More stories") < part.index("Rhine Levels Fall")
        assert part.count("Typhoon Nears Okinawa") == 1
    assert "From what you follow" not in other.body
    assert "Typhoon Nears Okinawa" in other.body and "Rhine Levels Fall" in other.body
