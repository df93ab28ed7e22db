"""Main pages of a large archive: time, SQL queries, and what each query reads.

Run inside a site filled by `dateline generate-archive` (any database), for example:

    DATELINE_VAR_DIR=/srv/scale DATELINE_DEMO=1 python -m benchmarks.scale_pages

Each page is requested once to warm up, then timed three times through Django's test client
with the cache emptied before each request (no page cache: this is the cost of a render); the
median is printed beside a minimal view's, with the number of SQL queries. Every query of the
last request is then run again on its own and its plan read: on PostgreSQL with `EXPLAIN
(ANALYZE, FORMAT JSON)`, flagging a sequential scan of a large table or a node that read more
than READ_LIMIT rows; on SQLite with `EXPLAIN QUERY PLAN` and a count of the rows the query
steps through (the virtual machine's steps, through a progress handler), flagging a query
that stepped more than STEP_LIMIT times. `SCALE_PAGES_PLANS=1` prints the plan of every
flagged query.
"""

import json
import os
import statistics
import sys
import time
import types

READ_LIMIT = 20_000
STEP_LIMIT = 2_000_000
LARGE_TABLES = (
    "wagtailcore_page",
    "articles_articlepage",
    "articles_articletag",
    "articles_byline",
    "articles_articlepage_photos",
    "articles_articlepage_further_sections",
    "wagtailsearch_indexentry",
    "wagtailcore_referenceindex",
)


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.config.settings")
    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    from benchmarks.pages import urlpatterns

    module = types.ModuleType("benchmarks_scale_pages_urls")
    from importlib import import_module

    module.urlpatterns = urlpatterns + import_module(settings.ROOT_URLCONF).urlpatterns
    sys.modules["benchmarks_scale_pages_urls"] = module
    with override_settings(ROOT_URLCONF="benchmarks_scale_pages_urls", ALLOWED_HOSTS=["*"]):
        measure(pages())


def pages() -> list[tuple[str, str, bool]]:
    """Return (name, address, as the newsroom) of the pages to measure, picked from the data:
    the busiest section, tag and author, the newest full year and its busiest month and day."""
    from django.db.models import Count
    from taggit.models import Tag

    from dateline.articles.models import ArchivePage, ArticlePage, ArticleTag, Byline
    from dateline.editions.models import Edition
    from dateline.sections.models import Section

    edition = Edition.objects.live().order_by("pk").first()
    lang = edition.slug
    stories = ArticlePage.objects.visible().filter(edition=edition)
    newest = stories.order_by("-published_at").first()
    section = Section.objects.filter(edition=edition).order_by("sort_order").first()
    big_tag = Tag.objects.get(
        pk=ArticleTag.objects.values("tag").annotate(n=Count("id")).order_by("-n")[0]["tag"]
    )
    small_tag = Tag.objects.get(
        pk=ArticleTag.objects.values("tag").annotate(n=Count("id")).order_by("n", "tag")[0]["tag"]
    )
    author = Byline.objects.values("person__slug").annotate(n=Count("id")).order_by("-n")[0]
    years = ArchivePage.objects.descendant_of(edition).filter(month=None).order_by("-year")
    year = years[1] if years.count() > 1 else years[0]
    month = ArchivePage.objects.child_of(year).order_by("-month").first()
    day = ArchivePage.objects.child_of(month).order_by("-day").first()
    base = f"/{lang}/"
    return [
        ("minimal view", "/bench/minimal/", False),
        ("home front", base, False),
        ("section front", f"{base}{section.slug}/", False),
        ("section, page 50", f"{base}{section.slug}/?page=50", False),
        ("archive", f"{base}archive/", False),
        ("archive, page 50", f"{base}archive/?page=50", False),
        ("article", newest.url, False),
        (f"tag ({big_tag.name})", f"{base}tags/{big_tag.slug}/", False),
        (f"tag ({small_tag.name})", f"{base}tags/{small_tag.slug}/", False),
        ("author", f"{base}people/{author['person__slug']}/", False),
        ("year archive", year.url, False),
        ("month archive", month.url, False),
        ("day archive", day.url, False),
        ("search 'minister'", f"{base}search/?q=minister", False),
        ("edition feed", f"{base}feed/", False),
        ("section feed", f"{base}{section.slug}/feed/", False),
        ("sitemap index", "/sitemap.xml", False),
        ("news sitemap", f"{base}sitemaps/news.xml", False),
        ("API story list", f"/api/stories?edition={lang}", False),
        ("API, a section", f"/api/stories?edition={lang}&section={section.slug}", False),
        ("API, busiest tag", f"/api/stories?edition={lang}&tag={big_tag.slug}", False),
        ("API, search", f"/api/stories?edition={lang}&q=minister", False),
        ("admin dashboard", "/admin/", True),
        ("admin explorer, edition", f"/admin/pages/{edition.pk}/", True),
        ("admin explorer, day", f"/admin/pages/{day.pk}/", True),
        ("admin page search", "/admin/pages/search/?q=minister", True),
    ]


def measure(pages: list[tuple[str, str, bool]]) -> None:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    User = get_user_model()
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "scale-admin", "scale-admin@example.org", None
    )
    reader, newsroom = Client(), Client()
    newsroom.force_login(admin)
    show_plans = os.environ.get("SCALE_PAGES_PLANS") == "1"
    rows = []
    for name, url, as_newsroom in pages:
        client = newsroom if as_newsroom else reader
        response = client.get(url)
        if response.status_code != 200:
            print(f"{name}: {url} answered {response.status_code}", file=sys.stderr)
            continue
        times = []
        for _ in range(3):
            cache.clear()
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        flagged = []
        for query in captured.captured_queries:
            finding = read_plan(connection, query["sql"])
            if finding:
                flagged.append((query["sql"], finding))
        rows.append((name, url, statistics.median(times), len(captured), flagged))
        if show_plans:
            for sql, finding in flagged:
                print(f"\n--- {name}: {finding['summary']}\n{sql[:1500]}\n{finding['plan']}")
    baseline = rows[0][2] if rows and rows[0][0] == "minimal view" else None
    print(f"\nMain pages on {connection.vendor} ({_story_count()} stories)")
    print(f"{'page':<28} {'ms':>9} {'vs minimal':>11} {'queries':>8}  flagged queries")
    for name, _url, ms, count, flagged in rows:
        ratio = f"{ms / baseline:.0f}x" if baseline else "-"
        notes = "; ".join(f["summary"] for _sql, f in flagged) or "-"
        print(f"{name[:28]:<28} {ms:>9.1f} {ratio:>11} {count:>8}  {notes}")


def _story_count() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT max(page_ptr_id) FROM articles_articlepage")
        top = cursor.fetchone()[0]
    return f"story ids up to {top:,}" if top else "no"


def read_plan(connection, sql: str) -> dict | None:
    """Return what makes ``sql`` read too much, with its plan, or None when it reads little."""
    if not sql.lstrip().upper().startswith("SELECT"):
        return None
    if connection.vendor == "postgresql":
        return _read_postgres_plan(connection, sql)
    return _read_sqlite_plan(connection, sql)


def _read_postgres_plan(connection, sql: str) -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    findings = []

    def walk(node):
        table = node.get("Relation Name", "")
        read = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
        read += node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1)
        if node["Node Type"] in ("Seq Scan", "Parallel Seq Scan") and table in LARGE_TABLES:
            findings.append(f"seq scan {table}")
        elif read > READ_LIMIT:
            findings.append(f"{node['Node Type']} {table} {read:,} rows".replace("  ", " "))
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    if not findings:
        return None
    ms = plan[0].get("Execution Time", 0)
    return {
        "summary": f"{ms:.0f} ms: " + ", ".join(dict.fromkeys(findings)),
        "plan": json.dumps(plan[0]["Plan"], indent=1)[:4000],
    }


def _read_sqlite_plan(connection, sql: str) -> dict | None:
    raw = connection.connection
    steps = 0

    def count():
        nonlocal steps
        steps += 1000
        return 0

    raw.set_progress_handler(count, 1000)
    start = time.perf_counter()
    try:
        raw.execute(sql).fetchall()
    finally:
        raw.set_progress_handler(None, 0)
    ms = (time.perf_counter() - start) * 1000
    if steps <= STEP_LIMIT:
        return None
    plan = raw.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    scans = [row[3] for row in plan if row[3].startswith("SCAN")]
    return {
        "summary": f"{ms:.0f} ms, {steps / 1e6:.0f}M steps: " + (", ".join(scans) or "no scan"),
        "plan": "\n".join(row[3] for row in plan),
    }


if __name__ == "__main__":
    main()
