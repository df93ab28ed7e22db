"""Fixtures of the quality gates: the pages of one demo site (tests/visual/site.py), opened in
one browser with one context per edition, viewport and user, reused from test to test."""

import os
from pathlib import Path

import pytest

from .site import LOCALES, NEWSROOM_PASSWORD, READER_EMAIL, READER_PASSWORD, VIEWPORTS, discover

# Whatever depends on the clock or on other readers is normalised before a screenshot: the text
# of a <time> becomes 00:00, that of a counter 0 (an element with children of its own is hidden
# instead). A template marks anything else of the kind with the attribute data-volatile; with
# data-volatile="layout" (a list whose length follows the hour, such as the dashboard's stories
# of the day) it is taken out of the page, so that its height does not move what follows.
VOLATILE = "time, [data-volatile], .newsfeed__count, .chat__here"

# No animation, transition or caret: a screenshot shows the page at rest (screenshot's style).
STILL = """
*, *::before, *::after {
  animation: none !important; transition: none !important;
  caret-color: transparent !important; scroll-behavior: auto !important;
}
"""

# Normalise what VOLATILE selects, load every image now (lazy ones below the fold too) and wait
# for them, for the fonts and for the requests the page's script makes after load.
SETTLE = """
async (volatile) => {
  for (const element of document.querySelectorAll(volatile)) {
    if (element.dataset.volatile === "layout") element.style.display = "none";
    else if (element.children.length) element.style.visibility = "hidden";
    else element.textContent = element.localName === "time" ? "00:00" : "0";
  }
  const images = [...document.images];
  for (const image of images) image.loading = "eager";
  await Promise.all(images.map((image) => image.complete ? null : new Promise((done) => {
    image.addEventListener("load", done, {once: true});
    image.addEventListener("error", done, {once: true});
    setTimeout(done, 5000);
  })));
  await document.fonts.ready;
  // What the page's script fetches after load (the reader's account state, comment counts):
  // wait for it, then until no request has completed for 300 ms (at most 5 s).
  if (window.datelineAccount) await window.datelineAccount;
  let seen = -1;
  for (const until = Date.now() + 5000; Date.now() < until; ) {
    const now = performance.getEntriesByType("resource").length;
    if (now === seen) break;
    seen = now;
    await new Promise((done) => setTimeout(done, 300));
  }
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}
"""


def pytest_collection_modifyitems(config, items):
    """Run the quality gates first: they look at the demo site as `load-demo` leaves it, before
    the journeys of the other browser tests publish, comment and chat on it."""
    gates = [item for item in items if "tests/visual/" in item.nodeid]
    if gates:
        items[:] = gates + [item for item in items if item not in gates]


class Browsing:
    """One browser context per (viewport, edition, user), each with one page, made when first
    needed and signed in as that user."""

    def __init__(self, browser, url):
        self.browser, self.url = browser, url
        self.pages = {}

    def page(self, viewport: str, edition: str | None, user: str = ""):
        key = (viewport, edition, user)
        if key not in self.pages:
            context = self.browser.new_context(
                viewport=VIEWPORTS[viewport],
                locale=LOCALES.get(edition or "en"),
                timezone_id="UTC",
                reduced_motion="reduce",
                device_scale_factor=1,
                is_mobile=viewport == "mobile",
                has_touch=viewport == "mobile",
            )
            # The gates look without touching: their visits are not counted as reads (which
            # would change Most read from one run, or one test, to the next).
            context.route("**/reads/**", lambda route: route.abort())
            if edition:
                context.add_cookies(
                    [{"name": "dateline_language", "value": edition, "url": self.url}]
                )
            page = context.new_page()
            page.set_default_timeout(30_000)
            if user == "reader":
                self.sign_in(page, "/accounts/login/", "login", READER_EMAIL, READER_PASSWORD)
            elif user:
                self.sign_in(page, "/admin/login/", "username", user, NEWSROOM_PASSWORD)
            self.pages[key] = page
        return self.pages[key]

    def sign_in(self, page, path, field, login, password):
        page.goto(self.url + path)
        page.fill(f"input[name={field}]", login)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        assert path not in page.url, f"{login} could not sign in at {path}"
        if field == "login":
            # The "signed in" message waits for the next accounts page: show it now, so that
            # the account page looks the same whichever test opens it first.
            page.goto(self.url + "/accounts/profile/")

    def open(self, shot, viewport: str = "desktop"):
        """Open the page of ``shot``; return the browser page and the server's response."""
        page = self.page(viewport, shot.edition, shot.user)
        response = page.goto(self.url + shot.path, wait_until="load")
        assert response is not None
        assert response.ok, f"{shot.path} answered {response.status}"
        return page, response

    def settle(self, page):
        # Through the DevTools protocol, as the site's Content-Security-Policy forbids inline
        # scripts and styles (the screenshot applies STILL the same way).
        page.evaluate(SETTLE, VOLATILE)

    def close(self):
        for page in self.pages.values():
            page.context.close()


@pytest.fixture(scope="session")
def site(request):
    """The demo site the gates look at: the session's `demo`, or a demo site already running
    when QUALITY_SITE_URL and QUALITY_SITE_VAR name it (its address and DATELINE_VAR_DIR)."""
    url, var = os.environ.get("QUALITY_SITE_URL"), os.environ.get("QUALITY_SITE_VAR")
    if not (url and var):
        return request.getfixturevalue("demo")
    from tests.conftest import DemoSite

    # A site run by hand is a plain demo: not in test mode (whose password hasher it would lack).
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATELINE_TESTING"}
    }
    env.update(DATELINE_DEMO="1", DATELINE_VAR_DIR=var, SITE_URL=url)
    return DemoSite(url=url, env=env, var=Path(var))


@pytest.fixture(scope="session")
def found(site):
    """The addresses of the demo's content pages, per edition (see site.DISCOVER)."""
    return discover(site)


@pytest.fixture(scope="package")
def browsing(chromium, site):
    # Closed once the gates are done: a tab left open in a chat room would count as a reader
    # there for the journeys that follow.
    browsing = Browsing(chromium, site.url)
    yield browsing
    browsing.close()
