"""A reader follows a photo credit into the media bank and around it, in a real Chromium."""

import re

import pytest

from dateline.demo.content import load_demo_stories

pytestmark = pytest.mark.browser


def a_story_with_a_place():
    return next(s for s in load_demo_stories() if s["lead_photo"].get("city"))


def test_from_a_credit_to_the_photographer_and_back_to_the_story(demo_site, page):
    story = a_story_with_a_place()
    photo = story["lead_photo"]
    page.goto(demo_site + "/en/")
    page.get_by_role("link", name=story["headline"], exact=True).first.click()
    page.wait_for_load_state()
    article_url = page.url

    page.locator(".lead-photo .credit").click()
    page.wait_for_load_state()
    assert re.search(r"/mediabank/photos/\d+/$", page.url)
    photo_url = page.url
    assert page.locator(".photo-facts__caption").inner_text() == photo["caption"]
    assert page.locator(".photo-facts__credit").inner_text() == (
        f"© {photo['agency']} / {photo['photographer']}"
    )
    assert photo["city"] in page.locator(".photo-facts__place").inner_text()
    for keyword in photo["keywords"]:
        assert keyword in page.locator(".photo-facts__keywords").inner_text()
    assert page.get_by_role("link", name="License this photo").is_visible()

    page.locator(".photo-facts__photographer a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == photo["photographer"]
    page.locator(f'.photo-grid a[href="{photo_url.removeprefix(demo_site)}"]').click()
    page.wait_for_load_state()
    assert page.url == photo_url

    page.locator(".photo-usages").get_by_role("link", name=story["headline"]).click()
    page.wait_for_load_state()
    assert page.url == article_url
    assert page.locator("h1").inner_text() == story["headline"]


def test_a_reader_searches_the_archive_and_narrows_by_keyword(demo_site, page):
    story = a_story_with_a_place()
    photo = story["lead_photo"]
    page.goto(demo_site + "/mediabank/")
    assert page.locator(".photo-grid li").count() >= 24
    word = max(re.findall(r"[A-Za-z]{6,}", photo["caption"]), key=len)
    page.get_by_label("Search photos").fill(word)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_label("Search photos").input_value() == word
    captions = page.locator(".photo-grid__caption").all_inner_texts()
    assert captions and any(word.lower() in c.lower() for c in captions)

    page.goto(demo_site + "/mediabank/?keyword=" + photo["keywords"][0])
    assert f"with keyword {photo['keywords'][0]}" in page.locator(".active-filters").inner_text()
    assert page.locator(".photo-grid li").count() >= 1
