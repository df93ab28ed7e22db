"""State changes of the wire desk: a draft story from a wire item, a story from an imported
page. Each runs in one transaction and goes through the articles app's own actions
(file_story, publish_story) and the media bank's import_photo."""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

import lxml.html
import nh3
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, PngImagePlugin
from wagtail.log_actions import log

from dateline.articles.actions import file_story, publish_story
from dateline.articles.models import ArticlePage, Byline
from dateline.articles.slugs import unique_story_slug
from dateline.editions.models import Edition
from dateline.mediabank.actions import import_photo
from dateline.mediabank.models import Photo
from dateline.people.models import Person
from dateline.sections.models import Place, Section
from dateline.wire.leads import Lead, headline_for, read_lead, standfirst_for
from dateline.wire.models import WireItem
from dateline.wire.parsers.article import PageArticle

DRAFT_ACTION = "dateline.wire.draft"
IMPORT_ACTION = "dateline.wire.import"
PLACEHOLDER_TAG = "placeholder"
INLINE = {"b", "i", "a", "br"}


class DraftError(Exception):
    """A draft cannot be made; the message says why."""


def _inline_html(element) -> str:
    html = lxml.html.tostring(element, encoding="unicode", with_tail=False)
    html = re.sub(r"<(/?)strong\b", r"<\1b", html)
    html = re.sub(r"<(/?)em\b", r"<\1i", html)
    return nh3.clean(
        html,
        tags=INLINE,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    ).strip()


def body_blocks(body_html: str) -> list[dict]:
    """Return story body blocks (paragraphs and quotes) for sanitised wire HTML."""
    if not body_html.strip():
        return []
    blocks: list[dict] = []
    for element in lxml.html.fragments_fromstring(body_html):
        if isinstance(element, str):
            if element.strip():
                blocks.append({"type": "paragraph", "value": f"<p>{escape(element.strip())}</p>"})
            continue
        tag = element.tag
        if tag == "blockquote":
            # A <footer> in the quote is its attribution, as Dateline's own exports write it.
            footers = element.findall("footer")
            attribution = " ".join(" ".join(f.text_content().split()) for f in footers)
            for footer in footers:
                footer.drop_tree()
            text = " ".join(element.text_content().split())
            if text:
                blocks.append(
                    {"type": "quote", "value": {"text": text, "attribution": attribution[:200]}}
                )
        elif tag in ("ul", "ol"):
            for item in element.iter("li"):
                inner = _inline_html(item)
                inner = re.sub(r"^<li>|</li>$", "", inner)
                if inner:
                    blocks.append({"type": "paragraph", "value": f"<p>{inner}</p>"})
        elif tag in ("h2", "h3", "h4"):
            text = " ".join(element.text_content().split())
            if text:
                blocks.append({"type": "paragraph", "value": f"<p><b>{escape(text)}</b></p>"})
        elif tag in ("figure", "table"):
            continue
        else:
            inner = _inline_html(element)
            inner = re.sub(r"^<(p|div|section)>|</(p|div|section)>$", "", inner).strip()
            if inner and nh3.clean(inner, tags=set()).strip():
                blocks.append({"type": "paragraph", "value": f"<p>{inner}</p>"})
    return blocks


def _person(name: str) -> Person:
    name = name[: Person._meta.get_field("name").max_length].strip()
    return Person.objects.filter(name=name).first() or Person.objects.create(
        name=name, role=Person.Role.REPORTER
    )


def _byline_names(byline: str) -> list[str]:
    text = re.sub(r"^(by|von|av|par)\s+", "", byline.strip(), flags=re.IGNORECASE)
    return [n.strip() for n in re.split(r",| and | und | og | och ", text) if n.strip()][:5]


def _place(located: str) -> Place | None:
    """Return the place named first in ``located`` ("Tokyo, Japan"): one the newsroom has
    already (in any case), else a new one."""
    name = located.split(",")[0].strip()[:120]
    if not name:
        return None
    known = Place.objects.filter(name__iexact=name).order_by("-country_code", "pk").first()
    return known or Place.objects.create(name=name, country_code="")


def _file(edition: Edition, page: ArticlePage) -> ArticlePage:
    """Add ``page`` to today's bucket under the story slug policy: Latin, cut at a word,
    unique in the day."""
    bucket = file_story(edition, timezone.now())
    page.slug = unique_story_slug(page.title, bucket)
    return bucket.add_child(instance=page)


def _text(html: str) -> str:
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


def _dateline_place(dateline: str) -> str:
    """Return the place of a wire item's own dateline field ("TOKYO, Dec 7"), in its usual
    case, or ''."""
    lead = read_lead(f"{dateline} - .") if dateline else None
    return lead.place if lead else ""


def _drop_text(element, count: int) -> int:
    """Remove the first ``count`` characters of text from ``element`` and its descendants in
    reading order; return how many are still to remove."""
    if count and element.text:
        taken = min(count, len(element.text))
        element.text, count = element.text[taken:], count - taken
    for child in list(element):
        count = _drop_text(child, count)
        if count and child.tail:
            taken = min(count, len(child.tail))
            child.tail, count = child.tail[taken:], count - taken
        if not child.text_content() and child.tag != "br":
            child.drop_tree()
    return count


def _take_lead(blocks: list[dict]) -> Lead | None:
    """Return the dateline the first paragraph of ``blocks`` opens with, removed from it
    (the story shows its dateline from its own fields), or None."""
    first = next((b for b in blocks if b["type"] == "paragraph"), None)
    if first is None:
        return None
    paragraph = lxml.html.fragment_fromstring(first["value"])
    text = paragraph.text_content()
    lead = read_lead(text)
    if lead is None:
        return None
    _drop_text(paragraph, lead.end)
    rest = paragraph.text_content().strip()
    if not rest:
        blocks.remove(first)
        return lead
    if paragraph.text:
        paragraph.text = paragraph.text.lstrip()
    first["value"] = lxml.html.tostring(paragraph, encoding="unicode")
    return lead


def default_section(edition: Edition, item: WireItem | None = None) -> Section | None:
    if item and item.source_id and item.source.default_section_id:
        return item.source.default_section
    return Section.objects.filter(edition=edition).first()


def create_draft(
    item: WireItem, *, edition: Edition, section: Section | None = None, user=None
) -> ArticlePage:
    """Make a draft story from ``item`` in ``edition`` (``section``, else the source's
    default section, else the edition's first), mark the item used, and log where the draft
    came from on the story. Return the draft."""
    if section is not None and section.edition_id != edition.pk:
        raise DraftError(f"the section {section.name!r} is not one of the edition {edition.slug!r}")
    section = section or default_section(edition, item)
    if section is None:
        raise DraftError(f"the edition {edition.slug!r} has no section to file the story in")
    blocks = body_blocks(item.body_html) or body_blocks(f"<p>{escape(item.summary)}</p>")
    lead = _take_lead(blocks)
    body_text = " ".join(_text(block["value"]) for block in blocks if block["type"] == "paragraph")
    with transaction.atomic():
        headline = headline_for(item.headline)[:255]
        story = ArticlePage(
            title=headline,
            locale_id=edition.locale_id,
            primary_section=section,
            kind=ArticlePage.Kind.NEWS,
            standfirst=standfirst_for(item.summary, body_text),
            dateline_place=_place(
                (lead.place if lead else "") or item.located or _dateline_place(item.dateline)
            ),
            dateline_agency=((lead.agency if lead else "") or item.agency)[:80],
            live=False,
            body=blocks,
        )
        story = _file(edition, story)
        story.bylines = [Byline(person=_person(n)) for n in _byline_names(item.byline)]
        story.tags.set([s[:100] for s in item.subjects[:10]])
        story.save()
        story.save_revision(user=user)
        log(
            instance=story,
            action=DRAFT_ACTION,
            user=user,
            data={
                "item": item.pk,
                "provenance": item.provenance,
                "source": item.source.name if item.source_id else item.origin,
                "original_id": item.original_id,
                "version": item.version,
                "original_url": item.original_url,
            },
        )
        WireItem.objects.filter(pk=item.pk).update(
            used_in=story, used_at=timezone.now(), used_by=user
        )
    return ArticlePage.objects.get(pk=story.pk)


# --- Page import.


@dataclass
class ImportReport:
    story: ArticlePage | None
    placed: list[str] = field(default_factory=list)  # what went where
    dropped: list[str] = field(default_factory=list)
    needs_editor: list[str] = field(default_factory=list)


def _placeholder_photo(article: PageArticle, edition: Edition) -> Photo:
    """Return a new placeholder photo in the media bank, tagged ``placeholder``, holding the
    imported caption and credit until an editor puts the real photo in."""
    buffer = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    # A unique text chunk: the media bank keeps one photo per content, and each import
    # needs its own placeholder.
    info.add_text("Comment", f"Dateline placeholder {uuid.uuid4()}")
    Image.new("RGB", (1200, 675), (200, 200, 200)).save(buffer, "PNG", pnginfo=info)
    buffer.seek(0)
    credit = article.photo_credit
    names = [p.strip() for p in credit.lstrip("©").split("/") if p.strip()]
    agency = names[0] if names else ""
    photographer = names[1] if len(names) > 1 else ""
    result = import_photo(
        buffer,
        name="placeholder.png",
        fields={
            "title": f"Placeholder: {article.photo_caption or article.headline}"[:255],
            "caption": article.photo_caption,
            "alt_text": (article.photo_alt or article.photo_caption)[:255],
            "credit_text": credit[:255],
            "agency": agency[:80],
            "photographer": photographer,
            "tags": [PLACEHOLDER_TAG],
        },
    )
    return result.photo


def _find_story(edition: Edition, headline: str) -> ArticlePage | None:
    stories = ArticlePage.objects.filter(edition=edition)
    return stories.filter(title__iexact=headline.strip()).first()


def import_article(
    article: PageArticle,
    *,
    edition: Edition,
    section: Section | None = None,
    publish: bool = False,
    origin: str = "",
    user=None,
) -> ImportReport:
    """Make a story from an imported page's ``article`` and return the import report.

    Related-story cards and read-more links point at existing stories of ``edition`` with
    the same headline; those not found become links to a site search for the headline and
    are listed for an editor. Without a photo file the lead photo is a placeholder."""
    report = ImportReport(story=None, dropped=list(article.dropped))
    sections = {s.name.casefold(): s for s in Section.objects.filter(edition=edition)}
    if section is None:
        section = sections.get(article.section.casefold()) if article.section else None
        if section is None:
            section = Section.objects.filter(edition=edition).first()
            if article.section:
                report.needs_editor.append(
                    f"section label {article.section!r} matches no section: "
                    f"filed under {section.name if section else '-'}"
                )
    if section is None:
        raise DraftError(f"the edition {edition.slug!r} has no section to file the story in")
    report.placed.append(f"headline: {article.headline}")
    report.placed.append(f"section: {section.name} (label {article.section!r})")
    blocks: list[dict] = []
    for block in article.blocks:
        if block.kind == "paragraph":
            blocks.append({"type": "paragraph", "value": f"<p>{escape(block.text)}</p>"})
        elif block.kind == "quote":
            blocks.append(
                {"type": "quote", "value": {"text": block.text, "attribution": block.attribution}}
            )
        else:
            target = _find_story(edition, block.text)
            what = "related-story card" if block.kind == "related" else "read-more link"
            if target is not None:
                value = {"story": target.pk}
                if block.kind == "read_more":
                    value["label"] = (block.label or "").capitalize()[:60]
                blocks.append({"type": block.kind, "value": value})
                report.placed.append(f"{what} #{len(blocks)}: {block.text} → story {target.pk}")
            else:
                search = f"/{edition.slug}/search/?q={quote(block.text)}"
                label = escape(block.label.capitalize() + ": ") if block.kind == "read_more" else ""
                blocks.append(
                    {
                        "type": "paragraph",
                        "value": (
                            f'<p>{label}<a href="{escape(search)}">{escape(block.text)}</a></p>'
                        ),
                    }
                )
                report.needs_editor.append(
                    f"{what} {block.text!r}: no story with that headline; linked to a search"
                )
    report.placed.append(
        f"body: {sum(b['type'] == 'paragraph' for b in blocks)} paragraphs, "
        f"{sum(b['type'] == 'quote' for b in blocks)} quotes"
    )
    with transaction.atomic():
        photo = None
        if article.photo_caption or article.photo_credit:
            photo = _placeholder_photo(article, edition)
            report.placed.append(
                f"lead photo: placeholder {photo.pk}, caption {article.photo_caption!r}, "
                f"credit {article.photo_credit!r}"
            )
            report.needs_editor.append(
                f"lead photo {photo.pk} is a placeholder: put the real photo in"
            )
        if article.dateline_place:
            report.placed.append(f"dateline: {article.dateline_place} ({article.dateline_agency})")
        story = ArticlePage(
            title=article.headline[:255],
            locale_id=edition.locale_id,
            primary_section=section,
            kind=ArticlePage.Kind.NEWS,
            standfirst=article.standfirst[:600],
            dateline_place=_place(article.dateline_place),
            dateline_agency=article.dateline_agency[:80],
            lead_photo=photo,
            live=False,
            body=blocks,
        )
        story = _file(edition, story)
        story.bylines = [Byline(person=_person(n)) for n in article.bylines[:5]]
        story.tags.set([t[:100] for t in article.tags[:10]])
        story.save()
        log(instance=story, action=IMPORT_ACTION, user=user, data={"origin": origin})
        if publish:
            story = publish_story(story, user=user)
        else:
            story.save_revision(user=user)
    report.story = ArticlePage.objects.get(pk=story.pk)
    return report
