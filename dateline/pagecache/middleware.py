"""Mark the public pages as cacheable, with the surrogate keys of what they show and their
validators, so that the page cache (and nginx in front, and any shared cache) may keep them and
answer conditional requests for them.

Only the views listed here are marked: fronts, sections, tags, authors, archives, corrections,
stories and the other Wagtail pages, feeds and sitemaps. Their HTML holds nothing personal:
what is personal (signed-in state, the comment form) is fetched by the page's script, so the
page a signed-in reader gets is the anonymous one, byte for byte, and is marked the same way.
A response that read the session (it asked who the reader is) varies on ``Cookie`` and one that
holds a CSRF token sets its cookie: neither is ever marked."""

import time

from django.conf import settings
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from dateline.pagecache.keys import GLOBAL, KEYS_HEADER, edition_key, is_personal, page_key

PUBLIC_VIEWS = (
    "dateline.fronts.views.home_front",
    "dateline.fronts.views.section_front",
    "dateline.fronts.views.tag_page",
    "dateline.fronts.views.person_page",
    "dateline.fronts.views.archive",
    "dateline.fronts.views.corrections",
    "dateline.syndication.",  # feeds, sitemaps, robots.txt
    "dateline.editions.views.serve_page",  # stories, live coverage, date archives
    "wagtail.views.serve",  # the same outside an edition's address, and edition pages
)
CACHEABLE_STATUSES = frozenset({200, 301, 404, 410})
_NOT_SHARED = ("private", "no-store", "no-cache")


def is_public_page(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or request.method not in ("GET", "HEAD"):
        return False
    if not match._func_path.startswith(PUBLIC_VIEWS):
        return False
    if response.status_code not in CACHEABLE_STATUSES or response.streaming or response.cookies:
        return False
    if is_personal(request.headers.get("Cookie", ""), "Authorization" in request.headers):
        return False
    if "Cookie" in response.headers.get("Vary", ""):
        return False
    cache_control = response.headers.get("Cache-Control", "")
    return not any(word in cache_control for word in _NOT_SHARED)


class PublicPageMiddleware:
    """Give public pages ``Cache-Control: public, max-age=0, s-maxage=PAGE_CACHE_SECONDS``
    (unless the view chose its own public freshness, as feeds and sitemaps do), the header
    that names their surrogate keys (the edition's, or "global", and the Wagtail page's), and
    validators: a strong ``ETag`` (a hash of the bytes, so that a page rendered again after a
    purge has a new one when it changed, and the same one in every worker when it did not) and
    ``Last-Modified`` (when it was rendered).

    Browsers get ``max-age=0``: a cache that no purge reaches must not hold a story that was
    withdrawn, or keep a reader who reloads from the news."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_public_page(request, response):
            return response
        if "public" not in response.headers.get("Cache-Control", ""):
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SECONDS
            )
        edition = getattr(request, "edition", None)
        keys = [edition_key(edition.language_code) if edition is not None else GLOBAL]
        page_id = getattr(request, "dateline_page_id", None)
        if page_id is not None:
            keys.append(page_key(page_id))
        response.headers[KEYS_HEADER] = " ".join(keys)
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response.headers["Last-Modified"] = http_date(time.time())
        return response
