"""The interface language of the account pages, which sit outside every edition (/accounts/)."""

from urllib.parse import urlsplit

from django.utils import timezone, translation

from dateline.editions.lookup import edition_codes, get_edition

SESSION_KEY = "dateline_language"
# Fetched by every page of every edition: it answers a name, no text, and must not make a
# session for each anonymous reader.
NO_LANGUAGE = ("/accounts/state.json",)


class AccountLanguageMiddleware:
    """On /accounts/ pages, speak the language of the edition the reader came from.

    The language is the first segment of ``?next=`` (/ru/…), else of the referring page when it
    is on this site, else the one remembered in the reader's session from an earlier account
    page (so that a form posted back, or the e-mail sent after it, keeps it), else the site's
    default. A language found in ``next`` or the referrer is remembered in the session. The
    page wears that edition's masthead (``request.edition``) and speaks its timezone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith("/accounts/") or path in NO_LANGUAGE:
            return self.get_response(request)
        language = self.language_from_links(request)
        session = getattr(request, "session", None)
        if session is not None:
            if language and session.get(SESSION_KEY) != language:
                session[SESSION_KEY] = language
            language = language or session.get(SESSION_KEY)
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
            return response

    @staticmethod
    def language_from_links(request) -> str | None:
        """Return the edition code that ``next`` or the referring page of this site starts
        with, or None."""
        candidates = [request.GET.get("next", "")]
        referrer = urlsplit(request.headers.get("Referer", ""))
        if referrer.netloc and referrer.netloc == request.get_host():
            candidates.append(referrer.path)
        for link in candidates:
            if link.startswith("/") and not link.startswith("//"):
                code = link.lstrip("/").split("/", 1)[0]
                if code in edition_codes():
                    return code
        return None
