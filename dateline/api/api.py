"""The read API at /api/: stories, the newsfeed, photos, and each story as ninjs and NewsML-G2.

Read-only; it shows exactly what readers see (``access.py``), with or without an API key. A key
identifies a partner and gives it its own rate limit (``clients.py``, ``limits.py``). The OpenAPI
document is at /api/openapi.json and its Swagger UI at /api/docs, served from this site's own
static files (django-ninja bundles them), so the docs work without outside network and under
the site's ``script-src 'self'`` policy.
"""

import datetime as dt
import json
import re
from typing import Annotated

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Path, Query
from ninja.errors import HttpError
from pydantic import BeforeValidator

from dateline.api import access, clients, cursors, openapi
from dateline.api.schemas import (
    EditionOut,
    ErrorOut,
    NewsfeedItem,
    PhotoOut,
    PhotoPage,
    SectionOut,
    StoryDetailOut,
    StoryPage,
    edition_out,
    photo_out,
    section_out,
    story_detail_out,
    story_out,
)
from dateline.articles.models import ArticlePage
from dateline.articles.queries import visible_people, visible_tags
from dateline.articles.structured_data import absolute
from dateline.editions.lookup import get_edition, live_editions
from dateline.search.engine import search_stories
from dateline.sections.models import Section
from dateline.syndication import newsml, ninjs

MAX_QUERY_LENGTH = 200
# Full-text results narrowed by section, tag or author are taken from the best ranked matches.
MAX_RANKED = 1_000
NEWSML_TYPE = "application/vnd.iptc.g2.newsitem+xml"
NINJS_TYPE = "application/json"
# An RFC 3339 date and time; without its offset it is refused with a 400 that says so (aware()).
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?")


def _rfc3339(value):
    # Pydantic alone would also read "1700000000" as a Unix time and "2026-11-29" as midnight.
    if isinstance(value, str) and not RFC3339.fullmatch(value):
        raise ValueError("Use an ISO 8601 date and time, e.g. 2026-11-29T10:00:00Z.")
    return value


Moment = Annotated[dt.datetime | None, BeforeValidator(_rfc3339)]
# Ids are 64-bit database keys; a larger number in a path is refused (422) before any query.
MAX_ID = 2**63 - 1


class ReadApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return openapi.document_access(super().get_openapi_schema(**kwargs))


api = ReadApi(
    title="Dateline read API",
    version="1.0",
    description=(
        "Published stories, the newsfeed and photos of every edition, as JSON, IPTC ninjs "
        "(2.2 and 3.1) and IPTC NewsML-G2 2.35. Lists use cursor pagination: pass "
        "`next_cursor` back as `cursor`. Nothing is shown before its publication time.\n\n"
        "Partners send the API key the newsroom gave them as `X-Api-Key: <key>` or "
        "`Authorization: Bearer <key>`; without a key the API answers anonymously. Each key has "
        "its own limit of requests per minute, and anonymous clients a lower one per address; "
        "past it the answer is 429 with `Retry-After`. A key that is not valid or was revoked "
        "gets 401. A key shows exactly what anonymous clients see."
    ),
    urls_namespace="api",
    auth=clients.AUTH,
)


@api.exception_handler(cursors.BadCursor)
def bad_cursor(request, error):
    return api.create_response(request, {"detail": str(error)}, status=400)


@api.exception_handler(clients.InvalidKey)
def invalid_key(request, error):
    response = api.create_response(request, {"detail": str(error)}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
    add_never_cache_headers(response)
    return response


@api.exception_handler(clients.RateLimited)
def rate_limited(request, error):
    refusal = error.refusal
    if error.who == "key":
        allowed = ngettext(
            "This API key may make %(limit)d request a minute.",
            "This API key may make %(limit)d requests a minute.",
            refusal.limit,
        )
    else:
        allowed = ngettext(
            "Without an API key, an address may make %(limit)d request a minute.",
            "Without an API key, an address may make %(limit)d requests a minute.",
            refusal.limit,
        )
    wait = ngettext(
        "Try again in %(seconds)d second.", "Try again in %(seconds)d seconds.", refusal.retry_after
    )
    detail = " ".join(
        [
            gettext("Too many requests."),
            allowed % {"limit": refusal.limit},
            wait % {"seconds": refusal.retry_after},
        ]
    )
    response = api.create_response(request, {"detail": detail}, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    add_never_cache_headers(response)
    return response


@csrf_exempt  # read-only, like the API's routes: a POST gets the same JSON 404, not a CSRF page
def not_found(request):
    """Answer any address under /api/ that no route matches, in JSON like the API's own 404s
    (not the site's HTML page, nor a redirect to the address with a slash)."""
    return JsonResponse({"detail": "Not Found"}, status=404)


def cached(response: HttpResponse, seconds: int = 60) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=seconds)
    return response


def next_url(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    return f"{settings.SITE_URL}{request.path}?{params.urlencode()}"


def edition_or_400(code: str):
    edition = get_edition(code)
    if edition is None:
        raise HttpError(400, f"There is no edition '{code}'.")
    return edition


def aware(name: str, value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        raise HttpError(400, f"'{name}' needs a time zone offset, e.g. 2026-11-29T10:00:00Z.")
    return value


def with_story_details(stories):
    return stories.select_related("dateline_place").prefetch_related(
        "bylines__person", "tags", "further_sections"
    )


# --- editions


@api.get("/editions", response=list[EditionOut], tags=["editions"])
def list_editions(request):
    """Every live edition: one per language."""
    return [edition_out(e) for e in live_editions()]


@api.get(
    "/editions/{lang}/sections",
    response={200: list[SectionOut], 404: ErrorOut},
    tags=["editions"],
)
def list_sections(request, lang: str):
    """The sections of an edition, in navigation order."""
    edition = get_edition(lang)
    if edition is None:
        raise HttpError(404, f"There is no edition '{lang}'.")
    return [section_out(s) for s in edition.sections.select_related("edition")]


@api.get(
    "/editions/{lang}/newsfeed",
    response={200: list[NewsfeedItem], 404: ErrorOut},
    tags=["editions"],
)
def newsfeed(request, lang: str, limit: int = Query(20, ge=1, le=50)):
    """The edition's newsfeed: its latest published stories, newest first."""
    edition = get_edition(lang)
    if edition is None:
        raise HttpError(404, f"There is no edition '{lang}'.")
    stories = (
        access.visible_stories().filter(edition=edition).order_by("-published_at", "-pk")[:limit]
    )
    return [
        {
            "id": s.pk,
            "headline": s.title,
            "url": absolute(s.url),
            "section": s.primary_section.name,
            "kind": s.kind,
            "published_at": s.published_at,
            "api_url": absolute(f"/api/stories/{s.pk}"),
        }
        for s in stories
    ]


# --- stories


@api.get("/stories", response={200: StoryPage, 400: ErrorOut}, tags=["stories"])
def list_stories(
    request,
    edition: str | None = None,
    section: str | None = None,
    tag: str | None = None,
    author: str | None = None,
    since: Moment = None,
    until: Moment = None,
    q: str | None = None,
    cursor: str | None = None,
    limit: int = Query(20, ge=1, le=100),
):
    """Published stories, newest first (by relevance with `q`).

    Filters combine: `edition` (language code), `section` (slug, needs `edition`), `tag`
    (slug), `author` (person slug), `since` and `until` (publication time, ISO 8601 with an
    offset; `since` inclusive, `until` exclusive), `q` (full text over headline, standfirst
    and body).
    """
    stories = access.visible_stories()
    found_edition = edition_or_400(edition) if edition else None
    if found_edition and not (q or "").strip():
        # (A search asks for the edition's matches itself; the edition in the query as well
        # would make SQLite walk the edition's time index rather than look the ids up.)
        stories = stories.filter(edition=found_edition)
    narrowed = stories
    if section:
        if not found_edition:
            raise HttpError(400, "'section' needs 'edition': section slugs belong to an edition.")
        found = Section.objects.filter(edition=found_edition, slug=section).first()
        if found is None:
            raise HttpError(400, f"Edition '{edition}' has no section '{section}'.")
        further = ArticlePage.further_sections.through.objects.filter(section=found)
        narrowed = narrowed.filter(
            Q(primary_section=found) | Q(pk__in=further.values("articlepage_id"))
        )
    if tag:
        # A tag or author only unpublished stories have is no tag or author to a reader.
        found_tag = visible_tags(found_edition).filter(slug=tag).first()
        if found_tag is None:
            raise HttpError(400, f"There is no tag '{tag}'.")
        narrowed = narrowed.filter(tags=found_tag)
    if author:
        person = visible_people(found_edition).filter(slug=author).first()
        if person is None:
            raise HttpError(400, f"There is no author '{author}'.")
        narrowed = narrowed.filter(bylines__person=person)
    since, until = aware("since", since), aware("until", until)
    if since and until and since >= until:
        raise HttpError(400, "'since' must be before 'until'.")
    time_range = {}
    if since:
        time_range["published_at__gte"] = since
    if until:
        time_range["published_at__lt"] = until
    query = " ".join((q or "").split())[:MAX_QUERY_LENGTH]

    if query:
        page, next_cursor = _search_page(narrowed, time_range, query, cursor, limit, found_edition)
    else:
        ordered = with_story_details(narrowed.filter(**time_range)).order_by("-published_at", "-pk")
        if cursor:
            moment, pk = cursors.read_story_cursor(cursor)
            ordered = ordered.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk))
        page = list(ordered[: limit + 1])
        next_cursor = cursors.story_cursor(page[limit - 1]) if len(page) > limit else None
        page = page[:limit]
    return {
        "items": [story_out(s) for s in page],
        "next_cursor": next_cursor,
        "next": next_url(request, next_cursor),
    }


def _search_page(narrowed, time_range, query, cursor, limit, edition=None):
    """Return a page of full-text matches, best first, and the cursor of the next page: the
    best ``MAX_RANKED`` matches in the edition (all editions without one) straight from the
    search index, narrowed by time, section, tag and author."""
    offset = cursors.read_offset_cursor(cursor) if cursor else 0
    ranked = search_stories(query, edition, narrowed.filter(**time_range), MAX_RANKED)
    ids = ranked[offset : offset + limit + 1]
    loaded = with_story_details(ArticlePage.objects.filter(pk__in=ids).for_cards()).in_bulk()
    page = [loaded[pk] for pk in ids[:limit] if pk in loaded]
    next_cursor = cursors.offset_cursor(offset + limit) if len(ids) > limit else None
    return page, next_cursor


@api.get("/stories/{int:story_id}", response={200: StoryDetailOut, 404: ErrorOut}, tags=["stories"])
def get_story(request, story_id: int = Path(..., ge=1, le=MAX_ID)):
    """One published story with its body (HTML), photos and corrections."""
    return story_detail_out(access.access_story(story_id))


def document_responses(content_type: str, schema: dict) -> dict:
    return {
        "responses": {
            200: {"description": "The document.", "content": {content_type: {"schema": schema}}},
            404: {
                "description": "No published story or public photo has this id.",
                "content": {"application/json": {"schema": openapi.ERROR_REF}},
            },
        }
    }


NINJS_RESPONSES = document_responses(
    NINJS_TYPE, {"type": "object", "description": "An IPTC ninjs document."}
)
NEWSML_RESPONSES = document_responses(
    NEWSML_TYPE, {"type": "string", "description": "An IPTC NewsML-G2 newsItem."}
)


def _document(body: bytes | str, content_type: str) -> HttpResponse:
    return cached(HttpResponse(body, content_type=f"{content_type}; charset=utf-8"))


@api.get("/stories/{int:story_id}.ninjs.json", tags=["formats"], openapi_extra=NINJS_RESPONSES)
def story_as_ninjs(request, story_id: int = Path(..., ge=1, le=MAX_ID)):
    """The story as IPTC ninjs 2.2, its photos as associations with renditions and rights."""
    document = ninjs.story_ninjs(access.access_story(story_id), "2.2")
    return _document(json.dumps(document, ensure_ascii=False), NINJS_TYPE)


@api.get("/stories/{int:story_id}.ninjs3.json", tags=["formats"], openapi_extra=NINJS_RESPONSES)
def story_as_ninjs3(request, story_id: int = Path(..., ge=1, le=MAX_ID)):
    """The story as IPTC ninjs 3.1."""
    document = ninjs.story_ninjs(access.access_story(story_id), "3.1")
    return _document(json.dumps(document, ensure_ascii=False), NINJS_TYPE)


@api.get("/stories/{int:story_id}.newsml.xml", tags=["formats"], openapi_extra=NEWSML_RESPONSES)
def story_as_newsml(request, story_id: int = Path(..., ge=1, le=MAX_ID)):
    """The story as an IPTC NewsML-G2 2.35 news item; its photos are linked picture items."""
    return _document(newsml.story_newsml(access.access_story(story_id)), NEWSML_TYPE)


# --- photos


@api.get("/photos", response={200: PhotoPage, 400: ErrorOut}, tags=["photos"])
def list_photos(request, cursor: str | None = None, limit: int = Query(20, ge=1, le=100)):
    """Public photos (those a published story shows), newest first."""
    photos = access.public_photo_queryset().order_by("-pk")
    if cursor:
        photos = photos.filter(pk__lt=cursors.read_id_cursor(cursor))
    page = list(photos[: limit + 1])
    next_cursor = cursors.id_cursor(page[limit - 1].pk) if len(page) > limit else None
    return {
        "items": [photo_out(p) for p in page[:limit]],
        "next_cursor": next_cursor,
        "next": next_url(request, next_cursor),
    }


@api.get("/photos/{int:photo_id}", response={200: PhotoOut, 404: ErrorOut}, tags=["photos"])
def get_photo(request, photo_id: int = Path(..., ge=1, le=MAX_ID)):
    """One public photo with its credit, rights and public renditions."""
    return photo_out(access.access_photo(photo_id))


@api.get("/photos/{int:photo_id}.ninjs.json", tags=["formats"], openapi_extra=NINJS_RESPONSES)
def photo_as_ninjs(request, photo_id: int = Path(..., ge=1, le=MAX_ID)):
    """The photo as an IPTC ninjs 2.2 picture."""
    document = ninjs.photo_ninjs(access.access_photo(photo_id), "2.2")
    return _document(json.dumps(document, ensure_ascii=False), NINJS_TYPE)


@api.get("/photos/{int:photo_id}.newsml.xml", tags=["formats"], openapi_extra=NEWSML_RESPONSES)
def photo_as_newsml(request, photo_id: int = Path(..., ge=1, le=MAX_ID)):
    """The photo as an IPTC NewsML-G2 2.35 picture news item with its renditions."""
    return _document(newsml.photo_newsml(access.access_photo(photo_id)), NEWSML_TYPE)
