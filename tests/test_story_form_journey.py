"""An editor's first story, in the newsroom's story form against the running demo: written from
scratch and published on the first click in the English and the Arabic edition, with the slug
made from the headline as it is typed; autosave that never fights Publish and never sends a
form it knows the server will refuse; a summary of the fields in error; and the section
choices of the story's own edition only."""

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in_to_newsroom

pytestmark = pytest.mark.browser

STORIES = {
    "en": ("Harbour cranes return to work after strike", "Dockers voted to end the stoppage."),
    "ar": ("الرافعات تعود إلى العمل في الميناء بعد الإضراب", "صوّت عمال الميناء لإنهاء الإضراب."),
}


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def shell(demo, code):
    return demo.dateline("shell", "--no-imports", "-c", code).stdout.strip()


def stories_titled(demo, headline):
    return int(
        shell(
            demo,
            "from dateline.articles.models import ArticlePage; "
            f"print(ArticlePage.objects.filter(title={headline!r}).count())",
        )
    )


def other_editions_sections(demo, code):
    names = shell(
        demo,
        "from dateline.sections.models import Section; "
        f"print('|'.join(Section.objects.exclude(edition__slug={code!r})"
        ".values_list('name', flat=True)))",
    )
    return {name for name in names.split("|") if name}


def new_story(page, demo, code):
    page.goto(f"{demo.url}/admin/stories/new/?edition={code}")
    expect(page.locator("#id_title")).to_be_visible()


def choose_section(page, demo, code):
    """Open the section chooser, check it offers the edition's sections only, pick the first."""
    page.get_by_role("button", name="Choose section").click()
    modal = page.locator(".modal-content")
    rows = modal.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    offered = {text.strip() for text in rows.locator("td:first-child").all_inner_texts()}
    assert offered and not offered & other_editions_sections(demo, code), offered
    rows.first.locator("a").first.click()
    expect(modal).to_be_hidden()


def write_paragraph(page, text):
    body = page.locator("[data-contentpath=body]")
    body.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").first.click()
    editor = body.locator("[contenteditable=true]").first
    editor.click()
    editor.type(text)
    # The rich text editor writes the field's value shortly after typing: wait for it.
    page.wait_for_function(
        "text => [...document.querySelectorAll('input[name^=body-][name$=-value]')]"
        ".some(input => input.value.includes(text))",
        arg=text,
    )


def publish(page):
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()


def fill_story(page, demo, code, headline, standfirst):
    page.locator("#id_title").press_sequentially(headline)
    page.fill("#id_standfirst", standfirst)
    choose_section(page, demo, code)
    write_paragraph(page, standfirst)


@pytest.mark.parametrize("code", ["en", "ar"])
def test_an_editor_writes_a_story_from_scratch_and_publishes_it_on_the_first_click(
    demo, chromium, code
):
    headline, standfirst = STORIES[code]
    page = sign_in_to_newsroom(chromium, demo)
    new_story(page, demo, code)
    fill_story(page, demo, code, headline, standfirst)

    # The slug followed the headline as it was typed, in Latin letters.
    slug = page.input_value("#id_slug")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", slug), slug
    if code == "en":
        assert slug == "harbour-cranes-return-to-work-after-strike"

    publish(page)
    messages = page.locator(".messages")
    expect(messages).to_contain_text("published")
    assert stories_titled(demo, headline) == 1

    # It is live: the reader's address answers with the headline.
    href = messages.get_by_role("link", name="View live").get_attribute("href")
    url = href if href.startswith("http") else demo.url + href
    assert f"/{slug}/" in url
    status, html = fetch(url)
    assert status == 200 and headline in html
    page.context.close()


def test_a_publish_right_after_an_autosave_publishes_that_same_story(demo, chromium):
    headline = "Ferry timetable restored after storm"
    page = sign_in_to_newsroom(chromium, demo)
    held = []

    def hold_first_autosave(route):
        # The story's first autosave reaches the server (which creates the page), but its
        # answer is held until the editor has clicked Publish: the click lands while the
        # autosave is under way, as it does a second after an autosave on a busy server.
        if route.request.method == "POST" and not held:
            held.append((route, route.fetch()))
        else:
            route.continue_()

    page.route(re.compile(r"/admin/pages/add/"), hold_first_autosave)
    new_story(page, demo, "en")
    fill_story(page, demo, "en", headline, "Crossings resume on Monday.")
    while not held:
        page.wait_for_timeout(100)
    assert stories_titled(demo, headline) == 1  # the autosave has made the page
    publish(page)
    route, response = held[0]
    route.fulfill(response=response)

    expect(page.locator(".messages")).to_contain_text("published")
    assert stories_titled(demo, headline) == 1
    live = shell(
        demo,
        "from dateline.articles.models import ArticlePage; "
        f"print(ArticlePage.objects.get(title={headline!r}).live)",
    )
    assert live == "True"
    page.context.close()


def test_an_incomplete_story_sends_no_autosave_the_server_must_refuse(demo, chromium):
    page = sign_in_to_newsroom(chromium, demo)
    refused = []
    page.on(
        "response",
        lambda response: (
            refused.append(response.url)
            if response.request.method == "POST" and response.status == 400
            else None
        ),
    )
    new_story(page, demo, "en")
    # A headline and a standfirst, typed as an editor types, but no section yet.
    page.locator("#id_title").press_sequentially("Half a story", delay=40)
    page.locator("#id_standfirst").press_sequentially("Still being written.", delay=40)
    page.wait_for_timeout(4000)  # several autosave intervals (0.5 s each)
    assert refused == []
    # Nor does the indicator say that autosave is paused (or busy) on a form it left alone.
    expect(page.locator("#w-autosave-indicator")).not_to_have_attribute(
        "data-w-autosave-state-value", re.compile("paused|saving")
    )
    page.context.close()


def test_a_refused_story_names_each_field_in_error_and_its_tab(demo, chromium):
    page = sign_in_to_newsroom(chromium, demo)
    new_story(page, demo, "en")
    page.locator("#id_title").press_sequentially("A story without a section")
    page.fill("#id_standfirst", "No section was chosen.")
    publish(page)
    summary = page.locator("#story-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Section (Content)")
    # A click on a field's name opens its tab.
    page.get_by_role("tab", name="Promote").click()
    summary.get_by_role("link", name="Section (Content)").click()
    expect(page.get_by_role("tab", name="Content")).to_have_attribute("aria-selected", "true")
    page.context.close()


def test_an_english_story_is_offered_english_sections_only(demo, chromium):
    page = sign_in_to_newsroom(chromium, demo)
    new_story(page, demo, "en")
    further = {
        text.strip()
        for text in page.locator("[data-contentpath=further_sections] label").all_inner_texts()
    }
    assert further, "no further sections offered"
    assert not further & other_editions_sections(demo, "en"), further
    page.get_by_role("button", name="Choose section").click()
    rows = page.locator(".modal-content table tbody tr")
    expect(rows.first).to_be_visible()
    offered = {text.strip() for text in rows.locator("td:first-child").all_inner_texts()}
    assert offered and not offered & other_editions_sections(demo, "en"), offered
    page.context.close()
