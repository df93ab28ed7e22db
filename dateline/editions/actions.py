"""Creating editions."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from dateline.editions.models import DATE_STYLES, Edition, validate_time_zone


def site_root() -> Page:
    """Return the tree's root page, made the default site's root: editions hang below it,
    so that their addresses start with their language code."""
    root = Page.get_first_root_node()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=root,
            is_default_site=True,
            site_name="Dateline",
        )
    elif site.root_page_id != root.pk:
        previous = site.root_page
        site.root_page = root
        site.save()
        # Wagtail's placeholder home page has no place in a news site.
        if previous.specific_class is Page and previous.depth == 2 and not previous.numchild:
            previous.delete()
    return root


@transaction.atomic
def create_edition(
    language_code: str,
    *,
    site_name: str,
    tagline: str = "",
    agency: str,
    time_zone: str = "UTC",
    date_style: str = "day-month",
    footer_note: str = "",
) -> Edition:
    """Return the edition for ``language_code``, creating it (live) if it does not exist.
    An existing edition is left as it is."""
    existing = Edition.objects.filter(slug=language_code, depth=2).first()
    if existing:
        return existing
    locale, _created = Locale.objects.get_or_create(language_code=language_code)
    edition = Edition(
        title=site_name,
        slug=language_code,
        locale=locale,
        site_name=site_name,
        tagline=tagline,
        agency=agency,
        time_zone=time_zone,
        date_style=date_style,
        footer_note=footer_note,
        live=True,
    )
    validate_time_zone(time_zone)
    if date_style not in DATE_STYLES:
        raise ValueError(f"Unknown date style {date_style!r}; use one of {sorted(DATE_STYLES)}.")
    site_root().add_child(instance=edition)
    edition.save_revision().publish()
    return edition


class TranslationLinkRefused(ValueError):
    """Two pages that cannot be linked as translations; the message says why."""


@transaction.atomic
def link_translation(page: Page, original: Page) -> None:
    """Link ``page`` to ``original`` as its translation: ``page`` joins ``original``'s group
    (Wagtail's translation_key), in its stored row and in every revision, so that publishing
    an older or newer revision keeps the link. Raise TranslationLinkRefused when both are in
    the same locale or ``original``'s group already has a page in ``page``'s locale."""
    if page.locale_id == original.locale_id:
        raise TranslationLinkRefused(f"{page} and {original} are in the same edition")
    taken = (
        Page.objects.filter(translation_key=original.translation_key, locale_id=page.locale_id)
        .exclude(pk=page.pk)
        .first()
    )
    if taken is not None:
        raise TranslationLinkRefused(f"{original} already has a translation there: {taken}")
    key = original.translation_key
    Page.objects.filter(pk=page.pk).update(translation_key=key)
    for revision in page.revisions.all():
        revision.content["translation_key"] = str(key)
        revision.save(update_fields=["content"])
    page.translation_key = key
