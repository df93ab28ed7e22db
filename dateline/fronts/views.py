from urllib.parse import urlsplit

from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dateline import limits
from dateline.articles.models import ArticlePage, StoryListing
from dateline.articles.queries import corrections_in, paginate, visible_people, visible_tags
from dateline.fronts import actions, queries
from dateline.sections.models import Section


def edition_or_404(request):
    if request.edition is None:
        raise Http404("No such edition")
    return request.edition


def home_front(request, lang: str):
    edition = edition_or_404(request)
    return render(request, "fronts/home_front.html", {"front": queries.home_front(edition)})


def section_front(request, lang: str, section_slug: str):
    edition = edition_or_404(request)
    section = get_object_or_404(Section, edition=edition, slug=section_slug)
    stories = queries.section_stories(section)
    more = paginate(stories.order_by("-published_at"), request.GET.get("page"))
    # Page 1 is laid out as a front; the pages after it are plain lists that go on from it.
    front = queries.section_front(section, more.object_list, stories) if more.number == 1 else None
    return render(
        request, "fronts/section_front.html", {"section": section, "front": front, "stories": more}
    )


def archive(request, lang: str):
    """Every visible story of the edition, newest first, a page at a time."""
    edition = edition_or_404(request)
    stories = paginate(
        queries.edition_stories(edition).order_by("-published_at"), request.GET.get("page")
    )
    return render(request, "fronts/archive.html", {"stories": stories})


def tag_page(request, lang: str, tag_slug: str):
    """The edition's stories with a tag: 404 where no story readers may see carries it."""
    edition = edition_or_404(request)
    tag = get_object_or_404(visible_tags(edition), slug=tag_slug)
    stories = queries.listed_stories(edition, StoryListing.Kind.TAG, tag.pk)
    stories = stories.order_by("-published_at")
    return render(
        request,
        "fronts/tag_page.html",
        {"tag": tag, "stories": paginate(stories, request.GET.get("page"))},
    )


def person_page(request, lang: str, person_slug: str):
    """The edition's stories by a person: 404 where no story readers may see has them in its
    byline (newsroom staff who write none included)."""
    edition = edition_or_404(request)
    person = get_object_or_404(visible_people(edition), slug=person_slug)
    stories = queries.listed_stories(edition, StoryListing.Kind.PERSON, person.pk)
    stories = stories.order_by("-published_at")
    return render(
        request,
        "fronts/person_page.html",
        {"person": person, "stories": paginate(stories, request.GET.get("page"))},
    )


def corrections(request, lang: str):
    """The edition's corrections and update notes, newest first, a page at a time, each with a
    link to its place in the story."""
    edition = edition_or_404(request)
    notes = paginate(corrections_in(edition), request.GET.get("page"))
    return render(request, "fronts/corrections.html", {"notes": notes})


@csrf_exempt  # public pages carry no CSRF token (they are the same for every reader)
@require_POST
@never_cache
def record_read(request, story_id: int):
    """Count one read of a visible story for "most read" and answer 204. The page's script
    (mostread.js) posts here without cookies. An address counts once per story an hour, for a
    bounded number of stories (actions.count_read); past that, 429."""
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.get_host():
        return HttpResponseForbidden()
    if not ArticlePage.objects.visible().filter(pk=story_id).exists():
        raise Http404("No such story")
    if not actions.count_read(story_id, limits.client_bucket(request)):
        return HttpResponse(status=429, headers={"Retry-After": "3600"})
    return HttpResponse(status=204)
