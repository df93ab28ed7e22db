from django.http import HttpResponseRedirect
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_request

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
