"""Two signed-in readers chat in the demo's general room: each sees the other's messages arrive
without reloading, and the room counts them both. A muted reader cannot post and is told until
when and why."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "a long pass phrase 7"
READERS = """
import datetime as dt
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.utils import timezone
from dateline.accounts.models import ReaderProfile
from dateline.chats.models import ChatMute, ChatRoom
room = ChatRoom.objects.get(edition__slug="en", slug="general")
for name in ("Lena", "Omar", "Rex"):
    user = User.objects.create_user(name.lower(), name.lower() + "@chat.example", "{password}")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    ReaderProfile.objects.create(user=user, display_name=name)
ChatMute.objects.create(
    user=User.objects.get(username="rex"), room=room,
    until=timezone.now() + dt.timedelta(minutes=30), reason="Flooding the room",
)
print(room.url)
"""


def signed_in(chromium, demo, email):
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(demo.url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    return page


def open_room(page, demo, path):
    page.goto(demo.url + path)
    chat = page.get_by_role("region", name="General")
    expect(chat.get_by_label("Your message")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-stream", "open")
    # The tab's first heartbeat has been counted (its answer shows the count): a reader who
    # opens the room after this one is sure to be counted with them.
    expect(chat.locator(".chat__here")).to_have_attribute("data-count", re.compile(r"\d+"))
    return chat


def test_two_readers_chat_and_a_muted_reader_is_told_why(demo, chromium):
    path = demo.dateline(
        "shell", "--no-imports", "-c", READERS.replace("{password}", PASSWORD)
    ).stdout.split()[-1]

    lena = signed_in(chromium, demo, "lena@chat.example")
    lena_chat = open_room(lena, demo, path)
    omar = signed_in(chromium, demo, "omar@chat.example")
    omar_chat = open_room(omar, demo, path)

    # Both are counted: at once on the page that came second, on the next heartbeat on the other.
    expect(omar_chat.get_by_text("2 readers here now")).to_be_visible(timeout=15_000)
    expect(lena_chat.get_by_text("2 readers here now")).to_be_visible(timeout=30_000)

    lena_chat.get_by_label("Your message").fill("Anyone following the treaty talks?")
    lena_chat.get_by_role("button", name="Send").click()
    arrived = omar_chat.locator(".chat__message").filter(has_text="treaty talks")
    expect(arrived).to_be_visible(timeout=5000)
    expect(arrived.locator(".chat__author")).to_have_text("Lena")

    omar_chat.get_by_label("Your message").fill('Yes: "fish < chips" & all <3')
    omar_chat.get_by_role("button", name="Send").click()
    reply = lena_chat.locator(".chat__message").filter(has_text="fish < chips")
    expect(reply.locator(".chat__text")).to_have_text('Yes: "fish < chips" & all <3', timeout=5000)

    # Markup is refused with the reason; nothing reaches the other reader.
    lena_chat.get_by_label("Your message").fill('<img src=x onerror="window.__xss=1">')
    lena_chat.get_by_role("button", name="Send").click()
    expect(lena_chat.get_by_role("alert")).to_contain_text("Write plain text")
    assert omar.evaluate("window.__xss") is None

    rex = signed_in(chromium, demo, "rex@chat.example")
    rex_chat = open_room(rex, demo, path)
    expect(rex_chat.locator(".chat__message").filter(has_text="treaty talks")).to_be_visible()
    rex_chat.get_by_label("Your message").fill("Let me in!")
    rex_chat.get_by_role("button", name="Send").click()
    expect(rex_chat.get_by_role("alert")).to_contain_text(
        re.compile(r"You are muted in this room until .+\. Reason: Flooding the room")
    )
    lena.wait_for_timeout(1000)
    expect(lena_chat.locator(".chat__message").filter(has_text="Let me in")).to_have_count(0)
    for page in (lena, omar, rex):
        page.context.close()
