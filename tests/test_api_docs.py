"""A partner developer reads the API docs and tries a request, in a real Chromium, offline."""

import pytest

pytestmark = pytest.mark.browser


def test_the_api_docs_work_offline_under_the_sites_csp(demo_site, page):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "request",
        lambda r: (
            problems.append(f"outside request: {r.url}")
            if not r.url.startswith((demo_site, "data:"))
            else None
        ),
    )
    page.goto(demo_site + "/api/docs")
    page.locator("#operations-stories-dateline_api_api_list_stories").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    body = page.locator(".responses-wrapper .live-responses-table .highlight-code").first
    body.wait_for()
    newest = page.request.get(demo_site + "/api/stories?limit=1").json()["items"][0]
    assert f'"id": {newest["id"]},' in body.inner_text()
    assert problems == []
