"""A reader goes from a story to Subscribe, signs up for newsletters, confirms from the mail the
demo writes to var/mail/, gets a digest with the one-click unsubscribe headers, manages their
lists from the link in it and leaves one list by the one-click POST a mail client makes. A
signed-in reader follows the story's section and finds the story on My news."""

import email
import email.policy
import re
import time
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

STORY = "rhine-barges-cut-loads-as-water-falls"


def shell(demo, code: str) -> str:
    return demo.dateline("shell", "--no-imports", "-c", code).stdout.strip().splitlines()[-1]


def mail_files(demo) -> set:
    folder = demo.var / "mail"
    return set(folder.glob("*")) if folder.exists() else set()


def new_mail(demo, before: set, timeout=15) -> email.message.EmailMessage:
    """Return the one message in the mail file written since ``before`` was listed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fresh = sorted(mail_files(demo) - before, key=lambda p: p.stat().st_mtime)
        if fresh:
            time.sleep(0.2)  # let the writer finish the file
            raw = fresh[-1].read_bytes().split(b"\n" + b"-" * 79 + b"\n")[0]
            return email.message_from_bytes(raw, policy=email.policy.default)
        time.sleep(0.2)
    raise AssertionError("no mail was written")


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link(message, kind: str) -> str:
    match = re.search(rf"(http://\S+/newsletters/{kind}/\S+/)", text_of(message))
    assert match, f"no {kind} link in {text_of(message)}"
    return match[1]


def test_sign_up_confirm_get_a_digest_manage_and_unsubscribe_in_one_click(demo, page):
    story_path = shell(
        demo,
        "from dateline.articles.models import ArticlePage;"
        f"print(ArticlePage.objects.get(slug='{STORY}').url)",
    )
    headline = shell(
        demo,
        "from dateline.articles.models import ArticlePage;"
        f"print(ArticlePage.objects.get(slug='{STORY}').title)",
    )
    page.goto(demo.url + story_path)
    page.locator(".story-meta .subscribe-link").click()
    expect(page.get_by_role("heading", name="Subscribe", exact=True)).to_be_visible()
    # The story's section, tags and author each have their feed.
    expect(page.get_by_role("link", name="Europe (RSS)")).to_be_visible()
    expect(page.get_by_role("link", name="Tag: transport (RSS)")).to_be_visible()
    expect(page.get_by_role("link", name="Stories by Tomasz Nowak (RSS)")).to_be_visible()
    expect(page.locator(".follows").get_by_role("link", name="Sign in")).to_be_visible()

    # A bad address is refused with the reason.
    page.get_by_label("Your e-mail address").fill("not-an-address")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text("is not an e-mail address")

    before = mail_files(demo)
    page.get_by_label("Your e-mail address").fill("journey@example.org")
    page.get_by_label("Daily digest").check()
    page.get_by_label("Breaking news alerts").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    confirmation = new_mail(demo, before)
    assert confirmation["To"] == "journey@example.org"

    # Nothing would be sent to the address before it is confirmed.
    digest_id = shell(
        demo,
        "from dateline.subscriptions.models import Newsletter;"
        "print(Newsletter.objects.get(edition__slug='en', kind='digest', section=None).pk)",
    )
    unconfirmed = demo.dateline("send-newsletters", "--newsletter", digest_id, "--now", "--dry-run")
    assert "stories for 0 recipients" in unconfirmed.stdout

    page.goto(link(confirmation, "confirm"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="You are subscribed")).to_be_visible()

    # The digest goes out (in the demo, `make demo` runs the sender; here the command runs).
    before = mail_files(demo)
    summary = demo.dateline("send-newsletters", "--newsletter", digest_id, "--now").stdout
    assert "1 mails sent" in summary
    digest = new_mail(demo, before)
    assert digest["To"] == "journey@example.org"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = digest["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe_url == link(digest, "unsubscribe")
    assert headline in text_of(digest) and headline in html_of(digest)
    assert f'href="{demo.url}{story_path}"' in html_of(digest)

    # The reader opens the story from the mail.
    page.goto(f"{demo.url}{story_path}")
    expect(page.get_by_role("heading", name=headline, exact=True).first).to_be_visible()

    # Managing lists: the link in the mail shows every edition's lists, this reader's two
    # ticked; leave the breaking alerts.
    page.goto(link(digest, "manage"))
    site = shell(
        demo, "from dateline.editions.models import Edition;"
        "print(Edition.objects.get(slug='en').site_name)",
    )  # fmt: skip
    english = page.locator("label").filter(has_text=site)
    daily = english.filter(has_text="Daily digest").get_by_role("checkbox")
    breaking = english.filter(has_text="Breaking news alerts").get_by_role("checkbox")
    expect(daily).to_be_checked()
    expect(breaking).to_be_checked()
    breaking.uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(breaking).not_to_be_checked()

    # A mail client's one-click POST (RFC 8058): no cookies, no CSRF token.
    request = urllib.request.Request(  # noqa: S310
        unsubscribe_url,
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        assert response.status == 200
    page.goto(link(digest, "manage"))
    expect(daily).not_to_be_checked()

    # A tampered link changes nothing and says so.
    page.goto(link(digest, "manage")[:-4] + "xyz/")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()


def test_a_signed_in_reader_follows_a_section_and_reads_it_on_my_news(demo, page):
    before = mail_files(demo)
    page.goto(demo.url + "/accounts/signup/")
    page.fill("input[name=email]", "follower@example.org")
    page.fill("input[name=display_name]", "Follower")
    page.fill("input[name=password1]", "a long pass phrase 7")
    page.fill("input[name=password2]", "a long pass phrase 7")
    page.get_by_role("button", name="Sign Up").click()
    mail = text_of(new_mail(demo, before))
    confirm = re.search(r"(http://\S+/accounts/confirm-email/\S+/)", mail)
    page.goto(confirm[1])
    page.get_by_role("button", name="Confirm").click()

    page.goto(demo.url + "/en/subscribe/?section=europe")
    follows = page.locator(".follows")
    europe = follows.locator("li").filter(has_text="Europe")
    expect(europe.get_by_role("button", name="Follow")).to_be_visible()
    europe.get_by_role("button", name="Follow").click()
    expect(europe.get_by_role("button", name="Unfollow")).to_be_visible()
    page.reload()  # the state comes from the server, not from the click
    expect(europe.get_by_role("button", name="Unfollow")).to_be_visible()

    page.get_by_role("link", name="My news").click()
    expect(page.get_by_role("heading", name="My news")).to_be_visible()
    headline = shell(
        demo,
        "from dateline.articles.models import ArticlePage;"
        f"print(ArticlePage.objects.get(slug='{STORY}').title)",
    )
    expect(page.locator("main").get_by_role("link", name=headline)).to_be_visible()
