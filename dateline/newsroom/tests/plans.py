"""Read SQLite's plan of the queries a page made, to find those that read every story.

Without ANALYZE statistics SQLite's planner picks a plan from the schema and the query alone,
so a test database of a few stories gets the same plans as an archive of a million: a
``SCAN`` of the page tree or of the stories table here is a scan there too.
"""

import re

from django.db import connection

# The tables that hold a row per story.
STORY_TABLES = ("wagtailcore_page", "articles_articlepage")
# Indexes that hold only the tree's inner pages (editions, date buckets), never the stories:
# scanning one reads a row per bucket, not per story.
BOUNDED_INDEXES = ("newsroom_page_parents",)
ALIAS = re.compile(r'"(\w+)" ([A-Z]\d+)\b')


def story_scans(sql: str) -> list[str]:
    """Return the lines of ``sql``'s plan (SQLite) that scan a table holding every story,
    whole or through an index that has a row per story."""
    # The plan names a table by its alias in the query ("U0", "V0"); Django reuses an alias
    # in different subqueries, so a scan through an index is told by the index's table.
    aliases = {}
    for table, alias in ALIAS.findall(sql):
        aliases.setdefault(alias, set()).add(table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'")
        index_tables = dict(cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        details = [row[-1] for row in cursor.fetchall()]
    found = []
    for detail in details:
        words = detail.split()
        if len(words) < 2 or words[0] != "SCAN":
            continue
        index = words[words.index("INDEX") + 1] if "INDEX" in words else None
        if index in BOUNDED_INDEXES:
            continue
        if index in index_tables:
            tables = {index_tables[index]}
        else:
            tables = aliases.get(words[1], {words[1]})
        if tables & set(STORY_TABLES):
            found.append(f"{detail} [{', '.join(sorted(tables))}]")
    return found


def scans_in(captured_queries) -> dict[str, list[str]]:
    """Return, for each captured SELECT whose plan scans the stories, the scanning lines."""
    result = {}
    for query in captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        found = story_scans(sql)
        if found:
            result[sql] = found
    return result
