"""Activate the language and timezone of the edition a request is addressed to."""

from django.utils import timezone, translation

from dateline.editions.lookup import edition_codes, get_edition


class EditionMiddleware:
    """Set ``request.edition`` from the first segment of the path (/en/…) and activate its
    language and timezone; other paths get ``request.edition = None`` and the site default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = request.path_info.lstrip("/").split("/", 1)[0]
        edition = get_edition(code, request) if code in edition_codes() else None
        request.edition = edition
        if edition is None:
            return self.get_response(request)
        with translation.override(edition.language_code), timezone.override(edition.tzinfo):
            request.LANGUAGE_CODE = edition.language_code
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", edition.language_code)
            # Rendering of template responses happens inside the override, too.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response
