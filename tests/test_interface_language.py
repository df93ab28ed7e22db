"""Addresses outside the editions answer in the language of the edition the reader is in: the
account pages (and the e-mails they send) and the discussion's endpoints."""

import pytest

from dateline.accounts.middleware import COOKIE


@pytest.fixture
def edition(db):
    """A Russian edition instead of the English one of the root conftest."""
    from dateline.editions.actions import create_edition
    from dateline.sections.models import Section

    edition = create_edition(
        "ru",
        site_name="Тестовые новости",
        tagline="Новости для тестов",
        agency="Тестинформ",
        time_zone="Europe/Moscow",
    )
    Section.objects.create(edition=edition, slug="world", name="В мире", sort_order=0)
    return edition


def test_it_shows_the_sign_in_page_in_the_language_of_the_edition_in_next(client, edition):
    response = client.get("/accounts/login/?next=/ru/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ru"' in html
    assert "Войти" in html
    assert "Sign In" not in html
    assert response["Content-Language"] == "ru"
    assert "Тестовые новости" in html  # the Russian edition's masthead


def test_it_takes_the_language_from_the_referring_page_and_keeps_it(client, edition):
    from dateline.editions.actions import create_edition

    create_edition("ar", site_name="أخبار الاختبار", tagline="أخبار", agency="وكالة")
    response = client.get("/accounts/signup/", HTTP_REFERER="http://testserver/ar/")
    assert '<html lang="ar" dir="rtl"' in response.content.decode()
    assert client.cookies[COOKIE].value == "ar"
    # The next account page, reached without a link from an edition, stays in Arabic.
    response = client.get("/accounts/password/reset/")
    assert '<html lang="ar"' in response.content.decode()


def test_it_ignores_referrers_of_other_sites_and_unknown_languages(client, edition):
    from dateline.editions.actions import create_edition

    create_edition("en", site_name="The Test Times", tagline="News", agency="Testwire")
    response = client.get("/accounts/login/?next=/xx/", HTTP_REFERER="http://elsewhere.test/ru/")
    assert '<html lang="en"' in response.content.decode()
    assert "The Test Times" in response.content.decode()
    assert COOKIE not in response.cookies


def test_the_account_state_sets_no_cookie(client, edition):
    response = client.get("/accounts/state.json", HTTP_REFERER="http://testserver/ru/")
    assert response.status_code == 200
    assert COOKIE not in response.cookies


def test_the_remembered_language_makes_no_session(client, edition):
    """A session cookie would take the reader's later pages out of the page cache."""
    response = client.get("/accounts/login/?next=/ru/")
    assert response.cookies[COOKIE].value == "ru"
    assert "sessionid" not in response.cookies


def test_the_confirmation_mail_is_in_the_readers_language(client, edition, mailoutbox):
    client.get("/accounts/signup/?next=/ru/")
    response = client.post(
        "/accounts/signup/",
        {"email": "reader@example.org", "password1": "a-long-pass-phrase-42",
         "password2": "a-long-pass-phrase-42", "display_name": "Читатель"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    [mail] = mailoutbox
    assert "Подтвердите адрес" in mail.subject, mail.subject


def test_discussion_errors_come_in_the_language_of_the_story(client, make_story):
    story = make_story("Землетрясение в Японии")
    response = client.post(
        f"/discussion/pages/{story.pk}/comments/",
        {"text": "Привет"},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert response.json()["error"] == "Войдите, чтобы участвовать в обсуждении."


ENGLISH = r"\b(Sign|Password|Forgot|Remember)\b"


@pytest.mark.parametrize(
    ("lang", "sign_in", "foreign"),
    [
        ("ru", "Войти", r"[\u0600-\u06FF]|" + ENGLISH),
        ("ar", "تسجيل الدخول", r"[А-Яа-я]|" + ENGLISH),
    ],
)
def test_a_reader_who_signs_in_from_an_edition_gets_the_form_in_its_language(
    page, demo_site, lang, sign_in, foreign
):
    import re

    from playwright.sync_api import expect

    page.goto(f"{demo_site}/{lang}/")
    page.get_by_role("link", name=sign_in).first.click()
    page.wait_for_url("**/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text(sign_in)
    form = page.locator("main").inner_text()
    assert not re.search(foreign, form), form
    # The masthead is the edition's: its home front is one click away.
    expect(page.locator(".masthead__name")).to_have_attribute("href", f"/{lang}/")


def test_the_media_bank_speaks_the_language_of_the_edition_it_was_opened_from(client, edition):
    response = client.get("/mediabank/", HTTP_REFERER="http://testserver/ru/world/")
    html = response.content.decode()
    assert '<html lang="ru"' in html
    assert "Фотографии наших фотографов" in html
    assert "Тестовые новости" in html
    # A photo page opened from the media bank stays in Russian.
    response = client.get("/mediabank/?q=x", HTTP_REFERER="http://testserver/mediabank/")
    assert '<html lang="ru"' in response.content.decode()
