"""Indexes that keep the newsroom's admin pages from reading every story.

The tables are Wagtail's and the stories app's; the indexes are the newsroom's, for the
queries of its admin pages (docs/performance.md, "Scale of content"). Wagtail finds a page's
children and descendants by a prefix of the tree path (``path LIKE '00010001%'``) and its
depth; its own path index serves neither a LIKE on SQLite (whose LIKE ignores case, so only an
index in NOCASE order serves a prefix) nor, on PostgreSQL, a prefix together with a depth:

- ``newsroom_page_depth``: the tree's root (``depth = 1``, read on every admin page for a
  superuser) and the children of a page (``depth = n`` and a path prefix or range: an
  edition's years, a day's stories) without reading the pages below them;
- ``newsroom_page_prefix`` (SQLite): the pages below a page (a path prefix at any depth);
- ``newsroom_page_parents``: the pages that have children (editions, date buckets; a few
  thousand, however many stories), with their numbers of children, for the dashboard's page
  count (``dateline.newsroom.wagtail_hooks.PageCountSummaryItem``);
- ``newsroom_page_expiry``, ``newsroom_story_embargo``, ``newsroom_story_withdrawn``: the
  desk's stories coming down, under embargo and withdrawn, among the few that have such a time.

On PostgreSQL they are built with CONCURRENTLY, so that a live archive keeps taking writes. On
a SQLite database that has planner statistics (``generate-archive`` runs ANALYZE), the new
indexes get theirs too, so that the planner weighs them with the others.
"""

from django.db import migrations

PARTIAL = [
    ("newsroom_page_expiry", "wagtailcore_page", "(expire_at)", "WHERE expire_at IS NOT NULL"),
    (
        "newsroom_story_embargo",
        "articles_articlepage",
        "(embargo_until)",
        "WHERE embargo_until IS NOT NULL",
    ),
    (
        "newsroom_story_withdrawn",
        "articles_articlepage",
        "(withdrawn_at)",
        "WHERE withdrawn_at IS NOT NULL",
    ),
]
INDEXES = {
    "sqlite": [
        ("newsroom_page_depth", "wagtailcore_page", "(depth, path)", ""),
        ("newsroom_page_depth_prefix", "wagtailcore_page", "(depth, path COLLATE NOCASE)", ""),
        ("newsroom_page_prefix", "wagtailcore_page", "(path COLLATE NOCASE)", ""),
        (
            "newsroom_page_parents",
            "wagtailcore_page",
            "(path COLLATE NOCASE, numchild)",
            "WHERE numchild > 0",
        ),
        *PARTIAL,
    ],
    "postgresql": [
        ("newsroom_page_depth", "wagtailcore_page", "(depth, path varchar_pattern_ops)", ""),
        (
            "newsroom_page_parents",
            "wagtailcore_page",
            "(path varchar_pattern_ops, numchild)",
            "WHERE numchild > 0",
        ),
        *PARTIAL,
    ],
}


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    concurrently = "CONCURRENTLY " if vendor == "postgresql" else ""
    for name, table, columns, condition in INDEXES.get(vendor, PARTIAL):
        schema_editor.execute(
            f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON {table} {columns} {condition}"
        )
    if vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone():
                for name, _table, _columns, _condition in INDEXES[vendor]:
                    cursor.execute(f"ANALYZE {name}")


def drop_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    concurrently = "CONCURRENTLY " if vendor == "postgresql" else ""
    for name, _table, _columns, _condition in INDEXES.get(vendor, PARTIAL):
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run in a transaction.
    atomic = False

    dependencies = [
        ("articles", "0004_top_story_index"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
