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

Configured as ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "dateline.search.backends"``;
on other databases it is Wagtail's database backend unchanged.
"""

from django.db import connection
from django.db.models import Case, FloatField, Value, When
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import MatchAll, Not

from dateline.search import engine

# A page of results is ordered in SQL by its scores; a longer slice (a count, a facet) is not.
ORDERED_SLICE = 1000


def bounded_sqlite_backend(params):
    """Return Wagtail's SQLite FTS5 backend ranking a query's newest matches only (the
    module's names are there only when the database is SQLite)."""
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
    from modelsearch.backends.database.sqlite.sqlite import (
        SQLiteAutocompleteQueryCompiler,
        SQLiteFTSIndexEntry,
        SQLiteSearchBackend,
        SQLiteSearchQueryCompiler,
    )
    from modelsearch.utils import get_descendants_content_types_pks

    class BoundedRanking:
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

    class BoundedSQLiteSearchBackend(SQLiteSearchBackend):
        query_compiler_class = SearchCompiler
        autocomplete_query_compiler_class = AutocompleteCompiler

    return BoundedSQLiteSearchBackend(params)


def SearchBackend(params):  # noqa: N802 (Wagtail looks the backend up by this name)
    backend = database_backend(params)
    if connection.vendor == "sqlite" and type(backend).__name__ == "SQLiteSearchBackend":
        return bounded_sqlite_backend(params)
    return backend
