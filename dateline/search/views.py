from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dateline.articles.models import ArticlePage
from dateline.articles.queries import paginate
from dateline.search.engine import search_stories

MAX_QUERY_LENGTH = 200


def search(request, lang: str):
    """Full-text search over the edition's published stories: headline, standfirst, body."""
    edition = request.edition
    if edition is None:
        raise Http404("No such edition")
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    results = None
    if query:
        # The ranked ids are the edition's (search_stories asks for the edition's matches):
        # the edition in this query too would make SQLite walk the edition's time index
        # rather than look the ids up.
        stories = ArticlePage.objects.visible(timezone.now())
        results = paginate(search_stories(query, edition, stories), request.GET.get("page"))
        # The search gives ids, best first; load what the cards of this page need in one go.
        ids = results.object_list
        loaded = ArticlePage.objects.filter(pk__in=ids).for_cards().in_bulk()
        results.object_list = [loaded[i] for i in ids if i in loaded]
    return render(
        request,
        "search/results.html",
        {"query": query, "results": results, "querystring": urlencode({"q": query})},
    )
