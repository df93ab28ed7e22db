"""Find the edition a request or a language code belongs to."""

from django.conf import settings

from dateline.editions.models import Edition


def edition_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def get_edition(code: str) -> Edition | None:
    """Return the live edition whose language code is ``code``, or None."""
    if code not in edition_codes():
        return None
    # The locale is checked here, not in SQL: with it in the query SQLite reads every page of
    # the locale (the whole archive) instead of the few pages with this slug.
    for edition in Edition.objects.live().select_related("locale").filter(slug=code, depth=2):
        if edition.locale.language_code == code:
            return edition
    return None


def live_editions() -> list[Edition]:
    return list(Edition.objects.live().filter(depth=2).select_related("locale").order_by("path"))


def edition_id_for_path(path: str) -> int | None:
    """Return the id of the edition a page at tree ``path`` is filed under (its ancestor at
    depth 2), or None."""
    if not path:
        return None
    edition = Edition.objects.filter(path=path[: Edition.steplen * 2]).only("pk").first()
    return edition.pk if edition else None
