"""Reader pages outside the fronts, in a real Chromium on the demo: the media bank in the
reader's edition, a sign-up in Russian from the mail to the account pages, and a chat room
seen by a reader who has not signed in."""

import email
import email.policy
import re
import time

import pytest
from playwright.sync_api import expect

from tests.test_discussion_journey import newest_mail

pytestmark = pytest.mark.browser

PASSWORD = "a long pass phrase 7"
SITE_NAMES = (
    "from dateline.editions.models import Edition;"
    "print('|'.join(e.slug + '=' + e.site_name for e in Edition.objects.live()))"
)


def site_names(demo) -> dict[str, str]:
    line = demo.dateline("shell", "--no-imports", "-c", SITE_NAMES).stdout.strip().splitlines()[-1]
    return dict(pair.split("=", 1) for pair in line.split("|"))


def new_page(chromium, demo, *, language=None, width=1280, height=900):
    context = chromium.new_context(locale="en-GB", viewport={"width": width, "height": height})
    if language:
        context.add_cookies([{"name": "dateline_language", "value": language, "url": demo.url}])
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def shows(page, username: str) -> bool:
    """Return whether the page's HTML has the user name other than as part of the address
    (allauth makes the user name from the address: "masha" for masha@readers.example)."""
    html = page.content().replace("masha@readers.example", "")
    return re.search(rf"\b{re.escape(username)}\b", html) is not None


def caption_languages(page) -> list[str]:
    return page.locator(".photo-grid__caption").evaluate_all("spans => spans.map(s => s.lang)")


@pytest.mark.parametrize(("lang", "language_name"), [("ru", "Русский"), ("ar", "العربية")])
def test_the_media_bank_speaks_the_readers_edition(demo, chromium, lang, language_name):
    names = site_names(demo)
    page = new_page(chromium, demo, language=lang)
    page.goto(demo.url + "/mediabank/")

    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(".masthead__name")).to_have_text(names[lang])
    expect(page.locator(".masthead__name")).to_have_attribute("href", f"/{lang}/")
    # The reader's language's captions come first; the others follow on the same list.
    languages = caption_languages(page)
    assert languages[0] == lang, languages
    assert set(languages) - {lang}, languages
    first = page.locator(".photo-grid__caption").first
    expect(first).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")

    # The language filter narrows the list to that language's captions.
    page.locator(".mediabank-languages").get_by_role("link", name=language_name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]lang={lang}\b"))
    narrowed = caption_languages(page)
    assert narrowed and set(narrowed) == {lang}, narrowed
    assert len(narrowed) < len(languages) or set(languages) != {lang}

    # A photo's page: the caption in the reader's language, marked as such.
    page.locator(".photo-grid a").first.click()
    caption = page.locator(".photo-facts__caption").first
    expect(caption).to_have_attribute("lang", lang)
    expect(caption).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(page.locator(".masthead__name")).to_have_text(names[lang])


def test_a_russian_sign_up_is_branded_and_never_shows_the_user_name(demo, chromium):
    names = site_names(demo)
    page = new_page(chromium, demo)
    page.goto(demo.url + "/ru/")
    page.locator("[data-account]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    started = time.time() - 1
    page.goto(demo.url + "/accounts/signup/")
    page.fill("input[name=email]", "masha@readers.example")
    page.fill("input[name=display_name]", "Маша")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/"))

    # Bytes, not text: an 8-bit body parsed from a str comes back as escapes.
    mail = email.message_from_bytes(
        newest_mail(demo, started).encode(), policy=email.policy.default
    )
    body = mail.get_content()
    assert names["ru"] in mail["Subject"], mail["Subject"]
    assert "Подтвердите" in mail["Subject"]
    assert mail["From"].addresses[0].display_name == names["ru"]
    assert body.startswith(f"Здравствуйте! Вам пишет {names['ru']}."), body
    text = re.sub(r"https?://\S+", "", body)
    for leak in ("example.com", "127.0.0.1", "localhost", "Hello", "Thank you"):
        assert leak not in text, body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body)[0]

    # Confirming signs the reader in: the notice is shown once, on the page they land on.
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ru/$"))
    notice = page.locator(".messages")
    expect(notice).to_contain_text("Успешный вход под именем Маша")
    expect(page.locator("[data-account]")).to_have_text("Маша")
    page.get_by_role("navigation", name="Рубрики").get_by_role("link").nth(1).click()
    expect(page.locator(".messages")).to_have_count(0)

    username = demo.dateline(
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth.models import User;"
        "print(User.objects.get(email='masha@readers.example').username)",
    ).stdout.split()[-1]
    for path in ("/accounts/profile/", "/accounts/email/", "/accounts/password/change/"):
        page.goto(demo.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        expect(page.locator(".masthead__name")).to_have_text(names["ru"])
        assert not shows(page, username), path

    # Signing out and in again: "signed in" once, then gone.
    page.goto(demo.url + "/accounts/logout/")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ru/$"))
    page.reload()
    page.goto(demo.url + "/accounts/login/")
    page.fill("input[name=login]", "masha@readers.example")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ru/$"))
    expect(page.locator(".messages")).to_have_text(re.compile("Успешный вход под именем Маша"))
    page.reload()
    expect(page.locator("[data-account]")).to_have_text("Маша")
    expect(page.locator(".messages")).to_have_count(0)
    assert not shows(page, username)


@pytest.mark.parametrize("width", [1366, 390])
def test_a_signed_out_reader_in_a_chat_room_is_asked_to_sign_in(demo, chromium, width):
    page = new_page(chromium, demo, width=width, height=900 if width > 400 else 844)
    page.goto(demo.url + "/ru/chats/general/")
    chat = page.locator("#chat")
    link = chat.get_by_role("link", name="Войти в чат")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", "/accounts/login/?next=/ru/chats/general/")
    expect(chat.locator(".chat__form")).to_be_hidden()
    expect(chat.get_by_label("Ваше сообщение")).to_be_hidden()

    link.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
