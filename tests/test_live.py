"""The live parts of the site as readers see them, against the running demo (uvicorn serving
the streams itself, the embedded tier): the newsfeed, the overlay reader, breaking news, live
coverage, endless reading, and the stream's replay by event id.

Changes are made from outside the browsers and outside the server process (a `dateline`
command), as an editor's request or the scheduler would."""

import json
import re
import socket
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def fetch_json(url):
    return json.loads(urllib.request.urlopen(url, timeout=10).read())  # noqa: S310


def publish_story(demo, tmp_path, slug, headline):
    story_file = tmp_path / f"{slug}.json"
    story_file.write_text(
        json.dumps(
            [
                {
                    "edition": "en",
                    "section": "world",
                    "slug": slug,
                    "headline": headline,
                    "standfirst": f"The standfirst of {headline}.",
                    "body": [{"type": "paragraph", "text": f"The body of {headline}."}],
                }
            ]
        )
    )
    demo.dateline("load-stories", str(story_file), "--publish")


def shell(demo, code):
    return demo.dateline("shell", "--no-imports", "-c", code).stdout


def open_front(chromium, url):
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-stream", "open")
    return page


def test_a_published_story_reaches_every_open_front_and_opens_in_the_overlay(
    demo, chromium, tmp_path
):
    first = open_front(chromium, demo.url + "/en/")
    second = open_front(chromium, demo.url + "/en/")
    for page in (first, second):
        expect(page.locator(".newsfeed__count")).to_have_text("0")

    headline = "Harbour Reopens After Week-Long Storm Closure"
    publish_story(demo, tmp_path, "harbour-reopens-after-storm", headline)
    # The command has committed and returned: both pages show the story within 2 s.
    for page in (first, second):
        expect(page.locator(".newsfeed__item").first).to_contain_text(headline, timeout=2000)
        expect(page.locator(".newsfeed__count")).to_have_text("1", timeout=2000)

    # The count of what was read survives a reload.
    first.reload()
    expect(first.locator(".newsfeed__count")).to_have_text("1")
    expect(first.locator(".newsfeed__item").first).to_contain_text(headline)

    # Opening the panel clears it, and that too survives a reload.
    first.locator(".newsfeed__toggle").click()
    expect(first.locator(".newsfeed__count")).to_have_text("0")
    first.reload()
    expect(first.locator(".newsfeed__count")).to_have_text("0")

    # An item opens the story in the overlay: its headline is the dialog's heading, the
    # address is the story's, and a link goes to the full page.
    first.locator(".newsfeed__toggle").click()
    front_title = first.title()
    front_url = demo.url + "/en/"
    first.locator(".newsfeed").get_by_role("link", name=headline).click()
    dialog = first.get_by_role("dialog", name=headline)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", level=1)).to_have_text(headline)
    expect(dialog).to_contain_text(f"The body of {headline}.")
    story_path = urlsplit(first.url).path
    assert story_path.endswith("/harbour-reopens-after-storm/")
    assert dialog.get_by_role("link", name="Open the full page").get_attribute("href") == story_path
    assert headline in first.title()

    # Escape closes it and the address goes back to the front.
    first.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # The address goes back through history.back(), which completes a moment later.
    expect(first).to_have_url(front_url)
    assert first.title() == front_title

    # So does the close button …
    first.locator(".newsfeed").get_by_role("link", name=headline).click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    # The address goes back through history.back(), which completes a moment later.
    expect(first).to_have_url(front_url)

    # … and Back.
    first.locator(".newsfeed").get_by_role("link", name=headline).click()
    expect(dialog).to_be_visible()
    first.go_back()
    expect(dialog).to_be_hidden()
    # The address goes back through history.back(), which completes a moment later.
    expect(first).to_have_url(front_url)

    # A reader without the overlay (a new tab, say) gets the story's page.
    second.goto(demo.url + story_path)
    expect(second.get_by_role("heading", level=1)).to_have_text(headline)
    for page in (first, second):
        page.context.close()


def test_breaking_news_shows_on_open_pages_and_goes_when_ended(demo, chromium):
    page = open_front(chromium, demo.url + "/en/")
    banner = page.get_by_role("region", name="Breaking news")
    expect(banner).to_be_hidden()
    flag = shell(
        demo,
        "from dateline.live.models import BreakingNews;"
        "from dateline.articles.models import ArticlePage;"
        "story = ArticlePage.objects.live().get(slug='subsea-cable-fault-cuts-pacific-internet');"
        "print(BreakingNews.objects.create(story=story, edition=story.edition).pk)",
    ).strip()
    expect(banner).to_be_visible(timeout=1500)
    expect(banner).to_contain_text("Subsea Cable Fault Cuts Internet")

    # Dismissed, it stays dismissed on the next page.
    banner.get_by_role("button", name="Dismiss").click()
    expect(banner).to_be_hidden()
    page.goto(demo.url + "/en/world/")
    expect(page.get_by_role("region", name="Breaking news")).to_be_hidden()

    # Another reader who did not dismiss it sees it go when the flag is removed.
    other = open_front(chromium, demo.url + "/en/world/")
    other_banner = other.get_by_role("region", name="Breaking news")
    expect(other_banner).to_be_visible()
    shell(
        demo,
        "from django.utils import timezone;"
        "from dateline.live.models import BreakingNews;"
        f"flag = BreakingNews.objects.get(pk={flag}); flag.ended_at = timezone.now(); flag.save()",
    )
    expect(other_banner).to_be_hidden(timeout=1500)
    page.context.close()
    other.context.close()


COVERAGE = """
from django.utils import timezone
from dateline.articles.actions import file_story
from dateline.editions.lookup import get_edition
from dateline.live.models import LiveCoveragePage, LiveEntry
from dateline.sections.models import Section
edition = get_edition("en")
coverage = file_story(edition, timezone.now()).add_child(instance=LiveCoveragePage(
    title="Election Night, Live", slug="election-night-live", locale_id=edition.locale_id,
    primary_section=Section.objects.get(edition=edition, slug="world"),
    standfirst="Results as they come in."))
coverage.save_revision().publish()
LiveEntry.objects.create(coverage=coverage, title="Polls close", text="<p>Polls have closed.</p>",
    is_key_event=True)
print(coverage.url)
"""


def test_live_coverage_receives_new_edited_and_deleted_entries(demo, chromium):
    path = shell(demo, COVERAGE).strip().splitlines()[-1]
    page = open_front(chromium, demo.url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Election Night, Live")
    entries = page.locator(".live-entries .live-entry")
    expect(entries).to_have_count(1)
    key_events = page.get_by_role("region", name="Key events")
    expect(key_events).to_contain_text("Polls close")

    # The page's JSON-LD is a LiveBlogPosting with its updates.
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"]
    assert [u["headline"] for u in data["liveBlogUpdate"]] == ["Polls close"]

    entry_id = shell(
        demo,
        "from dateline.live.models import LiveEntry, LiveCoveragePage;"
        "c = LiveCoveragePage.objects.get(slug='election-night-live');"
        "print(LiveEntry.objects.create(coverage=c, title='First result',"
        " text='<p>The first district reports.</p>', is_key_event=True).pk)",
    ).strip()
    expect(entries).to_have_count(2, timeout=1500)
    expect(entries.first).to_contain_text("The first district reports.")
    expect(key_events).to_contain_text("First result")

    shell(
        demo,
        "from dateline.live.models import LiveEntry;"
        f"e = LiveEntry.objects.get(pk={entry_id}); e.text = '<p>The first two districts"
        " report.</p>'; e.save()",
    )
    expect(entries.first).to_contain_text("The first two districts report.", timeout=1500)
    expect(entries).to_have_count(2)

    shell(
        demo,
        f"from dateline.live.models import LiveEntry;LiveEntry.objects.get(pk={entry_id}).delete()",
    )
    expect(entries).to_have_count(1, timeout=1500)
    expect(page.locator(".live-entries")).not_to_contain_text("first two districts")
    expect(key_events).not_to_contain_text("First result")

    # Ended, the page says so and stops listening to the coverage.
    shell(
        demo,
        "from django.utils import timezone;"
        "from dateline.live.models import LiveCoveragePage;"
        "c = LiveCoveragePage.objects.get(slug='election-night-live');"
        "c.coverage_end = timezone.now(); c.save_revision().publish()",
    )
    expect(page.get_by_text("This coverage has ended.")).to_be_visible(timeout=1500)
    page.context.close()


def test_endless_reading_loads_the_next_story_and_the_address_follows(demo, chromium):
    page = open_front(chromium, demo.url + "/en/")
    first_path = page.locator(".card__headline a").first.get_attribute("href")
    page.goto(demo.url + first_path)
    first_headline = page.get_by_role("heading", level=1).first.text_content()
    next_link = page.locator(".next-story__link").first
    next_path = next_link.get_attribute("href")
    next_headline = next_link.text_content().replace("Next story", "").strip()

    next_link.scroll_into_view_if_needed()
    appended = page.locator("article.story-article--appended").first
    expect(appended.locator("h1")).to_have_text(next_headline)
    appended.evaluate("story => story.scrollIntoView({block: 'start'})")
    expect(page).to_have_url(demo.url + next_path)
    assert next_headline in page.title()

    page.locator("article.story-article").first.evaluate(
        "story => story.scrollIntoView({block: 'start'})"
    )
    expect(page).to_have_url(demo.url + first_path)
    assert first_headline in page.title()
    page.context.close()


# --- the stream itself, read as a browser's EventSource would


def read_events(url, last_event_id=None, count=1, timeout=10):
    """Open a stream and return the first ``count`` events after stream-open as (type, id,
    data) tuples; then wait a moment to check nothing else came."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    request = f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
    request += "Accept: text/event-stream\r\n"
    if last_event_id:
        request += f"Last-Event-ID: {last_event_id}\r\n"
    sock.sendall((request + "\r\n").encode())
    buffer = b""
    events = []
    deadline = time.monotonic() + timeout
    extra_until = None
    sock.settimeout(0.3)
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            chunk = b""
        buffer += chunk
        *blocks, buffer = re.split(rb"\r?\n\r?\n", buffer)
        for block in blocks:
            fields = {}
            for line in block.decode().splitlines():
                key, _, value = line.partition(": ")
                fields[key] = value
            if fields.get("event") not in (None, "stream-open", "keep-alive"):
                events.append((fields["event"], fields.get("id"), fields.get("data")))
        if len(events) >= count and extra_until is None:
            extra_until = time.monotonic() + 1.5
        if extra_until and time.monotonic() > extra_until:
            break
    sock.close()
    return events


def test_a_reconnecting_reader_gets_exactly_what_it_missed_in_order(demo):
    before = fetch_json(demo.url + "/en/newsfeed.json")["last_event_id"]
    channel, _, number = before.partition(":")
    assert channel == "edition-en"
    # Three events while the reader is away.
    shell(
        demo,
        "from django.utils import timezone;"
        "from dateline.live.models import BreakingNews;"
        "from dateline.articles.models import ArticlePage;"
        "story = ArticlePage.objects.live().get(slug='rhine-barges-cut-loads-as-water-falls');"
        "flag = BreakingNews.objects.create(story=story, edition=story.edition);"
        "flag.ended_at = timezone.now(); flag.save();"
        "flag = BreakingNews.objects.create(story=story, edition=story.edition)",
    )
    events = read_events(demo.url + "/events/?channel=edition-en", last_event_id=before, count=3)
    n = int(number)
    assert [(kind, event_id) for kind, event_id, _ in events] == [
        ("breaking", f"edition-en:{n + 1}"),
        ("breaking-end", f"edition-en:{n + 2}"),
        ("breaking", f"edition-en:{n + 3}"),
    ]
    assert json.loads(events[0][2])["headline"].startswith("Rhine Barges")
    shell(
        demo,
        "from django.utils import timezone;"
        "from dateline.live.models import BreakingNews;"
        "BreakingNews.objects.active().update(ended_at=timezone.now())",
    )

    # The page's own id works the same, as ?lastEventId= when it opens its stream.
    events = read_events(demo.url + f"/events/?channel=edition-en&lastEventId={before}", count=3)
    assert [event_id for _, event_id, _ in events] == [f"edition-en:{n + i}" for i in (1, 2, 3)]

    # An id the log no longer has (or never had) gets a reset, not a wrong replay.
    events = read_events(
        demo.url + "/events/?channel=edition-en", last_event_id="edition-en:999999", count=1
    )
    assert [kind for kind, _, _ in events] == ["stream-reset"]


def test_bad_stream_requests_get_a_clear_error(demo):
    def status_and_text(query, headers=None):
        request = urllib.request.Request(demo.url + "/events/" + query, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                return response.status, response.read(200).decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    assert status_and_text("") == (400, "No channel given.\n")
    assert status_and_text("?channel=admin-secrets") == (400, "No such channel: 'admin-secrets'.\n")
    code, text = status_and_text("?channel=edition-en", {"Last-Event-ID": "edition-en:x"})
    assert code == 400 and "Last-Event-ID" in text
    many = "&".join(f"channel=coverage-{i}" for i in range(1, 7))
    assert status_and_text("?" + many)[0] == 400


ORDERED_COVERAGE = """
import datetime as dt
from django.utils import timezone
from dateline.articles.actions import file_story
from dateline.editions.lookup import get_edition
from dateline.live.models import LiveCoveragePage, LiveEntry
from dateline.sections.models import Section
edition = get_edition("en")
coverage = file_story(edition, timezone.now()).add_child(instance=LiveCoveragePage(
    title="Budget Day, Live", slug="budget-day-live", locale_id=edition.locale_id,
    primary_section=Section.objects.get(edition=edition, slug="business"),
    standfirst="The budget as it is read."))
coverage.save_revision().publish()
now = timezone.now()
for minutes, title in ((30, "Speech begins"), (10, "Fuel duty frozen")):
    LiveEntry.objects.create(coverage=coverage, title=title, text=f"<p>{title}.</p>",
        is_key_event=True, created_at=now - dt.timedelta(minutes=minutes))
print(coverage.url)
"""


def add_entry(demo, title, minutes_ago):
    shell(
        demo,
        "import datetime as dt;from django.utils import timezone;"
        "from dateline.live.models import LiveEntry, LiveCoveragePage;"
        "c = LiveCoveragePage.objects.get(slug='budget-day-live');"
        f"LiveEntry.objects.create(coverage=c, title={title!r}, text='<p>{title}.</p>',"
        f" is_key_event=True, created_at=timezone.now() - dt.timedelta(minutes={minutes_ago}))",
    )


def test_a_new_key_event_appears_at_its_place_in_time_order(demo, chromium):
    path = shell(demo, ORDERED_COVERAGE).strip().splitlines()[-1]
    page = open_front(chromium, demo.url + path)
    key_events = page.get_by_role("region", name="Key events").get_by_role("listitem")
    titles = page.locator(".live-entries .live-entry__title")
    expect(key_events).to_have_count(2)

    # An entry dated between the two (written up late) goes between them, newest first …
    add_entry(demo, "Income tax bands", 20)
    expect(key_events).to_have_count(3, timeout=1500)
    expect(key_events.nth(1)).to_contain_text("Income tax bands")
    expect(titles).to_have_text(["Fuel duty frozen", "Income tax bands", "Speech begins"])
    # … and one of now goes first.
    add_entry(demo, "Speech ends", 0)
    expect(key_events).to_have_count(4, timeout=1500)
    expect(key_events).to_contain_text(
        ["Speech ends", "Fuel duty frozen", "Income tax bands", "Speech begins"]
    )
    expect(titles).to_have_text(
        ["Speech ends", "Fuel duty frozen", "Income tax bands", "Speech begins"]
    )
    # The list is the one a reload gives.
    order = key_events.all_text_contents()
    page.reload()
    expect(key_events).to_have_text(order)
    page.context.close()
