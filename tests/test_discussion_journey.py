"""A reader registers, confirms their address from the mail the demo writes to var/mail/,
signs in and comments; another reader sees the comment arrive; a moderator removes it and it
goes from both. Hostile text never runs as script in anyone's browser."""

import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def story_path(demo):
    return demo.dateline(
        "shell",
        "--no-imports",
        "-c",
        "from dateline.articles.models import ArticlePage;"
        "print(ArticlePage.objects.get(slug='rhine-barges-cut-loads-as-water-falls').url)",
    ).stdout.split()[-1]


def newest_mail(demo, after: float, timeout=10):
    deadline = time.monotonic() + timeout
    folder = demo.var / "mail"
    while time.monotonic() < deadline:
        mails = (
            sorted(
                (p for p in folder.glob("*") if p.stat().st_mtime >= after),
                key=lambda p: p.stat().st_mtime,
            )
            if folder.exists()
            else []
        )
        if mails:
            return mails[-1].read_text()
        time.sleep(0.2)
    raise AssertionError("no mail was written")


def new_page(chromium):
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def register(demo, page, email, name, password="a long pass phrase 7"):
    started = time.time() - 1
    page.goto(demo.url + "/accounts/signup/")
    page.fill("input[name=email]", email)
    page.fill("input[name=display_name]", name)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    mail = newest_mail(demo, started)
    assert email in mail
    link = re.search(r"(http://[^\s]+/accounts/confirm-email/[^\s]+/)", mail)[1]
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()


def test_register_confirm_comment_see_it_arrive_and_a_moderator_removes_it(demo, chromium):
    path = story_path(demo)
    reader = new_page(chromium)
    register(demo, reader, "ines@example.org", "Ines")
    reader.goto(demo.url + path)
    expect(reader.locator("[data-account]")).to_have_text("Ines")
    discussion = reader.get_by_role("region", name=re.compile("Discussion"))
    expect(discussion.get_by_label("Your comment")).to_be_visible()

    other = new_page(chromium)
    other.goto(demo.url + path)
    expect(other.locator("html")).to_have_attribute("data-stream", "open")
    other_discussion = other.get_by_role("region", name=re.compile("Discussion"))
    expect(other_discussion.get_by_text("To participate in the discussion")).to_be_visible()
    expect(other_discussion.get_by_label("Your comment")).to_be_hidden()

    discussion.get_by_label("Your comment").fill("The barges need a lower keel, surely?")
    discussion.get_by_role("button", name="Post comment").click()
    expect(discussion.locator(".comment")).to_contain_text("The barges need a lower keel")
    # The other reader sees it arrive without reloading, with the count.
    expect(other_discussion.locator(".comment")).to_contain_text(
        "The barges need a lower keel", timeout=2000
    )
    expect(other_discussion.locator(".comment__author")).to_have_text("Ines")
    expect(other_discussion.locator(".discussion__count")).to_have_text("1")

    # Hostile text is refused with the reason, and what passes is shown as text.
    discussion.get_by_label("Your comment").fill('Nice <img src=x onerror="window.__xss=1">')
    discussion.get_by_role("button", name="Post comment").click()
    expect(discussion.get_by_role("alert")).to_contain_text("Write plain text")
    discussion.get_by_label("Your comment").fill(
        'javascript:window.__xss=1 see http://x.example/#"onmouseover="window.__xss=1'
    )
    discussion.get_by_role("button", name="Post comment").click()
    arrived = other_discussion.locator(".comment").filter(has_text="javascript:window.__xss=1")
    expect(arrived).to_be_visible(timeout=2000)
    arrived.get_by_role("link").hover()
    assert other.evaluate("window.__xss") is None
    assert arrived.get_by_role("link").get_attribute("href").startswith("http://x.example/")

    # A moderator removes the first comment in the newsroom; it goes from both pages.
    moderator = new_page(chromium)
    moderator.goto(demo.url + "/admin/login/")
    moderator.fill("#id_username", "moderator")
    moderator.fill("#id_password", "dateline-demo")
    moderator.get_by_role("button", name="Sign in").click()
    moderator.goto(demo.url + "/admin/discussion/?queue=published")
    row = moderator.locator("tr").filter(has_text="The barges need a lower keel")
    row.get_by_role("button", name="Remove").click()
    expect(moderator.get_by_text("Comment rejected.")).to_be_visible()
    for page in (reader, other):
        expect(page.locator(".comment").filter(has_text="lower keel")).to_have_count(
            0, timeout=2000
        )
    expect(other_discussion.locator(".discussion__count")).to_have_text("1")

    # A newsroom account's comment carries the staff badge, from the account's role; a
    # reader's never does, whatever their name.
    demo.dateline("shell", "--no-imports", "-c", STAFF_COMMENT)
    staff = other_discussion.locator(".comment").filter(has_text="asked the port authority")
    expect(staff).to_be_visible(timeout=5000)
    expect(staff.locator(".staff-badge")).to_have_text("Staff")
    expect(other_discussion.locator(".comment").filter(has_text="javascript:")).to_have_count(1)
    expect(
        other_discussion.locator(".comment").filter(has_text="javascript:").locator(".staff-badge")
    ).to_have_count(0)
    for page in (reader, other, moderator):
        page.context.close()


STAFF_COMMENT = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from dateline.articles.models import ArticlePage
from dateline.discussion.actions import post_comment
user = get_user_model().objects.get(username="moderator")
EmailAddress.objects.update_or_create(
    user=user, email=user.email or "moderator@example.org",
    defaults={"verified": True, "primary": True},
)
post_comment(
    user,
    ArticlePage.objects.get(slug="rhine-barges-cut-loads-as-water-falls"),
    "Thanks, we have asked the port authority.",
)
"""


def test_a_display_name_with_markup_is_refused_at_registration(demo, chromium):
    page = new_page(chromium)
    page.goto(demo.url + "/accounts/signup/")
    page.fill("input[name=email]", "mallory@example.org")
    page.fill("input[name=display_name]", "<script>alert(1)</script>")
    page.fill("input[name=password1]", "a long pass phrase 7")
    page.fill("input[name=password2]", "a long pass phrase 7")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_text("Write plain text")).to_be_visible()
    assert (
        demo.dateline(
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth.models import User;"
            "print(User.objects.filter(email='mallory@example.org').count())",
        ).stdout.split()[-1]
        == "0"
    )
    page.context.close()
