"""The interface language of the pages that sit outside every edition: reader accounts
(/accounts/) and the media bank (/mediabank/)."""

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.utils import timezone, translation

from dateline.editions.lookup import edition_codes, get_edition

# Not the session: a page that reads the session varies on Cookie, and the page cache would
# keep none of the pages that did (dateline.pagecache.middleware).
COOKIE = "dateline_language"
COOKIE_AGE = 365 * 24 * 3600
PATHS = ("/accounts/", "/mediabank/")
# Fetched by every page of every edition: it answers a name, no text, and sets no cookie.
NO_LANGUAGE = ("/accounts/state.json",)


class ReaderLanguageMiddleware:
    """On account and media bank pages, speak the language of the edition the reader came from.

    The language is the first segment of ``?next=`` (/ru/…), else of the referring page when it
    is on this site (or of that page's own ``next``), else the one a cookie remembers from an
    earlier such page (so that a form posted back, or the e-mail sent after it, keeps it),
    else the site's default. A language found in a link is remembered in the cookie. The page
    wears that edition's masthead (``request.edition``) and speaks its timezone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(PATHS) or path in NO_LANGUAGE:
            return self.get_response(request)
        linked = self.language_from_links(request)
        remembered = request.COOKIES.get(COOKIE)
        language = linked or remembered
        edition = get_edition(language) if language in edition_codes() else None
        if edition is None:
            return self.get_response(request)
        request.edition = edition
        with translation.override(language), timezone.override(edition.tzinfo):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        if linked and linked != remembered:
            response.set_cookie(
                COOKIE,
                linked,
                max_age=COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def language_from_links(request) -> str | None:
        """Return the edition code that ``next``, the referring page of this site or that
        page's ``next`` starts with, or None."""
        candidates = [request.GET.get("next", "")]
        referrer = urlsplit(request.headers.get("Referer", ""))
        if referrer.netloc and referrer.netloc == request.get_host():
            candidates += [referrer.path, *parse_qs(referrer.query).get("next", [])]
        for link in candidates:
            if link.startswith("/") and not link.startswith("//"):
                code = link.lstrip("/").split("/", 1)[0]
                if code in edition_codes():
                    return code
        return None
