from django.conf import settings
from django.utils.functional import SimpleLazyObject


def edition(request):
    """Expose the request's edition, its navigation sections (queried only when a template
    uses them) and the site's public address."""
    current = getattr(request, "edition", None)
    if current is None and request.path.startswith(("/mediabank/", "/accounts/")):
        # The media bank and reader accounts belong to no edition; they wear the default
        # edition's masthead.
        from dateline.editions.lookup import get_edition

        current = get_edition(settings.LANGUAGE_CODE, request)

    def nav_sections():
        if current is None:
            return []
        return list(current.sections.filter(in_navigation=True))

    return {
        "edition": current,
        "edition_sections": SimpleLazyObject(nav_sections),
        "site_url": settings.SITE_URL,
    }
