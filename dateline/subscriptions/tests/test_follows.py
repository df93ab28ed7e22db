import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from dateline.sections.models import Section
from dateline.subscriptions.models import Follow


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user(
        "reader", "reader@example.org", "a long pass phrase 7"
    )


@pytest.fixture
def browser(reader):
    """A signed-in reader's browser, which must send the CSRF token like the page's script."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    return client


def main_content(response) -> str:
    """The page's own content, without the newsfeed of latest headlines every page carries."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def state(client, **ids):
    query = "&".join(f"{kind}={pk}" for kind, pk in ids.items())
    return client.get(f"/subscriptions/follows.json?{query}")


def follow(client, kind, pk, wanted=True):
    token = client.cookies["csrftoken"].value
    return client.post(
        "/subscriptions/follow/",
        json.dumps({"kind": kind, "id": pk, "follow": wanted}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )


def test_a_followed_sections_new_story_shows_on_my_news(browser, edition, make_story):
    asia = Section.objects.get(edition=edition, slug="asia")
    before = state(browser, section=asia.pk)
    assert before.json() == {"signed_in": True, "following": []}
    assert "no-store" in before["Cache-Control"] and "private" in before["Cache-Control"]

    assert follow(browser, "section", asia.pk).json() == {"following": True}
    assert state(browser, section=asia.pk).json()["following"] == [f"section:{asia.pk}"]

    make_story("Typhoon Nears Okinawa", section="asia")
    make_story("Rhine Levels Fall", section="europe")
    make_story(
        "Tomorrow In Tokyo", section="asia", published_at=timezone.now() + dt.timedelta(hours=3)
    )
    page = browser.get("/en/my-news/")
    assert "no-store" in page["Cache-Control"]
    html = main_content(page)
    assert "Typhoon Nears Okinawa" in html
    assert "Rhine Levels Fall" not in html and "Tomorrow In Tokyo" not in html

    assert follow(browser, "section", asia.pk, wanted=False).json() == {"following": False}
    assert "Typhoon Nears Okinawa" not in main_content(browser.get("/en/my-news/"))


def test_tags_and_authors_can_be_followed_too(browser, edition, make_story):
    from taggit.models import Tag

    from dateline.people.models import Person

    make_story("Typhoon Nears Okinawa", tags=["weather"])
    make_story("Markets Calm", section="business", bylines=["Aiko Sato"])
    make_story("Unrelated Story", section="science")
    state(browser)
    follow(browser, "tag", Tag.objects.get(name="weather").pk)
    follow(browser, "person", Person.objects.get(name="Aiko Sato").pk)
    html = main_content(browser.get("/en/my-news/"))
    assert "Typhoon Nears Okinawa" in html and "Markets Calm" in html
    assert "Unrelated Story" not in html


def test_following_needs_a_signed_in_reader_the_csrf_token_and_a_real_target(browser, edition):
    anonymous = Client(enforce_csrf_checks=True)
    assert state(anonymous).json() == {"signed_in": False, "following": []}
    assert follow(anonymous, "section", 1).status_code == 403
    assert anonymous.get("/en/my-news/").status_code == 302

    no_token = browser.post(
        "/subscriptions/follow/", json.dumps({"kind": "section", "id": 1, "follow": True}),
        content_type="application/json",
    )  # fmt: skip
    assert no_token.status_code == 403
    state(browser)
    assert follow(browser, "planet", 1).status_code == 400
    assert follow(browser, "section", 999999).status_code == 404
    bad = follow(browser, "section", "1", wanted="yes")
    assert bad.status_code == 400 and "follow: true or false" in bad.json()["error"]
    assert not Follow.objects.exists()


def test_anonymous_article_and_section_pages_stay_cacheable(client, edition, make_story):
    story = make_story("Typhoon Nears Okinawa", section="asia")
    for path in (story.url, "/en/asia/", "/en/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, path
        assert "cookie" not in response.headers.get("Vary", "").lower(), path


def test_follows_go_with_the_account_and_are_in_the_data_download(
    client, reader, edition, make_story
):
    client.force_login(reader)
    from dateline.subscriptions import actions

    actions.follow(reader, section=Section.objects.get(edition=edition, slug="asia"))
    actions.set_follows_in_digest(reader, True)
    data = json.loads(client.get("/accounts/data.json").content)
    assert data["follows"]["follows"][0]["name"] == "Asia"
    assert data["follows"]["follows_in_digest"] is True

    response = client.post("/accounts/delete/", {"password": "a long pass phrase 7"})
    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_my_news_keeps_the_choice_to_add_follows_to_the_digest(client, reader, edition):
    client.force_login(reader)
    client.post("/en/my-news/", {"follows_in_digest": "on"})
    assert reader.news_preference.follows_in_digest is True
    page = client.get("/en/my-news/").content.decode()
    assert 'name="follows_in_digest" checked' in page
    client.post("/en/my-news/", {})
    reader.news_preference.refresh_from_db()
    assert reader.news_preference.follows_in_digest is False
