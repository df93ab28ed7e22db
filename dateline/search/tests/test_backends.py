"""The newsroom's searches through Wagtail's backend, with SQLite's ranking bounded."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from dateline.articles.models import ArticlePage
from dateline.search import engine

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL uses Wagtail's backend unchanged"
)


@pytest.fixture
def newsroom(client, db):
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "pw")
    client.force_login(user)
    return client


def test_below_the_cap_it_ranks_as_wagtails_own_backend(newsroom, make_story):
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    from dateline.search.backends import bounded_sqlite_backend

    make_story("Glacier glacier glacier report")
    make_story("Glacier melts", standfirst="The glacier lost a tenth of its ice")
    make_story("Ice shelf and glacier survey")
    make_story("Budget vote delayed")
    for query in ("glacier", "glacier ice"):
        for method in ("search", "autocomplete"):
            ranked = [
                [
                    (p.title, p.score)
                    for p in getattr(backend({}), method)(query, ArticlePage).annotate_score(
                        "score"
                    )
                ]
                for backend in (SQLiteSearchBackend, bounded_sqlite_backend)
            ]
            assert ranked[0] == ranked[1] and ranked[0], (query, method)
    html = newsroom.get("/admin/pages/search/?q=glacier").content.decode()
    assert "Glacier melts" in html and "Budget vote delayed" not in html


def test_only_the_newest_matches_are_ranked(newsroom, make_story, monkeypatch):
    make_story("Harbour harbour harbour news")
    make_story("Harbour reopens")
    make_story("Harbour strike ends")
    monkeypatch.setattr(engine, "MAX_CANDIDATES", 2)
    html = newsroom.get("/admin/pages/search/?q=harbour").content.decode()
    assert "Harbour reopens" in html and "Harbour strike ends" in html
    assert "Harbour harbour harbour news" not in html
    ordered = ArticlePage.objects.search("harbour", order_by_relevance=False)
    assert {p.title for p in ordered} == {"Harbour reopens", "Harbour strike ends"}
