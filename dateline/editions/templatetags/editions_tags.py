"""The language switcher, the article's "Also in" and the hreflang links of every page."""

from django import template
from django.conf import settings

from dateline.editions.translations import switcher_links, translations_of

register = template.Library()


def _page(context):
    # Wagtail pages put themselves in the context as ``page``; other views may use the name
    # for something else (a paginator's page), which has no translations.
    page = context.get("page")
    return page if getattr(page, "translation_key", None) else None


@register.simple_tag(takes_context=True)
def edition_links(context):
    """Return the language switcher's entries for the page being rendered."""
    return switcher_links(context.get("edition"), _page(context), context.get("request"))


@register.simple_tag(takes_context=True)
def page_translations(context):
    """Return ``[(language code, language name, URL)]`` of the other editions that carry the
    page being rendered, for "Also in"."""
    from dateline.editions.translations import language_name

    page = _page(context)
    current = page.locale.language_code if page is not None else None
    return [
        (code, language_name(code), url)
        for code, url in translations_of(page, context.get("request")).items()
        if code != current
    ]


@register.simple_tag(takes_context=True)
def hreflang_alternates(context):
    """Return ``[(hreflang, absolute URL)]`` for the page being rendered: a story and its
    translations (itself included); an edition's home front and the other home fronts, with
    x-default for the address that picks an edition by the reader's language; [] for pages
    that have no equivalent in another edition."""
    request = context.get("request")
    edition = context.get("edition")
    site = settings.SITE_URL
    translations = translations_of(_page(context), request)
    if translations:
        return [(code, site + url) for code, url in translations.items()]
    if request is None or edition is None or request.path != f"/{edition.slug}/":
        return []
    links = [
        (link.language_code, site + link.url)
        for link in switcher_links(edition, request=request)
        if not link.is_translation
    ]
    if len(links) < 2:
        return []
    return [*links, ("x-default", site + "/")]
