from django.http import Http404, HttpResponseRedirect
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_request
from wagtail.views import serve as wagtail_serve

from dateline.editions.lookup import live_editions


def choose_edition(request):
    """Send the reader to the edition that fits their Accept-Language; English by default."""
    editions = {e.language_code: e for e in live_editions()}
    if not editions:
        return HttpResponseRedirect("/admin/")
    preferred = get_language_from_request(request, check_path=False)
    code = (
        preferred if preferred in editions else ("en" if "en" in editions else next(iter(editions)))
    )
    response = HttpResponseRedirect(f"/{code}/")
    patch_vary_headers(response, ["Accept-Language"])
    return response


def serve_page(request, path):
    """Serve the Wagtail page at ``path`` (a date archive, a story, live coverage).

    Editions hang below the tree's root, which is the site's root page (actions.site_root),
    and the request's edition is already loaded (EditionMiddleware): the route starts from it.
    Wagtail's own routing would find the site, the active locale, the edition and its specific
    row again (four queries). Its view then serves the route, with its hooks (view
    restrictions among them), from the route cache it documents."""
    edition = getattr(request, "edition", None)
    if edition is not None and not hasattr(request, "_wagtail_route_for_request"):
        components = [component for component in path.split("/") if component]
        try:
            route = edition.route(request, components[1:])
        except Http404:
            route = None
        request._wagtail_route_for_request = route
    return wagtail_serve(request, path)
