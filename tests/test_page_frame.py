"""The frame of every public page as a reader sees it, against the running demo: the header on a
phone (compact, sections in one row that scrolls sideways, sign-in as an icon), the newsfeed
docked where it covers nothing (a bottom bar on phones, in the sections bar on wide screens),
and its unread counter."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.test_live import publish_story

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
EDITIONS = {"en": "Sign in", "ru": "Войти", "ar": "تسجيل الدخول"}


def open_page(chromium, url, viewport, locale="en-GB"):
    context = chromium.new_context(locale=locale, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-stream", "open")
    return page


def box(locator):
    result = locator.bounding_box()
    assert result is not None, locator
    return result


def overlap(a, b) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


FIRST_STORY = """() => {
    const headline = Array.from(document.querySelectorAll("main h1, main h2, main h3"))
        .find((h) => h.querySelector("a") && h.getBoundingClientRect().width > 1);
    const story = headline.closest("article") || headline;
    return {top: story.getBoundingClientRect().top, text: headline.textContent.trim(),
            headline: headline.getBoundingClientRect().top};
}"""


@pytest.mark.parametrize("code", EDITIONS)
def test_on_a_phone_the_first_headline_starts_within_120_px_of_the_top(demo, chromium, code):
    page = open_page(chromium, f"{demo.url}/{code}/", PHONE)
    first = page.evaluate(FIRST_STORY)
    assert first["text"]
    # The first story begins under a header of at most 120 px, live strip and all, and its
    # headline comes first: the lead's photo follows it on a phone.
    assert first["top"] <= 120, first
    assert first["headline"] <= 120, first
    assert box(page.locator(".masthead"))["height"] <= 110
    # The name of the site is there, whole and on one line.
    name = page.locator(".masthead__name")
    expect(name).to_be_visible()
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth")
    page.context.close()


@pytest.mark.parametrize("code", ["en", "ar"])
def test_on_a_phone_the_sections_are_one_row_that_scrolls_sideways(demo, chromium, code):
    page = open_page(chromium, f"{demo.url}/{code}/", PHONE)
    links = page.locator(".sections-nav a")
    tops = {round(box(links.nth(i))["y"]) for i in range(links.count())}
    assert len(tops) == 1, "the sections wrap onto a second row"
    row = page.locator(".sections-nav ul")
    assert row.evaluate("e => e.scrollWidth > e.clientWidth")
    last = links.last
    assert not last.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; }"
    ), "the last section should start out of view"
    # Scrolled sideways, the last section comes into view; the page itself does not move.
    row.evaluate("e => e.scrollBy({left: (document.dir === 'rtl' ? -1 : 1) * e.scrollWidth})")
    expect(last).to_be_in_viewport(ratio=1)
    assert page.evaluate("scrollX") == 0

    # On the page of the last section, its link is the current one and it is in view.
    page.goto(demo.url + last.get_attribute("href"))
    current = page.locator(".sections-nav a[aria-current='page']")
    expect(current).to_have_attribute("href", last.get_attribute("href"))
    expect(current).to_be_in_viewport(ratio=1)
    assert page.evaluate("scrollY") == 0
    page.context.close()


@pytest.mark.parametrize("code", EDITIONS)
def test_sign_in_is_an_icon_with_an_accessible_name(demo, chromium, code):
    page = open_page(chromium, f"{demo.url}/{code}/", PHONE)
    link = page.get_by_role("banner").get_by_role("link", name=EDITIONS[code], exact=True)
    expect(link).to_be_visible()
    assert link.locator("svg").count() == 1
    # On a phone the words are for screen readers only: the link shows the icon.
    assert box(link)["width"] <= 48
    assert box(link.get_by_text(EDITIONS[code]))["width"] <= 1
    # Search and the language switcher are icons too; the switcher opens on a tap.
    for icon in (".masthead__search button", ".edition-menu summary"):
        expect(page.locator(icon)).to_be_visible()
        assert box(page.locator(icon))["width"] <= 48
    switcher = page.locator(".edition-menu")
    other = switcher.locator("a[hreflang]").first
    expect(other).to_be_hidden()
    switcher.locator("summary").click()
    expect(other).to_be_visible()
    page.context.close()

    # On a wide screen the words show beside the icon.
    page = open_page(chromium, f"{demo.url}/{code}/", DESKTOP)
    link = page.get_by_role("banner").get_by_role("link", name=EDITIONS[code], exact=True)
    expect(link.get_by_text(EDITIONS[code])).to_be_visible()
    assert box(link.get_by_text(EDITIONS[code]))["width"] > 20
    expect(page.locator(".edition-switcher a[hreflang]").first).to_be_visible()
    page.context.close()


def test_on_a_phone_the_search_button_opens_the_search_box(demo, chromium):
    page = open_page(chromium, demo.url + "/en/", PHONE)
    search = page.get_by_role("searchbox", name="Search stories")
    assert box(search)["width"] <= 1
    page.get_by_role("banner").get_by_role("button", name="Search").click()
    expect(search).to_be_focused()
    assert box(search)["width"] > 200
    search.fill("harbour")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/en/search/?q=harbour" in page.url
    page.context.close()


def test_on_a_phone_the_collapsed_newsfeed_covers_no_story(demo, chromium):
    page = open_page(chromium, demo.url + "/en/", PHONE)
    feed = page.locator(".newsfeed")
    bar = box(feed)
    # A bar at the bottom of the screen, no taller than a tap target.
    assert bar["y"] + bar["height"] == PHONE["height"]
    assert bar["height"] <= 48
    story = page.locator("main article").first
    assert not overlap(bar, box(story))
    # At the end of the page the footer ends above the bar: the page has room for it.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    footer = page.locator(".site-footer__powered")
    assert box(footer)["y"] + box(footer)["height"] <= box(feed)["y"]
    # A tap opens it as a sheet with the latest stories.
    page.locator(".newsfeed__toggle").click()
    expect(page.locator(".newsfeed__link").first).to_be_in_viewport()
    page.context.close()


def test_on_a_wide_screen_the_newsfeed_is_docked_in_the_sections_bar(demo, chromium):
    for code in ("en", "ar"):
        page = open_page(chromium, f"{demo.url}/{code}/", DESKTOP)
        toggle = page.locator(".newsfeed__toggle")
        expect(toggle).to_be_visible()
        main = box(page.locator("main"))
        feed = box(page.locator(".newsfeed"))
        assert feed["y"] + feed["height"] <= main["y"]
        for part in (".front-top", ".front-latest"):
            assert not overlap(box(toggle), box(page.locator(part)))
        # Opened, it lists the latest stories; Escape closes it.
        toggle.click()
        expect(page.locator(".newsfeed__link").first).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator(".newsfeed__link").first).to_be_hidden()
        page.context.close()


CHAT_READER = """
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from dateline.accounts.models import ReaderProfile
from dateline.chats.models import ChatRoom
user = User.objects.create_user("frame", "frame@chat.example", "a long pass phrase 8")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
ReaderProfile.objects.create(user=user, display_name="Frame")
print(ChatRoom.objects.get(edition__slug="en", slug="general").url)
"""


def test_on_a_phone_the_newsfeed_never_covers_a_chats_send_button(demo, chromium):
    path = demo.dateline("shell", "--no-imports", "-c", CHAT_READER).stdout.split()[-1]
    context = chromium.new_context(locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(demo.url + "/accounts/login/")
    page.fill("input[name=login]", "frame@chat.example")
    page.fill("input[name=password]", "a long pass phrase 8")
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    page.goto(demo.url + path)
    send = page.get_by_role("button", name="Send")
    expect(send).to_be_visible()
    # Brought into view (as the browser does when the reader tabs to it), Send is above the
    # bar, and so it is at the end of the page.
    send.evaluate("e => e.scrollIntoView({block: 'nearest'})")
    assert not overlap(box(send), box(page.locator(".newsfeed")))
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert not overlap(box(send), box(page.locator(".newsfeed")))
    send_box = box(send)
    assert send_box["y"] + send_box["height"] <= box(page.locator(".newsfeed"))["y"]
    context.close()


def test_the_counter_counts_what_arrived_and_opening_the_newsfeed_clears_it(
    demo, chromium, tmp_path
):
    page = open_page(chromium, demo.url + "/en/", PHONE)
    counter = page.locator(".newsfeed__count")
    expect(counter).to_have_text("0")
    headline = "Night Ferry Service Returns to the Northern Isles"
    publish_story(demo, tmp_path, "night-ferry-returns", headline)
    expect(counter).to_have_text("1", timeout=5000)
    expect(page.locator(".newsfeed__item").first).to_contain_text(headline)
    # The count is the number of stories that came, said in words to a screen reader.
    expect(page.locator(".newsfeed__toggle")).to_have_accessible_name(
        re.compile(r"Newsfeed\s+1\s+new stories")
    )

    # What came while the reader read this page still counts on the next one …
    page.goto(demo.url + "/en/world/")
    expect(counter).to_have_text("1")
    # … until they open the newsfeed, and a reload does not bring it back.
    page.locator(".newsfeed__toggle").click()
    expect(counter).to_have_text("0")
    page.reload()
    expect(counter).to_have_text("0")
    page.context.close()


def test_a_first_page_with_an_empty_newsfeed_does_not_make_the_next_one_count_20(demo, chromium):
    context = chromium.new_context(locale="en-GB", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(20_000)

    def without_stories(route):
        response = route.fetch()
        html = re.sub(r'<li class="newsfeed__item".*?</li>', "", response.text(), flags=re.S)
        route.fulfill(response=response, body=html)

    # The reader's first page has nothing in its newsfeed (as a page of a new edition would).
    page.route(demo.url + "/en/", without_stories)
    page.goto(demo.url + "/en/")
    expect(page.locator(".newsfeed__item")).to_have_count(0)
    expect(page.locator(".newsfeed__count")).to_have_text("0")
    page.unroute(demo.url + "/en/")
    # The next page lists the edition's latest stories: none of them is news to this reader.
    page.goto(demo.url + "/en/world/")
    expect(page.locator(".newsfeed__item").first).to_be_attached()
    assert page.locator(".newsfeed__item").count() >= 10
    expect(page.locator(".newsfeed__count")).to_have_text("0")
    context.close()


def test_a_reader_back_after_a_long_time_starts_at_0(demo, chromium):
    context = chromium.new_context(locale="en-GB", viewport=DESKTOP)
    # What a browser keeps from a visit days ago: a mark older than every story listed.
    marks = {"dateline:newsfeed-read:en": "1", "dateline:newsfeed-active:en": "1"}
    context.add_init_script(
        f"for (const [k, v] of Object.entries({json.dumps(marks)}))"
        " if (localStorage.getItem(k) === null) localStorage.setItem(k, v);"
    )
    page = context.new_page()
    page.goto(demo.url + "/en/")
    expect(page.locator(".newsfeed__item").first).to_be_attached()
    expect(page.locator(".newsfeed__count")).to_have_text("0")
    context.close()
