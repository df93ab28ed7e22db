"""Full-text search of stories, read straight from Wagtail's search index.

Wagtail's database backend ranks a query by joining its index to the whole filtered queryset,
which at a large archive ranks every match of a common word through the ORM (SQLite's backend
re-runs the match for each matching row): seconds at 100,000 stories. Here one SQL statement
asks the index itself (FTS5 on SQLite, the tsvector columns and their GIN indexes on
PostgreSQL) for the best ``MAX_RANKED`` live stories of an edition among the newest
``MAX_CANDIDATES`` matches of the index; visibility (publication time, withdrawal) is then
checked on those few ids by the ORM, as everywhere else.

The same statement narrows the candidates to a section (the section's list rows, primary or
further) and a period (the story's publication time), and orders them by relevance or newest
first. A query that is a byline's name (every word in one person's name) also takes that
person's newest stories from the person's list rows, and they rank first: a reader who types a
reporter's name wants the reporter's stories before the ones that mention the name.

Stories are still indexed by Wagtail (``search_fields`` on ArticlePage, update_index); this
module only reads what it wrote.
"""

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q

# Matches are ranked this far and no further: 50 pages of 20, as far as listings page back.
MAX_RANKED = 1000
# A query ranks its newest matches in the index, this many at most: a common word in a large
# archive matches most of it, and ranking a million matches takes seconds whoever asks. Index
# entries are numbered as stories are first indexed, so the highest numbers are the newest.
# Each candidate costs a read of its stored text (bm25 on SQLite; the body's vector, checked
# and ranked, on PostgreSQL), so the bound sets the time of a common word: 20,000 took about
# 200 ms at 1,000,000 stories, 4,000 a fifth of that (docs/performance.md, "Search"). At 300
# stories a day that is the last two weeks of a word every story holds, and all of a rarer one.
MAX_CANDIDATES = 4_000
# Words of a query that count; the rest of a long query is ignored.
MAX_WORDS = 12
WORD = re.compile(r"\w+")
# Words this long also match as the start of longer ones, so that a search for "договор" finds
# "договоре" and "договорились": the index does not stem Russian or Arabic, and a reader types
# the word's base. Shorter words match whole, or "of" would match half the archive.
PREFIX_FROM = 4
# A query names at most this many people (the best matches of the name), each bringing their
# newest MAX_RANKED stories.
MAX_PEOPLE = 3


@dataclass(frozen=True)
class Filters:
    """What a reader narrowed a search to, and its order."""

    section_id: int | None = None
    # Published at or after ``since``, before ``until`` (aware datetimes).
    since: object = None
    until: object = None
    newest: bool = False


def query_words(query: str) -> list[str]:
    """The words of ``query`` that the index can match: letters and digits only, so nothing a
    reader types is read as FTS5 or tsquery syntax."""
    return WORD.findall(query.lower())[:MAX_WORDS]


def word_matches(word: str, text_word: str) -> bool:
    """Whether query word ``word`` matches ``text_word`` as the index does (both lower case)."""
    return text_word.startswith(word) if len(word) >= PREFIX_FROM else text_word == word


def people_named(words: list[str]) -> list[int]:
    """Return the ids of the people (at most MAX_PEOPLE) whose name holds every one of
    ``words``. People are few next to stories: the name is narrowed in SQL by its first word
    and checked here word by word, in any script (SQLite folds only ASCII case)."""
    from dateline.people.models import Person

    if not words:
        return []
    first = words[0]
    # SQLite's LIKE ignores the case of ASCII letters only: a Cyrillic or Greek name is
    # written capitalised, so the capitalised word is asked for too.
    names = Person.objects.filter(
        Q(name__icontains=first) | Q(name__contains=first.capitalize())
    ).values_list("pk", "name")[:500]
    found = []
    for pk, name in names:
        name_words = WORD.findall(name.lower())
        if all(any(word_matches(w, n) for n in name_words) for w in words):
            found.append((len(name_words), pk))
    return [pk for _, pk in sorted(found)[:MAX_PEOPLE]]


def ranked_story_ids(
    query: str, edition, limit: int = MAX_RANKED, filters: Filters | None = None
) -> list[int] | None:
    """Return the ids of ``edition``'s (every edition's when None) live stories that match
    every word of ``query``, or whose byline names the person the query names, best first
    (bylines, then headline matches weighing more than body matches) or newest first, narrowed
    by ``filters``, at most ``limit``. Return None on a database this module does not know, so
    the caller can fall back to Wagtail's backend."""
    from wagtail.search.models import IndexEntry

    from dateline.articles.models import ArticlePage, StoryListing

    filters = filters or Filters()
    words = query_words(query)
    if not words:
        return []
    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    prefix = edition.path if edition is not None else ""
    index = IndexEntry._meta.db_table
    listing = StoryListing._meta.db_table
    story_table = ArticlePage._meta.db_table
    people = people_named(words) if edition is not None else []
    params = {
        "content_type": content_type,
        "candidates": MAX_CANDIDATES,
        "limit": limit,
        "person_kind": StoryListing.Kind.PERSON,
        "section_kind": StoryListing.Kind.SECTION,
        "edition": edition.pk if edition is not None else None,
    }
    # A person's newest stories in the edition, from the list rows (their index, in order).
    bylines = " UNION ALL ".join(
        f"SELECT * FROM (SELECT story_id FROM {listing} WHERE kind = %(person_kind)s "  # noqa: S608
        f"AND target_id = %(person{n})s AND edition_id = %(edition)s "
        f"ORDER BY published_at DESC, story_id DESC LIMIT %(limit)s) AS person{n}"
        for n in range(len(people))
    )
    params.update({f"person{n}": pk for n, pk in enumerate(people)})
    conditions = []
    if filters.section_id is not None:
        conditions.append(
            f"EXISTS (SELECT 1 FROM {listing} AS listing WHERE listing.story_id = page.id "  # noqa: S608
            "AND listing.kind = %(section_kind)s AND listing.target_id = %(section)s)"
        )
        params["section"] = filters.section_id
    for name, value, operator in (("since", filters.since, ">="), ("until", filters.until, "<")):
        if value is not None:
            conditions.append(f"page.published_at {operator} %({name})s")
            params[name] = connection.ops.adapt_datetimefield_value(value)

    # The story's row only when its publication time is asked for: one lookup less per
    # candidate otherwise.
    if filters.newest or filters.since is not None or filters.until is not None:
        page_columns = "p.id, p.path, p.live, s.published_at"
        page_tables = f"wagtailcore_page AS p JOIN {story_table} AS s ON s.page_ptr_id = p.id"
    else:
        page_columns, page_tables = "p.id, p.path, p.live", "wagtailcore_page AS p"

    if connection.vendor == "sqlite":
        # Each word quoted: an FTS5 string, never an operator; the columns are Wagtail's
        # (autocomplete, body, title) and the autocomplete column is left out.
        params["match"] = "{body title} : " + " ".join(
            f'"{word}"*' if len(word) >= PREFIX_FROM else f'"{word}"' for word in words
        )
        # FTS5 walks its matches newest (highest rowid) first and stops at the cap; bm25 is
        # worked out for those rows only (lower is better).
        text = (
            f"SELECT CAST(entry.object_id AS INTEGER) AS object_id, "  # noqa: S608
            f"bm25({index}_fts, 0.0, 1.0, 3.0) AS score "
            f"FROM {index}_fts JOIN {index} AS entry ON entry.id = {index}_fts.rowid "
            f"WHERE {index}_fts MATCH %(match)s AND entry.content_type_id = %(content_type)s "
            f"ORDER BY {index}_fts.rowid DESC LIMIT %(candidates)s"
        )
        if bylines:
            hits = (
                f"WITH text AS ({text}), byline AS ({bylines}), hit AS ("  # noqa: S608
                "SELECT object_id, score, object_id IN (SELECT story_id FROM byline) AS byline "
                "FROM text UNION ALL SELECT story_id, 0.0, 1 FROM byline "
                "WHERE story_id NOT IN (SELECT object_id FROM text)) "
            )
        else:
            hits = f"WITH hit AS (SELECT object_id, score, 0 AS byline FROM ({text})) "  # noqa: S608
        rank = "hit.byline DESC, hit.score"
        sql = (
            f"{hits}SELECT page.id FROM hit "  # noqa: S608
            f"JOIN (SELECT {page_columns} FROM {page_tables}) AS page ON page.id = hit.object_id "
            "WHERE substr(page.path, 1, %(prefix_length)s) = %(prefix)s AND page.live "
        )
        params.update(prefix_length=len(prefix), prefix=prefix)
    else:
        # The words joined with & as one tsquery in the index's own (default) configuration;
        # each is letters and digits only, quoted, so none is read as an operator.
        # The newest matches by entry number, then ranked: ts_rank reads each match's
        # vectors, the costly part, for those rows only.
        params["terms"] = " & ".join(
            f"'{word}':*" if len(word) >= PREFIX_FROM else f"'{word}'" for word in words
        )
        text = (
            f"SELECT entry.object_id::integer AS object_id, entry.title, entry.body "  # noqa: S608
            f"FROM {index} AS entry "
            "WHERE (entry.title @@ to_tsquery(%(terms)s) OR entry.body @@ to_tsquery(%(terms)s)) "
            "AND entry.content_type_id = %(content_type)s "
            "ORDER BY entry.id DESC LIMIT %(candidates)s"
        )
        if bylines:
            hits = (
                f"WITH text AS ({text}), byline AS ({bylines}), hit AS ("  # noqa: S608
                "SELECT object_id, title, body, object_id IN (SELECT story_id FROM byline) "
                "AS byline FROM text UNION ALL SELECT story_id, NULL, NULL, true FROM byline "
                "WHERE story_id NOT IN (SELECT object_id FROM text)) "
            )
        else:
            hits = (
                f"WITH hit AS (SELECT object_id, title, body, false AS byline FROM ({text}) AS t) "  # noqa: S608
            )
        rank = (
            "hit.byline DESC, "
            "COALESCE(ts_rank(hit.title, query) * 3 + ts_rank(hit.body, query), 0) DESC"
        )
        sql = (
            f"{hits}SELECT page.id FROM hit "  # noqa: S608
            # Each candidate's page by its key (OFFSET 0 keeps the planner from turning this
            # into a hash join that reads every page).
            f"CROSS JOIN LATERAL (SELECT {page_columns} FROM {page_tables} "
            "WHERE p.id = hit.object_id OFFSET 0) AS page, "
            "to_tsquery(%(terms)s) AS query "
            "WHERE page.path LIKE %(prefix)s AND page.live "
        )
        params["prefix"] = prefix + "%"
    for condition in conditions:
        sql += f"AND {condition} "
    order = "page.published_at DESC" if filters.newest else rank
    sql += f"ORDER BY {order}, page.id DESC LIMIT %(limit)s"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def search_stories(
    query: str, edition, stories, limit: int = MAX_RANKED, filters: Filters | None = None
) -> list[int]:
    """Return the ids of the stories of queryset ``stories`` (e.g. the visible ones, narrowed)
    that match ``query`` in ``edition``, best first, at most ``limit``."""
    ranked = ranked_story_ids(query, edition, limit, filters)
    if ranked is None:
        filters = filters or Filters()
        if filters.section_id is not None:
            stories = stories.filter(
                Q(primary_section_id=filters.section_id)
                | Q(further_sections__id=filters.section_id)
            ).distinct()
        if filters.since is not None:
            stories = stories.filter(published_at__gte=filters.since)
        if filters.until is not None:
            stories = stories.filter(published_at__lt=filters.until)
        if filters.newest:
            stories = stories.order_by("-published_at")
        found = stories.search(query, order_by_relevance=not filters.newest)
        return [story.pk for story in found[:limit]]
    allowed = set(stories.filter(pk__in=ranked).values_list("pk", flat=True))
    return [pk for pk in ranked if pk in allowed]
