"""Search timings on a site filled by generate-archive, run in a process of its own (its
database comes from the environment: DATELINE_VAR_DIR, DATABASE_URL). Prints one JSON line:
p50/p95 in ms of the search page, of the search backend's query (the first page of results and
their count, as the page asks) and of a direct SQL full-text query on the same index."""

import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from dateline.articles.models import ArticlePage  # noqa: E402
from dateline.editions.lookup import get_edition  # noqa: E402

QUERIES = ["ceasefire", "rail strike", "telescope launch", "drought harvest wheat", "merger"]
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

    def page(query: str) -> None:
        response = client.get("/en/search/", {"q": query})
        assert response.status_code == 200, response.status_code

    def backend(query: str) -> None:
        results = ArticlePage.objects.visible().filter(edition=edition).search(query)
        list(results[:20])
        results.count()

    def newest(query: str) -> None:
        stories = ArticlePage.objects.visible().filter(edition=edition)
        results = stories.order_by("-published_at").search(query, order_by_relevance=False)
        list(results[:20])
        results.count()

    matches = (
        ArticlePage.objects.visible().filter(edition=edition).search(QUERIES[0]).count()
        if "--matches" in sys.argv
        else None
    )

    stories = ArticlePage.objects.filter(edition=edition).count()
    kinds = {"sql": direct_sql, "newest": newest, "backend": backend, "page": page}
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
                "matches": matches,
                **{name: percentiles(values) for name, values in timings.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
