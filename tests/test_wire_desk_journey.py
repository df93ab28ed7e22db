"""The wire desk against the running demo, as `make demo` runs it: an editor finds an item
from a demo agency, makes a draft from it and publishes it; readers get a story whose dateline
is the place and agency of the agency's lead, whose first paragraph starts after that lead, and
whose standfirst is not the first paragraph again."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in_to_newsroom

pytestmark = pytest.mark.browser

HEADLINE = "Tokyo commuter rail halts after power fault at central substation"


def test_an_editor_publishes_a_story_from_a_demo_wire_item(demo, chromium):
    editor = sign_in_to_newsroom(chromium, demo, "editor", width=1366, timeout=30_000)
    context = editor.context

    editor.get_by_role("link", name="Wire desk").first.click()
    row = editor.locator("tr.wire-item", has_text=HEADLINE)
    expect(row).to_contain_text("Meridian Press")  # the agency's name, not a file path
    expect(row).to_contain_text("Urgent")
    # Desk time: "14:05" today, "7 Dec 14:05" when the demo was loaded before midnight.
    expect(row.locator("time")).to_have_text(re.compile(r"^(\d{1,2} \w{3} )?\d{2}:\d{2}$"))
    row.get_by_role("link", name=HEADLINE).click()

    # The draft goes to the English edition, and only English sections are offered.
    section = editor.locator(".wire-draft-form select[name=section]")
    expect(section.locator("option", has_text="World")).to_have_count(1)
    expect(section.locator("option", has_text="Мир")).to_have_count(0)
    expect(section.locator("option", has_text="العالم")).to_have_count(0)
    editor.get_by_role("button", name="Create draft").click()
    expect(editor.locator("#id_title")).to_have_value(HEADLINE)  # without "URGENT:"

    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Publish").click()
    expect(editor.locator(".messages")).to_contain_text("published")

    url = demo.dateline(
        "shell",
        "--no-imports",
        "-c",
        "from dateline.articles.models import ArticlePage; "
        f"print(ArticlePage.objects.get(title={HEADLINE!r}).url)",
    ).stdout.strip()
    reader = context.new_page()
    reader.goto(demo.url + url)
    expect(reader.locator("h1")).to_have_text(HEADLINE)
    expect(reader.locator(".dateline").first).to_have_text("TOKYO (Meridian Press) –")
    # The story's own standfirst (the page may already hold the next story's, endless reading).
    standfirst = reader.locator(".standfirst").first
    expect(standfirst).to_have_text(re.compile(r"^Morning trains on four lines stopped"))
    body = reader.locator("article p", has_text="A power fault at a substation")
    expect(body.first).to_contain_text("TOKYO (Meridian Press) – A power fault at a substation")
    expect(reader.locator("article").first).not_to_contain_text("TOKYO, Dec 7")
    assert standfirst.inner_text() not in body.first.inner_text()
    context.close()
