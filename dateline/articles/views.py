"""Newsroom views for stories."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from dateline.articles.actions import file_story
from dateline.editions.lookup import live_editions


def new_story(request):
    """Start a story in today's date bucket of an edition: straight away when there is one
    edition (or ?edition=<code> names one), else after asking which."""
    editions = live_editions()
    chosen = request.GET.get("edition")
    if chosen:
        editions = [e for e in editions if e.language_code == chosen]
        if not editions:
            raise Http404("No such edition")
    if len(editions) != 1:
        return render(request, "articles/admin/choose_edition.html", {"editions": editions})
    day = file_story(editions[0], timezone.now())
    return redirect("wagtailadmin_pages:add", "articles", "articlepage", day.pk)
