"""Linked translations: the same story in several editions.

A translation is a page of another edition that shares Wagtail's ``translation_key`` with the
original (TranslatableMixin: one key per group, one page per locale in it). Editions are the
locales, so a group holds at most one page per edition. Everything that names a page's
translations (the language switcher, the article's "Also in", hreflang links and the sitemaps)
asks this module, so that they agree on which translations a reader may see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from wagtail.models import Page

from dateline.editions.lookup import live_editions


def language_name(code: str) -> str:
    """Return the name of the language ``code`` in that language (settings.LANGUAGES)."""
    return dict(settings.LANGUAGES).get(code, code)


def _readable(queryset):
    # A model with a visibility rule of its own (stories: live, published, not embargoed or
    # withdrawn) narrows by it; other pages by Wagtail's live flag.
    return queryset.visible() if hasattr(queryset, "visible") else queryset.live()


def translation_groups(pages, request=None) -> dict[int, dict[str, str]]:
    """Return, for each of ``pages`` that has translations readers may see in other live
    editions, ``{language code: URL}`` of its whole group, itself included. Pages without
    visible translations are left out. One query per page model, whatever the number of pages
    (and one for the live editions, unless ``request`` has read them: live_editions).
    """
    pages = [p for p in pages if getattr(p, "translation_key", None)]
    if not pages:
        return {}
    codes = {edition.locale_id: edition.language_code for edition in live_editions(request)}
    if len(codes) < 2:
        return {}
    by_model: dict[type, set] = {}
    for page in pages:
        by_model.setdefault(type(page), set()).add(page.translation_key)
    groups: dict = {}
    for model, keys in by_model.items():
        manager = model.objects if model is not Page else Page.objects
        found = _readable(manager.filter(translation_key__in=keys, locale_id__in=codes))
        for found_page in found:
            url = found_page.url
            if url:
                groups.setdefault(found_page.translation_key, {})[codes[found_page.locale_id]] = url
    result = {}
    for page in pages:
        group = dict(groups.get(page.translation_key, {}))
        if page.locale_id in codes and page.pk:
            # The page itself counts even when the reader is looking at a preview of it.
            group.setdefault(codes[page.locale_id], page.url or "")
        if len(group) > 1:
            result[page.pk] = dict(sorted(group.items()))
    return result


def translations_of(page, request=None) -> dict[str, str]:
    """Return ``{language code: URL}`` of ``page`` and its visible translations, or {} when it
    has none (served to ``request``, when given: see live_editions)."""
    if page is None or not isinstance(page, Page) or not page.pk:
        return {}
    # A page's template asks several times (switcher, "Also in", hreflang): look up once.
    if not hasattr(page, "_edition_translations"):
        page._edition_translations = translation_groups([page], request).get(page.pk, {})
    return page._edition_translations


@dataclass(frozen=True)
class EditionLink:
    """One entry of the language switcher."""

    language_code: str
    name: str  # the language's name in itself
    url: str
    is_current: bool
    is_translation: bool  # the same story in that edition, not its home front


def switcher_links(current_edition, page=None, request=None) -> list[EditionLink]:
    """Return an entry per live edition: the same story when it has a translation there, else
    that edition's home front. The current edition's entry points at the page itself.
    (``request``, when given, is the request served: see live_editions.)"""
    translations = translations_of(page, request)
    links = []
    for edition in live_editions(request):
        code = edition.language_code
        is_current = current_edition is not None and edition.pk == current_edition.pk
        url = translations.get(code) or f"/{edition.slug}/"
        links.append(
            EditionLink(
                language_code=code,
                name=language_name(code),
                url=url,
                is_current=is_current,
                is_translation=code in translations and not is_current,
            )
        )
    return links


def translation_ids(page) -> list[int]:
    """Return the ids of the other pages of ``page``'s translation group, whatever their state:
    their switcher, "Also in" and hreflang links name ``page`` once readers may see it."""
    key = getattr(page, "translation_key", None)
    if key is None:
        return []
    return list(
        Page.objects.filter(translation_key=key).exclude(pk=page.pk).values_list("pk", flat=True)
    )
