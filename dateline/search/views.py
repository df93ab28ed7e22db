import datetime as dt
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dateline.articles.models import ArticlePage
from dateline.articles.queries import paginate
from dateline.search.engine import Filters, search_stories
from dateline.search.snippets import highlight, snippet, words_pattern
from dateline.search.vocabulary import suggest

MAX_QUERY_LENGTH = 200
# The date presets: the value in the address, its label, how far back it reaches.
PERIODS = {
    "day": (pgettext_lazy("search", "Past 24 hours"), dt.timedelta(days=1)),
    "week": (pgettext_lazy("search", "Past week"), dt.timedelta(days=7)),
    "month": (pgettext_lazy("search", "Past month"), dt.timedelta(days=31)),
    "year": (pgettext_lazy("search", "Past year"), dt.timedelta(days=365)),
}
SORTS = {"relevance": pgettext_lazy("search", "Most relevant"), "newest": _("Newest first")}


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()) if value else None
    except ValueError:
        return None


def read_filters(request, edition, sections) -> tuple[Filters, dict]:
    """Return the filters the request asks for and the form's values (what is not understood
    is left out of both)."""
    get = request.GET
    section = next((s for s in sections if s.slug == get.get("section")), None)
    period = get.get("when") if get.get("when") in PERIODS else ""
    start, end = parse_date(get.get("from", "")), parse_date(get.get("to", ""))
    if start and end and end < start:
        start, end = end, start
    sort = "newest" if get.get("sort") == "newest" else "relevance"
    now = timezone.now()
    since = now - PERIODS[period][1] if period else None
    until = None

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=edition.tzinfo)

    # The days are the edition's: a story of the evening of the 7th in its time zone is the 7th's.
    if start:
        since = max(since, midnight(start)) if since else midnight(start)
    if end:
        until = midnight(end + dt.timedelta(days=1))
    filters = Filters(
        section_id=section.pk if section else None,
        since=since,
        until=until,
        newest=sort == "newest",
    )
    values = {
        "section": section.slug if section else "",
        "when": period,
        "from": start.isoformat() if start else "",
        "to": end.isoformat() if end else "",
        "sort": sort if sort != "relevance" else "",
    }
    return filters, values


def search(request, lang: str):
    """Full-text search over the edition's published stories: headline, standfirst, body and
    bylines, narrowed by section and date, by relevance or newest first."""
    edition = request.edition
    if edition is None:
        raise Http404("No such edition")
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    sections = list(edition.sections.all())
    filters, values = read_filters(request, edition, sections)
    results = suggestion = None
    rows = []
    kept = {name: value for name, value in values.items() if value}
    if query:
        # The ranked ids are the edition's (search_stories asks for the edition's matches):
        # the edition in this query too would make SQLite walk the edition's time index
        # rather than look the ids up.
        stories = ArticlePage.objects.visible(timezone.now())
        ids = search_stories(query, edition, stories, filters=filters)
        results = paginate(ids, request.GET.get("page"))
        # The search gives ids, best first; load what the rows of this page need in one go.
        ids = results.object_list
        loaded = (
            ArticlePage.objects.filter(pk__in=ids)
            .for_cards()
            .prefetch_related("bylines__person")
            .in_bulk()
        )
        pattern = words_pattern(query)
        results.object_list = [loaded[i] for i in ids if i in loaded]
        rows = [
            {
                "story": story,
                "headline": highlight(story.title, pattern),
                "snippet": snippet(story, query),
                "bylines": [byline.person.name for byline in story.bylines.all()],
            }
            for story in results.object_list
        ]
        corrected = suggest(query, edition)
        if corrected and corrected != query.lower():
            suggestion = {
                "query": corrected,
                "querystring": urlencode({"q": corrected, **kept}),
            }
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "results": results,
            "rows": rows,
            "suggestion": suggestion,
            "sections": sections,
            "periods": [(key, label) for key, (label, _delta) in PERIODS.items()],
            "sorts": list(SORTS.items()),
            "values": values,
            "filtered": any(values[name] for name in ("section", "when", "from", "to")),
            "querystring": urlencode({"q": query, **kept}),
            "unfiltered": urlencode(
                {"q": query, **({"sort": values["sort"]} if values["sort"] else {})}
            ),
        },
    )
