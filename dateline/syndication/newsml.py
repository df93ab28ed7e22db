"""A story as an IPTC NewsML-G2 2.35 news item (power conformance).

The story is a text ``newsItem`` with its body as XHTML in ``inlineXML``. Each photo it shows
is named in ``itemMeta`` by a ``link`` (rel ``irel:associatedWith``) that carries the photo's
class, caption (``title``), photographer (``by``), credit line and rights, and points at the
photo's own picture news item (``photo_newsml``), whose ``contentSet`` lists the public
renditions.
"""

from django.conf import settings
from django.utils import translation
from lxml import etree

from dateline.articles.models import ArticlePage
from dateline.articles.structured_data import absolute
from dateline.syndication import content

NAR = "http://iptc.org/std/nar/2006-10-01/"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CATALOG = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_40.xml"
MEDIA_TYPE = "application/vnd.iptc.g2.newsitem+xml"
GENRES = {"analysis": "Analysis", "opinion": "Opinion", "feature": "Feature"}


def _el(parent, name: str, text: str | None = None, /, **attrs) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAR}}}{name}", {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = text
    return element


def _item(guid: str, version: int, lang: str) -> etree._Element:
    item = etree.Element(f"{{{NAR}}}newsItem", nsmap={None: NAR})
    item.set("guid", guid)
    item.set("version", str(version))
    item.set("standard", "NewsML-G2")
    item.set("standardversion", "2.35")
    item.set("conformance", "power")
    item.set(XML_LANG, lang)
    _el(item, "catalogRef", href=CATALOG)
    return item


def _provider(parent, name: str) -> None:
    provider = _el(parent, "provider", literal=settings.SITE_URL)
    _el(provider, "name", name)


def _photo_rights(parent, use: content.PhotoUse) -> None:
    rights = _el(parent, "rightsInfo")
    if use.copyright_holder:
        holder = _el(rights, "copyrightHolder")
        _el(holder, "name", use.copyright_holder)
    if use.copyright_notice:
        _el(rights, "copyrightNotice", use.copyright_notice)
    if use.photo.credit_line:
        _el(rights, "usageTerms", use.photo.credit_line)
    if use.photo.licence_url:
        _el(rights, "link", href=use.photo.licence_url)


def story_newsml(story: ArticlePage) -> bytes:
    """Return ``story`` as a NewsML-G2 news item document. The caller has checked that
    readers may see the story."""
    edition = story.edition
    with translation.override(edition.language_code):
        item = _item(content.story_guid(story), content.story_version(story), edition.language_code)

        rights = _el(item, "rightsInfo")
        holder = _el(rights, "copyrightHolder", uri=absolute(f"/{edition.slug}/"))
        _el(holder, "name", edition.site_name)
        _el(rights, "copyrightNotice", f"© {story.published_at.year} {edition.site_name}")

        meta = _el(item, "itemMeta")
        _el(meta, "itemClass", qcode="ninat:text")
        _provider(meta, edition.site_name)
        _el(meta, "versionCreated", content.last_change(story).isoformat())
        _el(meta, "firstCreated", story.published_at.isoformat())
        _el(meta, "pubStatus", qcode="stat:usable")
        for correction in story.corrections.all():
            _el(
                meta,
                "edNote",
                f"{correction.get_kind_display()} ({correction.published_at.isoformat()}): "
                f"{correction.text}",
            )
        _el(meta, "link", rel="irel:canonical", href=absolute(story.url), contenttype="text/html")
        for rank, use in enumerate(content.photo_uses(story), start=1):
            link = _el(
                meta,
                "link",
                rel="irel:associatedWith",
                href=absolute(f"/api/photos/{use.photo.pk}.newsml.xml"),
                residref=content.photo_guid(use.photo),
                contenttype=MEDIA_TYPE,
                rank=str(rank),  # 1 is the lead photo
            )
            _el(link, "itemClass", qcode="ninat:picture")
            _el(link, "title", use.caption or use.photo.title)
            if use.photographer:
                _el(link, "by", use.photographer)
            if use.photo.credit_line:
                _el(link, "creditline", use.photo.credit_line)
            _photo_rights(link, use)

        about = _el(item, "contentMeta")
        _el(about, "contentCreated", story.published_at.isoformat())
        _el(about, "contentModified", content.last_change(story).isoformat())
        if story.dateline_place:
            place = _el(about, "located", type="loctype:City")
            _el(place, "name", story.dateline_place.name)
        source = _el(about, "infoSource", role="isrol:originfo")
        _el(source, "name", story.agency)
        for byline in story.bylines.all():
            creator = _el(
                about,
                "creator",
                role="crol:author",
                uri=absolute(byline.person.url_in(edition)),
            )
            _el(creator, "name", byline.person.name)
        _el(about, "language", tag=edition.language_code)
        if story.kind in GENRES:
            genre = _el(about, "genre", qcode=f"genre:{GENRES[story.kind]}")
            _el(genre, "name", str(story.get_kind_display()))
        for tag in story.tags.all():
            _el(about, "keyword", tag.name)
        for section in [story.primary_section, *story.further_sections.all()]:
            subject = _el(about, "subject", type="cpnat:abstract", uri=absolute(section.url))
            _el(subject, "name", section.name)
        _el(about, "slugline", content.slugline(story))
        _el(about, "headline", story.title)
        if story.dateline_text:
            _el(about, "dateline", story.dateline_text.rstrip(" –"))
        bylines = ", ".join(b.person.name for b in story.bylines.all())
        if bylines:
            _el(about, "by", bylines)
        if story.standfirst:
            _el(about, "description", story.standfirst, role="drol:summary")

        elements = content.body_elements(story)
        chars, words = content.word_count(elements)
        content_set = _el(item, "contentSet")
        inline = _el(
            content_set,
            "inlineXML",
            contenttype="application/xhtml+xml",
            charcount=str(chars),
            wordcount=str(words),
        )
        inline.append(_xhtml(story.title, edition.language_code, elements))
    return etree.tostring(item, xml_declaration=True, encoding="UTF-8")


def photo_newsml(photo, *, caption: str = "") -> bytes:
    """Return ``photo`` as a NewsML-G2 picture news item with its public renditions. The
    caller has checked that the photo is public."""
    use = content.PhotoUse("picture", photo, caption or photo.caption)
    item = _item(content.photo_guid(photo), 1, settings.LANGUAGE_CODE)
    _photo_rights(item, use)
    meta = _el(item, "itemMeta")
    _el(meta, "itemClass", qcode="ninat:picture")
    _provider(meta, settings.WAGTAIL_SITE_NAME)
    _el(meta, "versionCreated", photo.created_at.isoformat())
    _el(meta, "pubStatus", qcode="stat:usable")
    _el(meta, "link", rel="irel:canonical", href=use.page_url, contenttype="text/html")
    about = _el(item, "contentMeta")
    if photo.date_created:
        _el(about, "contentCreated", photo.date_created.isoformat())
    if photo.city or photo.country:
        place = _el(about, "located", type="loctype:City" if photo.city else "loctype:Country")
        _el(place, "name", ", ".join(p for p in (photo.city, photo.country) if p))
    if photo.agency:
        source = _el(about, "infoSource", role="isrol:originfo")
        _el(source, "name", photo.agency)
    if use.photographer:
        creator = _el(about, "creator", role="crol:photographer")
        _el(creator, "name", use.photographer)
    for keyword in photo.tags.all():
        _el(about, "keyword", keyword.name)
    _el(about, "headline", photo.headline or photo.title)
    if use.photographer:
        _el(about, "by", use.photographer)
    if photo.credit_line:
        _el(about, "creditline", photo.credit_line)
    if use.caption:
        _el(about, "description", use.caption, role="drol:caption")
    if photo.alt_text:
        _el(about, "description", photo.alt_text, role="drol:alternativeText")
    content_set = _el(item, "contentSet")
    for rendition in use.renditions:
        _el(
            content_set,
            "remoteContent",
            href=rendition.href,
            contenttype=rendition.content_type,
            rendition=f"rnd:{rendition.name}",
            width=str(rendition.width),
            height=str(rendition.height),
        )
    return etree.tostring(item, xml_declaration=True, encoding="UTF-8")


def _xhtml(title: str, lang: str, elements) -> etree._Element:
    """Return an XHTML document holding ``elements`` (HTML elements without a namespace)."""
    body = "".join(etree.tostring(el, encoding="unicode") for el in elements)
    document = etree.fromstring(
        f'<html xmlns="{XHTML}" lang="{lang}"><head><title/></head><body>{body}</body></html>'
    )
    document.find(f"{{{XHTML}}}head/{{{XHTML}}}title").text = title
    return document
