"""Search timings on a site filled by generate-archive, run in a process of its own (its
database comes from the environment: DATELINE_VAR_DIR, DATABASE_URL). Prints one JSON line:
p50/p95 in ms of the search page, of the newsroom's page search (for a superuser and for an
editor, whose pages are those of their editions) and of a direct SQL full-text query on the same
index. The queries have one, two and three words, common (words of every generated story) and
rare (words no generated story holds, alone or beside common ones)."""

import json
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from dateline.articles.models import ArticlePage  # noqa: E402
from dateline.editions.lookup import get_edition  # noqa: E402
from dateline.newsroom.roles import EDITORS, setup_newsroom  # noqa: E402

QUERIES = [
    "ceasefire",
    "rail strike",
    "drought harvest wheat",
    "quasar",
    "quasar nebula",
    "rail strike quasar",
]
ROUNDS = 2
# A query still running after this long is stopped and counted at this time ("≥").
LIMIT = 15.0


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered) * 1000, "p95": p95 * 1000}


def timed(function, query: str) -> float:
    """Return the seconds ``function(query)`` took, or LIMIT if it was stopped then."""
    start = time.perf_counter()
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        # SQLite has no statement timeout: a progress handler that answers non-zero stops
        # the statement.
        connection.connection.set_progress_handler(
            lambda: int(time.perf_counter() - start > LIMIT), 10_000
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(LIMIT * 1000)}")
    try:
        function(query)
    except Exception:  # noqa: BLE001 (stopped at the limit)
        return LIMIT
    finally:
        if connection.vendor == "sqlite":
            connection.connection.set_progress_handler(None, 0)
    return time.perf_counter() - start


def direct_sql(query: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            terms = " ".join(f'"{word}"' for word in query.split())
            cursor.execute(
                "SELECT rowid FROM wagtailsearch_indexentry_fts "
                "WHERE wagtailsearch_indexentry_fts MATCH %s ORDER BY rank LIMIT 20",
                [terms],
            )
        else:
            cursor.execute(
                "SELECT object_id FROM wagtailsearch_indexentry, "
                "plainto_tsquery('english', %s) q "
                "WHERE body @@ q ORDER BY ts_rank(body, q) DESC LIMIT 20",
                [query],
            )
        cursor.fetchall()


def main() -> None:
    edition = get_edition("en")
    client = Client()
    User = get_user_model()
    superuser = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "scale-admin", "scale-admin@example.org", None
    )
    editor = User.objects.filter(username="scale-editor").first()
    if editor is None:
        editor = User.objects.create_user("scale-editor", "scale-editor@example.org", None)
        editor.groups.add(setup_newsroom()[EDITORS])
    newsroom = {"superuser": Client(), "editor": Client()}
    newsroom["superuser"].force_login(superuser)
    newsroom["editor"].force_login(editor)

    def page_search(who: str):
        def search(query: str) -> None:
            response = newsroom[who].get("/admin/pages/search/", {"q": query})
            assert response.status_code == 200, response.status_code

        return search

    def page(query: str) -> None:
        response = client.get("/en/search/", {"q": query})
        assert response.status_code == 200, response.status_code

    stories = ArticlePage.objects.filter(edition=edition).count()
    kinds = {
        "sql": direct_sql,
        "page": page,
        "admin_superuser": page_search("superuser"),
        "admin_editor": page_search("editor"),
    }
    timings: dict[str, list[float]] = {name: [] for name in kinds}
    for function in kinds.values():
        timed(function, QUERIES[0])  # warm
    for _ in range(ROUNDS):
        for query in QUERIES:
            for name, function in kinds.items():
                timings[name].append(timed(function, query))
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "stories": stories,
                "samples": len(timings["sql"]),
                "limit": LIMIT,
                **{name: percentiles(values) for name, values in timings.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
