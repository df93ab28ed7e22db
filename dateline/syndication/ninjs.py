"""A story as IPTC ninjs (News in JSON), version 2.2 or 3.1.

The two versions hold the same facts; 3.x renamed most properties to camelCase, so the 3.1
document is the 2.2 one with its keys renamed.
"""

from django.utils import translation
from lxml import etree

from dateline.articles.models import ArticlePage
from dateline.articles.structured_data import absolute
from dateline.syndication import content

SCHEMAS = {
    "2.2": "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json#",
    "3.1": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#",
}
VERSIONS = tuple(SCHEMAS)

# ninjs 3.0 renamed these properties; nothing else in what we send changed.
RENAMED_IN_3 = {
    "representationtype": "representationType",
    "firstcreated": "firstCreated",
    "versioncreated": "versionCreated",
    "contentcreated": "contentCreated",
    "embargoed": "embargoedUntil",
    "pubstatus": "pubStatus",
    "copyrightholder": "copyrightHolder",
    "copyrightnotice": "copyrightNotice",
    "usageterms": "usageTerms",
    "ednote": "edNote",
    "infosources": "infoSources",
    "altids": "altIds",
    "rightsinfo": "rightsInfo",
    "linkedrights": "linkedRights",
    "digitalsourcetype": "digitalSourceType",
    "contenttype": "contentType",
    "charcount": "charCount",
    "wordcount": "wordCount",
    "sizeinbytes": "sizeInBytes",
}


def story_ninjs(story: ArticlePage, version: str = "2.2") -> dict:
    """Return ``story`` as a ninjs document of ``version`` ("2.2" or "3.1"). The caller has
    checked that readers may see the story."""
    if version not in SCHEMAS:
        raise ValueError(f"unsupported ninjs version {version}")
    with translation.override(story.edition.language_code):
        document = _story_v2(story)
    document["standard"] = {"name": "ninjs", "version": version, "schema": SCHEMAS[version]}
    return document if version.startswith("2.") else _rename(document)


def photo_ninjs(photo, version: str = "2.2", *, caption: str = "") -> dict:
    """Return ``photo`` as a ninjs picture document of ``version``."""
    document = _picture_v2(content.PhotoUse("picture", photo, caption or photo.caption))
    document["standard"] = {"name": "ninjs", "version": version, "schema": SCHEMAS[version]}
    return document if version.startswith("2.") else _rename(document)


def _story_v2(story: ArticlePage) -> dict:
    edition = story.edition
    elements = content.body_elements(story)
    chars, words = content.word_count(elements)
    bylines = [b.person for b in story.bylines.all()]
    document: dict = {
        "uri": content.story_guid(story),
        "type": "text",
        "representationtype": "full",
        "version": str(content.story_version(story)),
        "firstcreated": story.published_at.isoformat(),
        "versioncreated": content.last_change(story).isoformat(),
        "pubstatus": "usable",
        "language": edition.language_code,
        "headlines": [{"role": "main", "value": story.title}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "charcount": chars,
                "wordcount": words,
                "value": "".join(_html(el) for el in elements),
            }
        ],
        "copyrightholder": edition.site_name,
        "copyrightnotice": f"© {story.published_at.year} {edition.site_name}",
        "infosources": [{"name": story.agency, "role": "originator"}],
        "subjects": [
            {"name": section.name, "rel": "section", "uri": absolute(section.url)}
            for section in [story.primary_section, *story.further_sections.all()]
        ]
        + [{"name": tag.name, "rel": "tag", "literal": tag.slug} for tag in story.tags.all()],
        "genres": [{"name": str(story.get_kind_display()), "literal": story.kind}],
        "altids": [{"role": "dateline:id", "value": str(story.pk)}],
        "renditions": [
            {"name": "html", "href": absolute(story.url), "contenttype": "text/html"},
        ],
    }
    if story.standfirst:
        document["descriptions"] = [{"role": "summary", "value": story.standfirst}]
    if bylines:
        document["by"] = ", ".join(person.name for person in bylines)
    if story.dateline_place:
        document["located"] = content.located(story)
    notes = [
        f"{c.get_kind_display()} ({c.published_at.isoformat()}): {c.text}"
        for c in story.corrections.all()
    ]
    if notes:
        document["ednote"] = "\n".join(notes)
    associations = [_picture_v2(use) | {"name": use.role} for use in content.photo_uses(story)]
    if associations:
        document["associations"] = associations
    return document


def _picture_v2(use: content.PhotoUse) -> dict:
    photo = use.photo
    document: dict = {
        "uri": content.photo_guid(photo),
        "type": "picture",
        "representationtype": "full",
        "headlines": [{"value": photo.headline or photo.title}],
        "renditions": [
            {
                "name": r.name,
                "href": r.href,
                "contenttype": r.content_type,
                "width": r.width,
                "height": r.height,
            }
            for r in use.renditions
        ],
        "altids": [{"role": "dateline:mediabank-page", "value": use.page_url}],
    }
    if use.caption:
        document["descriptions"] = [{"role": "caption", "value": use.caption}]
    if photo.alt_text:
        document.setdefault("descriptions", []).append({"role": "alt", "value": photo.alt_text})
    if use.photographer:
        document["by"] = use.photographer
    if use.copyright_holder:
        document["copyrightholder"] = use.copyright_holder
    if use.copyright_notice:
        document["copyrightnotice"] = use.copyright_notice
    if photo.credit_line:
        document["usageterms"] = photo.credit_line
    if photo.licence_url:
        document["rightsinfo"] = {"linkedrights": photo.licence_url}
    if photo.agency:
        document["infosources"] = [{"name": photo.agency, "role": "originator"}]
    if photo.date_created:
        document["contentcreated"] = photo.date_created.isoformat()
    if photo.digital_source_type:
        document["digitalsourcetype"] = {
            "uri": content.DIGITAL_SOURCE_TYPE_CV + photo.digital_source_type
        }
    if photo.city or photo.country:
        document["located"] = ", ".join(p for p in (photo.city, photo.country) if p)
    return document


def _html(element) -> str:
    return etree.tostring(element, method="html", encoding="unicode")


def _rename(value):
    if isinstance(value, dict):
        return {RENAMED_IN_3.get(k, k): _rename(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v) for v in value]
    return value
