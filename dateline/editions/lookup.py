"""Find the edition a request or a language code belongs to."""

from django.conf import settings

from dateline.editions.models import Edition


def edition_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def get_edition(code: str, request=None) -> Edition | None:
    """Return the live edition whose language code is ``code``, or None (from the live
    editions of ``request``, when given: see live_editions)."""
    if code not in edition_codes():
        return None
    # The locale is checked here, not in SQL: with it in the query SQLite reads every page of
    # the locale (the whole archive) instead of the few editions.
    for edition in live_editions(request):
        if edition.slug == code and edition.language_code == code:
            return edition
    return None


def live_editions(request=None) -> list[Edition]:
    """Return the live editions in tree order, with their locales. With ``request``, read them
    once for the request: its edition, its language switcher and its hreflang links all ask."""
    if request is not None and hasattr(request, "live_editions"):
        return request.live_editions
    editions = list(
        Edition.objects.live().filter(depth=2).select_related("locale").order_by("path")
    )
    if request is not None:
        request.live_editions = editions
    return editions


def edition_id_for_path(path: str) -> int | None:
    """Return the id of the edition a page at tree ``path`` is filed under (its ancestor at
    depth 2), or None."""
    if not path:
        return None
    edition = Edition.objects.filter(path=path[: Edition.steplen * 2]).only("pk").first()
    return edition.pk if edition else None
