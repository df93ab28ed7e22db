"""A reader searches the demo site: marked snippets, the text-only row of a story without a
photo at desktop and mobile widths, the section, date and order controls (a plain form),
a byline, and "Did you mean"."""

import json
import re

import pytest
from playwright.sync_api import expect

# A story without a photo, published a month and a half ago (it stays off the fronts' tops).
PHOTOLESS = {
    "edition": "en",
    "section": "business",
    "kind": "news",
    "slug": "quayside-lamplighters-harbour",
    "headline": "Quayside Lamplighters Keep an Old Harbour Trade Alive",
    "standfirst": "Six lamplighters still tend the gas lamps along the harbour wall each evening.",
    "published_at": "-45d",
    "bylines": ["Lucas Brennan"],
    "body": [
        {
            "type": "paragraph",
            "text": "The lamplighters start at dusk at the harbour master's office and finish "
            "an hour later at the lighthouse steps.",
        }
    ],
}


@pytest.fixture(scope="module")
def site(demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("search-journey") / "stories.json"
    path.write_text(json.dumps([PHOTOLESS]))
    demo.dateline("load-stories", "--publish", str(path))
    return demo.url


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_a_story_without_a_photo_is_the_text_only_result(site, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(site + "/en/search/?q=harbour")
    text_row = page.locator(".result--text", has_text=PHOTOLESS["headline"])
    expect(text_row).to_be_visible()
    # Headline, snippet with the query's word marked, section and time; no photo.
    expect(text_row.locator(".result__headline")).to_have_text(PHOTOLESS["headline"])
    expect(text_row.locator(".result__headline mark")).to_have_text("Harbour")
    expect(text_row.locator(".result__snippet mark").first).to_have_text("harbour")
    expect(text_row.locator(".section-label")).to_have_text("Business")
    expect(text_row.locator("time")).to_be_visible()
    assert text_row.locator("img").count() == 0
    # Photo results have their thumbnail, and the text-only headline takes at least the
    # width a photo result's headline has.
    photo_row = page.locator(".result:not(.result--text)").first
    expect(photo_row.locator(".result__photo img")).to_be_visible()
    text_width = text_row.locator(".result__headline").bounding_box()["width"]
    photo_width = photo_row.locator(".result__headline").bounding_box()["width"]
    assert text_width >= photo_width
    # Nothing runs off the side of the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_reader_narrows_and_orders_results_with_the_form(site, page):
    page.goto(site + "/en/search/?q=harbour")
    everything = page.locator(".result").count()
    assert everything >= 2
    page.get_by_label("Section", exact=True).select_option(label="Business")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"section=business"))
    labels = page.locator(".result .section-label").all_inner_texts()
    assert labels and all(label.strip().lower() == "business" for label in labels)
    assert len(labels) < everything
    # A date preset: the month-and-a-half-old story leaves "Past month".
    page.get_by_label("Section", exact=True).select_option(label="All sections")
    page.get_by_label("Date", exact=True).select_option(label="Past month")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".result", has_text=PHOTOLESS["headline"])).to_have_count(0)
    # Newest first puts the results in time order.
    page.get_by_label("Date", exact=True).select_option(label="Any time")
    page.get_by_label("Sort by", exact=True).select_option(label="Newest first")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"sort=newest"))
    times = page.locator(".result time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    assert times == sorted(times, reverse=True) and len(times) == everything
    expect(page.locator(".result").last).to_contain_text(PHOTOLESS["headline"])


def test_a_reader_finds_a_reporter_and_a_misspelt_word(site, page):
    page.goto(site + "/en/search/?q=" + "Lucas Brennan")
    bylines = page.locator(".result__byline").all_inner_texts()
    assert len(bylines) >= 2 and all("Lucas Brennan" in line for line in bylines)
    page.goto(site + "/en/search/?q=lamplightres")
    suggestion = page.locator(".search-suggestion")
    expect(suggestion).to_contain_text("Did you mean lamplighters?")
    suggestion.get_by_role("link", name="lamplighters").click()
    expect(page.locator("#search-q")).to_have_value("lamplighters")
    expect(page.locator(".result", has_text=PHOTOLESS["headline"])).to_be_visible()
