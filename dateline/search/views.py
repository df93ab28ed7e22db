from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dateline.articles.models import ArticlePage
from dateline.articles.queries import paginate

MAX_QUERY_LENGTH = 200


def search(request, lang: str):
    """Full-text search over the edition's published stories: headline, standfirst, body."""
    edition = request.edition
    if edition is None:
        raise Http404("No such edition")
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    results = None
    if query:
        stories = ArticlePage.objects.visible(timezone.now()).filter(edition=edition)
        results = paginate(stories.search(query, order_by_relevance=True), request.GET.get("page"))
        # The search backend returns pages of stories; load what the cards need in one go.
        ids = [story.pk for story in results.object_list]
        loaded = ArticlePage.objects.filter(pk__in=ids).for_cards().in_bulk()
        results.object_list = [loaded[i] for i in ids if i in loaded]
    return render(
        request,
        "search/results.html",
        {"query": query, "results": results, "querystring": urlencode({"q": query})},
    )
