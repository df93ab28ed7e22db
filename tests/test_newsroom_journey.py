"""The newsroom's day against the running demo, as `make demo` runs it (uvicorn and the
scheduler): an editor embargoes a story in the admin, it goes live by itself when the embargo
ends, a reader's visit counts towards most read, and the editor withdraws it."""

import datetime as dt
import json
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in_to_newsroom

pytestmark = pytest.mark.browser

HEADLINE = "Embargoed Trade Figures Show Record Surplus"


def fetch(url):
    """Return the status and text of ``url`` as a reader without a browser gets it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def open_action_menu(page):
    page.get_by_role("button", name="More actions").click()


def test_an_embargoed_story_goes_live_by_itself_counts_its_reads_and_is_withdrawn(
    demo, chromium, page, tmp_path
):
    story_file = tmp_path / "draft.json"
    story_file.write_text(
        json.dumps(
            [
                {
                    "edition": "en",
                    "section": "business",
                    "slug": "trade-figures-record-surplus",
                    "headline": HEADLINE,
                    "standfirst": "Exports outpace imports for a sixth month.",
                    "body": [{"type": "paragraph", "text": "The surplus reached a record."}],
                }
            ]
        )
    )
    demo.dateline("load-stories", str(story_file))  # a draft in the newsroom
    story_id = demo.dateline(
        "shell",
        "--no-imports",
        "-c",
        "from dateline.articles.models import ArticlePage; "
        "print(ArticlePage.objects.get(slug='trade-figures-record-surplus').pk)",
    ).stdout.strip()

    # The admin's date picker works in minutes: the embargo ends at the next whole minute at
    # least 30 seconds away (the newsroom's time zone is the site's, UTC).
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=90)).replace(second=0, microsecond=0)
    editor = sign_in_to_newsroom(chromium, demo, "editor")
    editor.goto(f"{demo.url}/admin/pages/{story_id}/edit/")
    editor.fill("#id_embargo_until", until.strftime("%Y-%m-%d %H:%M"))
    editor.keyboard.press("Escape")
    open_action_menu(editor)
    editor.get_by_role("button", name="Publish").click()
    expect(editor.locator(".messages")).to_contain_text("scheduled")

    # The newsroom marks it; readers see nothing of it.
    editor.goto(demo.url + "/admin/")
    expect(editor.locator("#newsroom-desk-section")).to_contain_text(HEADLINE)
    expect(editor.locator("#newsroom-desk-section")).to_contain_text("Embargoed until")
    for path in ("/en/", "/en/business/", "/en/search/?q=surplus", "/en/feed/"):
        assert HEADLINE not in fetch(demo.url + path)[1], path

    # When the embargo ends the scheduler publishes it, with nobody running a command.
    deadline = until + dt.timedelta(seconds=45)
    while HEADLINE not in fetch(demo.url + "/en/")[1]:
        assert dt.datetime.now(dt.UTC) < deadline, "the story did not go live by itself"
        time.sleep(0.5)
    assert dt.datetime.now(dt.UTC) >= until
    page.goto(demo.url + "/en/")
    story_url = demo.url + page.locator("main").get_by_role(
        "link", name=HEADLINE
    ).first.get_attribute("href")
    with page.expect_response(lambda r: "/reads/" in r.url) as beacon:
        page.goto(story_url)
    expect(page.locator("h1#story-headline")).to_have_text(HEADLINE)
    assert beacon.value.status == 204

    # That visit counted (the page's script posts it): the story is among the most read.
    deadline = time.monotonic() + 15
    while HEADLINE not in most_read(page, demo.url + "/en/business/"):
        assert time.monotonic() < deadline, "the read was not counted"
        time.sleep(0.5)

    # The editor withdraws it, after confirming, with a reason.
    editor.goto(f"{demo.url}/admin/pages/{story_id}/edit/")
    open_action_menu(editor)
    editor.get_by_role("link", name="Withdraw…").click()
    expect(editor.locator("h1")).to_contain_text("Withdraw")
    editor.fill("#id_reason", "The figures were released in error.")
    editor.get_by_role("button", name="Yes, withdraw it").click()
    expect(editor.locator(".messages")).to_contain_text("has been withdrawn")

    response = page.goto(story_url)
    assert response.status == 410
    expect(page.locator("h1")).to_have_text("Story withdrawn")
    expect(page.locator("main")).to_contain_text("The figures were released in error.")
    for path in ("/en/", "/en/business/", "/en/search/?q=surplus", "/en/feed/"):
        assert HEADLINE not in fetch(demo.url + path)[1], path


def most_read(page, url):
    page.goto(url)
    rail = page.locator(".rail--most-read")
    return rail.inner_text() if rail.count() else ""
