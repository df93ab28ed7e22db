"""Wagtail's database search backend, with SQLite's ranking bounded.

The newsroom's searches (the page explorer's search, the page chooser's, the media bank's) go
through Wagtail's backend. On SQLite it ranks matches by relevance with a subquery per
matching row that runs the full-text match again: a common word of an archive of 100,000
stories took about a minute. Here a query ranks its newest ``MAX_CANDIDATES`` matches (as the
public search does, dateline.search.engine) in one full-text query, the caller's queryset is
narrowed to those, and the requested page is ordered by their scores.

PostgreSQL's backend ranks every match too, but from the stored vectors in one statement
(about 0.1 s for 10,000 matches); a bound there (the newest ids first, then ranking those)
measured slower at 100,000 stories, so it is Wagtail's unchanged.

Whatever a search box is given is searched for as words (the newsroom's boxes, the media bank's,
a chooser's: every ``.search()`` on SQLite comes here). Wagtail's SQLite backend writes each term
into the FTS5 query between double quotes without doubling the quotes in it, so a ``"`` ended the
string early and the query failed ("unterminated string", a 500), and a NUL did the same. Here
each term is one FTS5 string, its quotes doubled and control characters dropped: ``*``, ``(``,
``:``, ``^``, ``NEAR``, ``AND``, ``title:x`` are words to look for, never FTS5 syntax. A query
counts its first ``MAX_TERMS`` terms, as the public search does (a long query is not a slower
one), and the fields a search names are read from the FTS columns that hold them.

Configured as ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "dateline.search.backends"``;
on other databases it is Wagtail's database backend, its queries made safe the same way
(PostgreSQL refuses a NUL, and a query of thousands of terms nested past Python's recursion
limit as it was compiled).
"""

import unicodedata

from django.db import connection
from django.db.models import Case, FloatField, QuerySet, Value, When
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import And, Boost, MatchAll, Not, Or, Phrase, PlainText

from dateline.search import engine

# A page of results is ordered in SQL by its scores; a longer slice (a count, a facet) is not.
ORDERED_SLICE = 1000
# Terms of a query that count (words and quoted phrases); the rest of a long query is ignored.
MAX_TERMS = engine.MAX_WORDS


# A term longer than this is cut (PostgreSQL's backend splits a term at its hyphens as well).
MAX_TERM_LENGTH = 100


def plain(text: str) -> str:
    """``text`` with its control characters (a NUL ends an FTS5 query, PostgreSQL refuses it)
    and lone surrogates made spaces, without the words that hold no letter or digit (an FTS5
    string of punctuation alone matches nothing, so "glacier &" found nothing), its first
    MAX_TERMS words kept, each cut at MAX_TERM_LENGTH characters."""
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in text)
    words = [word for word in kept.split() if engine.WORD.search(word)]
    return " ".join(word[:MAX_TERM_LENGTH] for word in words[:MAX_TERMS])


def safe_query(query):
    """``query`` (a string, or Wagtail's parsed query) with every text in it made plain() and
    at most MAX_TERMS parts to any And or Or, so that no query is slower, deeper or larger for
    what a reader or editor typed; "" when nothing is left to look for."""
    if isinstance(query, str):
        return plain(query)
    if isinstance(query, PlainText):
        text = plain(query.query_string)
        return PlainText(text, operator=query.operator, boost=query.boost) if text else ""
    if isinstance(query, Phrase):
        text = plain(query.query_string)
        return Phrase(text) if text else ""
    if isinstance(query, And | Or):
        parts = [safe_query(part) for part in query.subqueries[:MAX_TERMS]]
        parts = [part for part in parts if part != ""]
        return type(query)(parts) if parts else ""
    if isinstance(query, Not):
        inner = safe_query(query.subquery)
        return Not(inner) if inner != "" else ""
    if isinstance(query, Boost):
        inner = safe_query(query.subquery)
        return Boost(inner, query.boost) if inner != "" else ""
    return query


def fts5_string(text: str) -> str:
    """``text`` as one FTS5 string, its quotes doubled: what it holds is only ever words to
    match."""
    return '"' + plain(text).replace('"', '""') + '"'


class SafeQueries:
    """Every search and autocomplete of a backend takes its query through safe_query()."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        safe = safe_query(query)
        if safe == "" and query != "":
            # Nothing to look for ("()", a lone quote): no results, of the searched model
            # (Wagtail's empty results have no model, and the newsroom's listings need one).
            if not isinstance(model_or_queryset, QuerySet):
                model_or_queryset = model_or_queryset.objects.all()
            model_or_queryset, safe = model_or_queryset.none(), MatchAll()
        return super()._search(query_compiler_class, safe, model_or_queryset, **kwargs)


def bounded_sqlite_backend(params):
    """Return Wagtail's SQLite FTS5 backend ranking a query's newest matches only (the
    module's names are there only when the database is SQLite)."""
    from modelsearch.backends.database.sqlite.query import (
        Lexeme,
        MatchExpression,
        SearchQueryExpression,
        normalize,
    )
    from modelsearch.backends.database.sqlite.sqlite import (
        SQLiteAutocompleteQueryCompiler,
        SQLiteFTSIndexEntry,
        SQLiteSearchBackend,
        SQLiteSearchQueryCompiler,
    )
    from modelsearch.utils import get_descendants_content_types_pks

    class Term(Lexeme):
        """A term of a query as one FTS5 string (a prefix when ``prefix``)."""

        def as_sql(self, compiler, connection):
            return ("%s*" if self.prefix else "%s"), [fts5_string(self.value)]

    class BoundedRanking:
        def check(self):
            super().check()
            # The FTS table has a title, a body and an autocomplete column, not one per
            # field: a search of named fields reads the columns that hold them (Wagtail's
            # backend asked for a column of the field's name, "no such column: name").
            if self.fields is not None:
                if "autocomplete" in self.FTS_TABLE_FIELDS:
                    self.fields = list(self.FTS_TABLE_FIELDS)
                else:
                    columns = {"title" if f == "title" else "body" for f in self.fields}
                    self.fields = [c for c in self.FTS_TABLE_FIELDS if c in columns]

        def build_search_query_content(self, query, config=None):
            """The query as FTS5 text in which every term is a quoted string (see the module's
            note)."""
            if isinstance(query, PlainText):
                terms = query.query_string.split()
                if not terms:
                    return None
                last = Term(terms.pop(), prefix=self.LAST_TERM_IS_PREFIX)
                for term in terms:
                    if query.operator.upper() == "AND":
                        last &= Term(term)
                    else:
                        last |= Term(term)
                return SearchQueryExpression(last, config=config)
            if isinstance(query, Phrase):
                return SearchQueryExpression(Term(query.query_string))
            return super().build_search_query_content(query, config)

        def search(self, config, start, stop, score_field=None):
            normalized = normalize(self.query)
            if isinstance(normalized, MatchAll | Not):
                return super().search(config, start, stop, score_field)
            # A results object asks its compiler again for its count, each page and facets:
            # the scores and the ranking are worked out once per compiler.
            if getattr(self, "_dateline_ranked", None) is None:
                self._dateline_ranked = self._rank(normalized, config)
            scores, ranked = self._dateline_ranked
            if not self.order_by_relevance:
                queryset = self.queryset.filter(pk__in=list(scores))
                if not queryset.query.order_by:
                    queryset = queryset.order_by("-pk")
                return queryset[start:stop]
            chosen = ranked[start or 0 : stop]
            if len(chosen) > ORDERED_SLICE:
                return self.queryset.filter(pk__in=chosen).order_by("-pk")
            field = score_field or "_score"
            scored = Case(
                *(When(pk=pk, then=Value(scores[pk])) for pk in chosen),
                default=Value(0.0),
                output_field=FloatField(),
            )
            return (
                self.queryset.filter(pk__in=chosen)
                .annotate(**{field: scored})
                .order_by(field, "-pk")
            )

        def _rank(self, normalized, config):
            """Return the scores of the newest matches by id, and (ordering by relevance) the
            ids of the queryset's objects among them, best first."""
            match = MatchExpression(
                self.fields or self.FTS_TABLE_FIELDS,
                self.build_search_query(normalized, config=config),
            )
            hits = (
                SQLiteFTSIndexEntry.objects.filter(match)
                .filter(
                    index_entry__content_type__in=get_descendants_content_types_pks(
                        self.queryset.model
                    )
                )
                .annotate(score=self._build_rank_expression(self.get_search_vectors(), config))
                .order_by("-index_entry_id")
                .values_list("index_entry__object_id", "score")[: engine.MAX_CANDIDATES]
            )
            pk_type = self.queryset.model._meta.pk.to_python
            scores = {pk_type(object_id): score for object_id, score in hits}
            if not self.order_by_relevance:
                return scores, []
            # bm25: lower is better; Wagtail orders ties newest (highest id) first.
            found = self.queryset.filter(pk__in=list(scores)).values_list("pk", flat=True)
            return scores, sorted(found, key=lambda pk: (scores[pk], -pk))

    class SearchCompiler(BoundedRanking, SQLiteSearchQueryCompiler):
        pass

    class AutocompleteCompiler(BoundedRanking, SQLiteAutocompleteQueryCompiler):
        pass

    class BoundedSQLiteSearchBackend(SafeQueries, SQLiteSearchBackend):
        query_compiler_class = SearchCompiler
        autocomplete_query_compiler_class = AutocompleteCompiler

    return BoundedSQLiteSearchBackend(params)


def SearchBackend(params):  # noqa: N802 (Wagtail looks the backend up by this name)
    backend = database_backend(params)
    if connection.vendor == "sqlite" and type(backend).__name__ == "SQLiteSearchBackend":
        return bounded_sqlite_backend(params)
    safe = type(f"Safe{type(backend).__name__}", (SafeQueries, type(backend)), {})
    return safe(params)
