"""Every search box takes any text and searches for it as words: FTS5's and tsquery's syntax
in a query is never read as syntax (issue 17, finding 7). The full hostile corpus runs through
the same boxes in tests/hostile/test_searches.py."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from dateline.search.tests.test_search import results

# The sharpest of the corpus: each broke a search box, or could.
SYNTAX = [
    '"',
    'glacier"',
    '"glacier',
    "glacier*",
    "(glacier",
    "glacier)",
    "title:glacier",
    "{title body} : glacier",
    "^glacier",
    "-glacier",
    "+glacier",
    "NEAR(glacier report)",
    "glacier AND",
    "OR glacier",
    "NOT glacier",
    "glacier\x00report",
    "glacier 'report",
    "glacier & !report | <->",
    "glacier " * 2000,
]


def only_glacier(query: str) -> bool:
    """Whether "glacier" is the only word of ``query`` (the rest is syntax): then every box
    finds what has the word. "title:glacier" looks for "title" as well, as any word."""
    return set(re.findall(r"\w+", query.lower())) == {"glacier"}


# The newsroom's search boxes that search stories, photos or people by a word, and the title
# each must find for "glacier" whatever syntax is around it.
NEWSROOM = {
    "/admin/pages/search/": "Glacier report",
    "/admin/choose-page/search/": "Glacier report",
    "/admin/images/": "Glacier at dawn",
    "/admin/images/chooser/results/": "Glacier at dawn",
    "/admin/snippets/people/person/": "Ann Glacier",
    "/admin/snippets/choose/people/person/results/": "Ann Glacier",
}


@pytest.fixture
def archive(make_story, make_photo):
    photo = make_photo(caption="Glacier at dawn")
    make_story("Glacier report", photo=photo, bylines=["Ann Glacier"])
    make_story("Budget vote delayed")
    return photo


@pytest.fixture
def newsroom(client, db):
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "pw")
    client.force_login(user)
    return client


def search_boxes() -> list[str]:
    """Every newsroom page without a parameter in its address (the listings, the choosers'
    results): those with a search box are found by asking them."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return sorted(
        "/" + route
        for route in set(walk(get_resolver().url_patterns))
        if route.startswith("admin/")
        and not any(c in route for c in "<^($")
        and not any(word in route for word in ("logout", "failwhale", "new", "add", "delete"))
    )


@pytest.mark.parametrize("query", SYNTAX, ids=range(len(SYNTAX)))
def test_the_newsrooms_searches_find_the_words_whatever_surrounds_them(newsroom, archive, query):
    for url, title in NEWSROOM.items():
        response = newsroom.get(url, {"q": query})
        assert response.status_code == 200, (url, query)
        if only_glacier(query):
            assert title in response.content.decode(), (url, query)


def test_every_newsroom_search_box_answers_any_text(newsroom, archive):
    """Every box there is now, and any added later: found by asking every newsroom page."""
    boxes = []
    for url in search_boxes():
        response = newsroom.get(url, {"q": "glacier"})
        if response.status_code == 200 and 'name="q"' in response.content.decode():
            boxes.append(url)
    assert "/admin/images/" in boxes and "/admin/wire/" in boxes and "/admin/users/" in boxes
    for url in boxes:
        for query in SYNTAX:
            assert newsroom.get(url, {"q": query}).status_code == 200, (url, query)


@pytest.mark.parametrize("query", SYNTAX, ids=range(len(SYNTAX)))
def test_the_media_bank_and_the_public_search_find_the_words(client, archive, query):
    photos = client.get("/mediabank/", {"q": query})
    stories = client.get("/en/search/", {"q": query})
    api = client.get("/api/stories", {"q": query})
    assert photos.status_code == stories.status_code == api.status_code == 200, query
    if only_glacier(query):
        assert "Glacier at dawn" in photos.content.decode(), query
        assert "Glacier report" in results(stories), query
        assert [item["headline"] for item in api.json()["items"]] == ["Glacier report"], query
    assert "Budget vote delayed" not in results(stories)


def test_a_query_of_only_syntax_finds_nothing_and_says_so(client, newsroom, archive):
    html = results(client.get("/en/search/", {"q": '"()*:^'}))
    assert "Glacier report" not in html
    html = newsroom.get("/admin/pages/search/", {"q": '"()*:^'}).content.decode()
    assert "Glacier report" not in html
