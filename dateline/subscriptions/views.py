from django.http import Http404
from django.shortcuts import get_object_or_404, render

from dateline.sections.models import Section


def subscribe(request, lang: str):
    """The ways to follow the edition: its feeds, and the feed of a section when asked for."""
    edition = request.edition
    if edition is None:
        raise Http404("No such edition")
    section_slug = request.GET.get("section", "")
    section = (
        get_object_or_404(Section, edition=edition, slug=section_slug) if section_slug else None
    )
    return render(request, "subscriptions/subscribe.html", {"section": section})
