"""The sitemaps and robots.txt, as HTTP responses."""

from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from dateline.syndication import sitemaps

XML = "application/xml; charset=utf-8"


def _edition(request):
    if request.edition is None:
        raise Http404("No such edition")
    return request.edition


@require_safe
@cache_control(public=True, max_age=600)
def sitemap_index(request):
    return HttpResponse(sitemaps.render_index(sitemaps.sitemap_index()), content_type=XML)


@require_safe
@cache_control(public=True, max_age=600)
def pages_sitemap(request, lang: str):
    entries = sitemaps.page_entries(_edition(request))
    return HttpResponse(sitemaps.render_urlset(entries), content_type=XML)


@require_safe
@cache_control(public=True, max_age=300)
def news_sitemap(request, lang: str):
    """The Google News sitemap. With no story in the last two days it is an empty
    ``<urlset>``, which the index then does not list."""
    entries = sitemaps.news_entries(_edition(request))
    return HttpResponse(sitemaps.render_urlset(entries), content_type=XML)


@require_safe
@cache_control(public=True, max_age=3600)
def tags_sitemap(request, lang: str, n: str):
    entries = sitemaps.tag_entries(_edition(request), int(n))
    if not entries:
        raise Http404("No such sitemap")
    return HttpResponse(sitemaps.render_urlset(entries), content_type=XML)


@require_safe
@cache_control(public=True, max_age=3600)
def stories_sitemap(request, lang: str, year: str, month: str, n: str | None = None):
    entries = sitemaps.story_entries(_edition(request), int(year), int(month), int(n or 1))
    if not entries:
        raise Http404("No such sitemap")
    return HttpResponse(sitemaps.render_urlset(entries), content_type=XML)


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    return HttpResponse(sitemaps.robots_txt(), content_type="text/plain; charset=utf-8")
