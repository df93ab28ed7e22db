"""Full-text search of stories, read straight from Wagtail's search index.

Wagtail's database backend ranks a query by joining its index to the whole filtered queryset,
which at a large archive ranks every match of a common word through the ORM (SQLite's backend
re-runs the match for each matching row): seconds at 100,000 stories. Here one SQL statement
asks the index itself (FTS5 on SQLite, the tsvector columns and their GIN indexes on
PostgreSQL) for the best ``MAX_RANKED`` live stories of an edition among the newest
``MAX_CANDIDATES`` matches of the index; visibility (publication time, withdrawal) is then
checked on those few ids by the ORM, as everywhere else.

Stories are still indexed by Wagtail (``search_fields`` on ArticlePage, update_index); this
module only reads what it wrote.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.db import connection

# Matches are ranked this far and no further: 50 pages of 20, as far as listings page back.
MAX_RANKED = 1000
# A query ranks its newest matches in the index, this many at most: a common word in a large
# archive matches most of it, and ranking a million matches takes seconds whoever asks. Index
# entries are numbered as stories are first indexed, so the highest numbers are the newest.
MAX_CANDIDATES = 20_000
# Words of a query that count; the rest of a long query is ignored.
MAX_WORDS = 12
WORD = re.compile(r"\w+")
# Words this long also match as the start of longer ones, so that a search for "договор" finds
# "договоре" and "договорились": the index does not stem Russian or Arabic, and a reader types
# the word's base. Shorter words match whole, or "of" would match half the archive.
PREFIX_FROM = 4


def query_words(query: str) -> list[str]:
    """The words of ``query`` that the index can match: letters and digits only, so nothing a
    reader types is read as FTS5 or tsquery syntax."""
    return WORD.findall(query.lower())[:MAX_WORDS]


def ranked_story_ids(query: str, edition, limit: int = MAX_RANKED) -> list[int] | None:
    """Return the ids of ``edition``'s (every edition's when None) live stories that match
    every word of ``query``, best first (headline matches weigh more than body matches), at
    most ``limit``. Return None on a database this module does not know, so the caller can fall
    back to Wagtail's backend."""
    from wagtail.search.models import IndexEntry

    from dateline.articles.models import ArticlePage

    words = query_words(query)
    if not words:
        return []
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    prefix = edition.path if edition is not None else ""
    index = IndexEntry._meta.db_table
    if connection.vendor == "sqlite":
        # Each word quoted: an FTS5 string, never an operator; the columns are Wagtail's
        # (autocomplete, body, title) and the autocomplete column is left out.
        match = "{body title} : " + " ".join(
            f'"{word}"*' if len(word) >= PREFIX_FROM else f'"{word}"' for word in words
        )
        # FTS5 walks its matches newest (highest rowid) first and stops at the cap; bm25 is
        # worked out for those rows only.
        sql = (
            "SELECT page.id FROM ("  # noqa: S608 (table names are ours)
            f"SELECT entry.object_id, bm25({index}_fts, 0.0, 1.0, 3.0) AS score "
            f"FROM {index}_fts JOIN {index} AS entry ON entry.id = {index}_fts.rowid "
            f"WHERE {index}_fts MATCH %s AND entry.content_type_id = %s "
            f"ORDER BY {index}_fts.rowid DESC LIMIT %s"
            ") AS hit "
            "JOIN wagtailcore_page AS page ON page.id = CAST(hit.object_id AS INTEGER) "
            "WHERE substr(page.path, 1, %s) = %s AND page.live "
            "ORDER BY hit.score, page.id DESC LIMIT %s"
        )
        params = [match, content_type, MAX_CANDIDATES, len(prefix), prefix, limit]
    elif connection.vendor == "postgresql":
        # The words joined with & as one tsquery in the index's own (default) configuration;
        # each is letters and digits only, quoted, so none is read as an operator.
        # The newest matches by entry number, then ranked: ts_rank reads each match's
        # vectors, the costly part, for those rows only.
        sql = (
            "SELECT page.id FROM ("  # noqa: S608 (table names are ours)
            f"SELECT entry.id, entry.object_id, entry.title, entry.body FROM {index} AS entry "
            "WHERE (entry.title @@ to_tsquery(%s) OR entry.body @@ to_tsquery(%s)) "
            "AND entry.content_type_id = %s ORDER BY entry.id DESC LIMIT %s"
            ") AS hit "
            # Each candidate's page by its key (OFFSET 0 keeps the planner from turning this
            # into a hash join that reads every page).
            "CROSS JOIN LATERAL (SELECT p.id, p.path, p.live FROM wagtailcore_page AS p "
            "WHERE p.id = hit.object_id::integer OFFSET 0) AS page, "
            "to_tsquery(%s) AS query "
            "WHERE page.path LIKE %s AND page.live "
            "ORDER BY ts_rank(hit.title, query) * 3 + ts_rank(hit.body, query) DESC, "
            "page.id DESC LIMIT %s"
        )
        terms = " & ".join(
            f"'{word}':*" if len(word) >= PREFIX_FROM else f"'{word}'" for word in words
        )
        params = [terms, terms, content_type, MAX_CANDIDATES, terms, prefix + "%", limit]
    else:
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def search_stories(query: str, edition, stories, limit: int = MAX_RANKED) -> list[int]:
    """Return the ids of the stories of queryset ``stories`` (e.g. the visible ones, narrowed)
    that match ``query`` in ``edition``, best first, at most ``limit``."""
    ranked = ranked_story_ids(query, edition, limit)
    if ranked is None:
        return [story.pk for story in stories.search(query, order_by_relevance=True)[:limit]]
    allowed = set(stories.filter(pk__in=ranked).values_list("pk", flat=True))
    return [pk for pk in ranked if pk in allowed]
