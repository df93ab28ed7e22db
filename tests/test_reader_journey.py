"""A reader's first visit, in a real Chromium, on the demo content that `make demo` loads."""

import json
import re

import pytest

from dateline.demo.content import load_demo_stories
from tests.schemaorg import problems

# Wagtail's root page comes from a data migration: restore it after each flush.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The reading order of an article, after ../shared/reference/reference-page.txt.
ARTICLE_ORDER = [
    ".story-header .section-label",
    "h1.story-headline",
    ".lead-photo img",
    ".lead-photo .credit",
    ".lead-photo .caption",
    ".story-meta .subscribe-link",
    ".story-body .dateline",
    ".story-tags",
]
BLOCK_KINDS = {
    "paragraph": "paragraph",
    "quote": "quote",
    "image": "body-photo",
    "related": "related-card",
    "read_more": "read-more",
    "embed": "embed",
}


def richest_story():
    """Return the demo story that has every kind of element."""
    for story in load_demo_stories():
        types = [block["type"] for block in story["body"]]
        if {"quote", "image", "read_more"} <= set(types) and types.count("related") >= 2:
            return story
    raise AssertionError("the demo has no story with every element")


def document_order(page, selectors):
    return page.evaluate(
        """selectors => {
            const all = Array.from(document.querySelectorAll('*'));
            return selectors.map(s => all.indexOf(document.querySelector(s)));
        }""",
        selectors,
    )


def test_a_reader_opens_a_story_from_the_home_front(demo_site, page):
    story = richest_story()

    page.goto(demo_site + "/")
    assert page.url == demo_site + "/en/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".masthead__name").inner_text() == "Dateline International"
    # The stylesheet arrived and applies: the sections are a row, not a bulleted list.
    assert page.locator(".sections-nav ul").evaluate("e => getComputedStyle(e).display") == "flex"
    assert page.locator(".front-top .card__headline").count() == 1
    for name in ["World", "Asia", "Europe", "Business", "Science", "Off-beat"]:
        assert (
            page.get_by_role("navigation", name="Sections")
            .get_by_role("link", name=name, exact=True)
            .is_visible()
        )
    assert "Sample content" in page.locator(".site-footer").inner_text()

    page.get_by_role("link", name=story["headline"], exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == story["headline"]

    # Every element is there, in the order of the reference page.
    order = document_order(page, ARTICLE_ORDER)
    missing = [s for s, i in zip(ARTICLE_ORDER, order, strict=True) if i < 0]
    assert not missing, missing
    assert order == sorted(order)
    # The body's paragraphs, quotes, photos, cards and read-more links are where the editor
    # put them.
    shown = page.evaluate("""() => Array.from(document.querySelector('.story-body').children)
        .map(e => e.tagName === 'P' && !e.className ? 'paragraph' : e.className)""")
    assert shown == [BLOCK_KINDS[block["type"]] for block in story["body"]]
    assert page.locator(".story-header .section-label").inner_text().lower() == "asia"
    place = story["dateline"]["place"].upper()
    first_paragraph = page.locator(".story-body p").first.inner_text()
    assert first_paragraph.startswith(f"{place} (Dateline) –")
    assert page.locator(".story-body .related-card").count() == 2
    credit = page.locator(".lead-photo .credit").inner_text()
    assert credit.startswith("© Dateline / ") and "Go to the media bank" in credit
    assert page.locator(".lead-photo .caption").inner_text() == story["lead_photo"]["caption"]
    assert page.locator(".lead-photo img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("img:not([alt])").count() == 0
    assert (
        page.locator(".story-meta .subscribe-link")
        .get_attribute("href")
        .startswith("/en/subscribe/")
    )
    assert page.locator(".bylines a").count() == len(story["bylines"])

    # The JSON-LD describes the same story, within the schema.org vocabulary.
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert problems(data) == []
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story["headline"]
    assert data["dateline"] == f"{place} (Dateline)"
    assert data["image"]["caption"] == story["lead_photo"]["caption"]
    assert data["image"]["creditText"].startswith("Dateline / ")
    assert data["image"]["copyrightNotice"] == story["lead_photo"]["copyright"]
    assert [a["name"] for a in data["author"]] == story["bylines"]
    article_url = page.url

    # A related-story card leads to that story.
    card = page.locator(".story-body .related-card").first
    card_headline = card.locator(".related-card__headline").inner_text()
    card.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == card_headline
    assert page.url != article_url

    # The credit line leads to the photo in the media bank, which leads back to the story.
    page.goto(article_url)
    page.get_by_role("link", name=re.compile("Go to the media bank")).first.click()
    page.wait_for_load_state()
    assert re.search(r"/mediabank/photos/\d+/$", page.url)
    assert page.locator(".photo-facts__caption").inner_text() == story["lead_photo"]["caption"]
    assert page.locator(".photo-facts__copyright").inner_text() == story["lead_photo"]["copyright"]
    page.get_by_role("link", name=story["headline"], exact=True).click()
    page.wait_for_load_state()
    assert page.url == article_url


def test_a_reader_searches_and_uses_the_keyboard(demo_site, page):
    story = richest_story()
    page.goto(demo_site + "/en/")
    # The first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    word = story["headline"].split()[0]
    page.get_by_role("searchbox", name="Search stories").first.fill(word)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#search-q").input_value() == word
    assert page.get_by_role("link", name=story["headline"], exact=True).count() >= 1
