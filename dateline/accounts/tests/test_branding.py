"""Accounts as Dateline: mails in the name and language of the reader's edition, readers never
named by their internal user name, and notices shown once."""

import re

import pytest
from django.contrib.auth import get_user_model

from dateline.accounts.middleware import COOKIE

PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def russian(edition):
    from dateline.editions.actions import create_edition
    from dateline.sections.models import Section

    ru = create_edition("ru", site_name="Тестовые новости", tagline="Новости", agency="Тестинформ")
    Section.objects.create(edition=ru, slug="world", name="В мире", sort_order=0)
    return ru


def sign_up(client, email="reader@example.org", name="Анна"):
    client.get("/accounts/signup/?next=/ru/")
    response = client.post(
        "/accounts/signup/?next=/ru/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": name},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def without_links(text):
    return re.sub(r"https?://\S+", "", text)


def test_the_sign_up_mail_is_branded_and_in_russian(client, russian, mailoutbox):
    sign_up(client)
    [mail] = mailoutbox
    assert mail.subject == "Подтвердите адрес электронной почты для сайта Тестовые новости"
    assert mail.from_email.startswith("Тестовые новости <")
    assert mail.body.startswith("Здравствуйте! Вам пишет Тестовые новости.")
    assert "Чтобы подтвердить адрес, откройте ссылку:" in mail.body
    text = without_links(mail.body)
    for leak in ("example.com", "127.0.0.1", "testserver", "localhost", "Hello", "Thank"):
        assert leak not in text, mail.body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.body)
    assert link, mail.body


def test_the_password_reset_mail_never_tells_the_user_name(
    client, russian, make_reader, mailoutbox
):
    reader = make_reader("Ada")
    client.cookies[COOKIE] = "ru"
    client.post("/accounts/password/reset/", {"email": reader.email})
    [mail] = mailoutbox
    assert mail.subject == "Новый пароль для сайта Тестовые новости"
    assert reader.username not in mail.body
    assert "/accounts/password/reset/key/" in mail.body


def test_account_pages_never_show_the_internal_user_name(client, russian, mailoutbox):
    sign_up(client, email="zoe.reader@example.org", name="Зоя")
    user = get_user_model().objects.get(email="zoe.reader@example.org")
    user.username = "internal-x7q9"  # what allauth made up, here easy to find
    user.save()
    confirm = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mailoutbox[0].body)[1]
    client.post(confirm)
    for path in ("/ru/", "/accounts/profile/", "/accounts/email/", "/accounts/password/change/",
                 "/accounts/logout/", "/accounts/delete/", "/accounts/state.json"):  # fmt: skip
        body = client.get(path).content.decode()
        assert "internal-x7q9" not in body, path
    assert client.get("/accounts/state.json").json()["name"] == "Зоя"


def test_a_reader_without_a_display_name_is_never_named_by_user_name(django_user_model):
    from dateline.accounts.models import account_display, display_name

    reader = django_user_model.objects.create_user("internal-x7q9", "kim@example.org", PASSWORD)
    assert account_display(reader) == "kim@example.org"
    assert "internal-x7q9" not in display_name(reader)
    assert "kim@example.org" not in display_name(reader)  # others never see the address


def test_the_sign_in_notice_is_shown_once_on_the_page_the_reader_lands_on(
    client, russian, make_reader
):
    make_reader("Ada")
    response = client.post(
        "/accounts/login/?next=/ru/", {"login": "ada@example.org", "password": "a-long-password-1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/ru/"
    html = client.get("/ru/").content.decode()
    assert '<div class="messages" role="status">' in html
    assert "Успешный вход под именем Ada." in html
    assert "Успешный вход" not in client.get("/ru/").content.decode()
    assert "Успешный вход" not in client.get("/accounts/profile/").content.decode()
