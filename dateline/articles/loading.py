"""Load stories from a JSON file (the format is in docs/formats.md).

The whole file is read and checked before anything is written, and then written in one
transaction: a bad file is rejected with the line and the reason, and loads nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nh3
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from dateline.articles.actions import file_story, publish_story
from dateline.articles.models import ArticlePage, Byline
from dateline.editions.lookup import get_edition
from dateline.editions.models import Edition
from dateline.mediabank.actions import import_photo
from dateline.mediabank.models import Photo
from dateline.mediabank.validation import PhotoRejected, check_image
from dateline.people.models import Person
from dateline.sections.models import Place, Section

KINDS = {choice.value for choice in ArticlePage.Kind}
BLOCK_TYPES = {"paragraph", "quote", "image", "related", "read_more", "embed"}
STORY_KEYS = {
    "edition",
    "section",
    "sections",
    "kind",
    "slug",
    "headline",
    "standfirst",
    "dateline",
    "bylines",
    "tags",
    "lead_photo",
    "body",
    "published_at",
    "top_story",
}
PHOTO_KEYS = {
    "file",
    "title",
    "caption",
    "alt",
    "photographer",
    "agency",
    "copyright",
    "city",
    "country",
    "keywords",
}
RELATIVE_TIME = re.compile(r"^([+-])(\d+)([mhd])$")
INLINE_TAGS = {"b", "i", "em", "strong", "a"}


class StoryFileError(Exception):
    """A story file that cannot be loaded; the message names the file, the line and the
    reason."""


@dataclass
class PhotoSpec:
    path: Path
    title: str
    caption: str
    alt: str
    photographer: str
    agency: str
    copyright: str
    city: str = ""
    country: str = ""
    keywords: list[str] = field(default_factory=list)


@dataclass
class StorySpec:
    line: int
    edition: Edition
    section: Section
    further_sections: list[Section]
    kind: str
    slug: str
    headline: str
    standfirst: str
    place: tuple[str, str] | None
    agency: str
    bylines: list[str]
    tags: list[str]
    lead_photo: PhotoSpec | None
    body: list[dict]  # blocks, references still as text
    published_at: dt.datetime
    top_story: bool
    page: ArticlePage | None = field(default=None, repr=False)


@dataclass
class LoadReport:
    created: list[ArticlePage]
    published: int
    scheduled: int
    photos_created: int
    photos_reused: int


def _items_with_lines(text: str, name: str) -> list[tuple[int, object]]:
    """Parse a JSON list, returning each item with the line it starts on."""
    decoder = json.JSONDecoder()
    pos = len(text) - len(text.lstrip())
    if not text[pos : pos + 1] == "[":
        raise StoryFileError(f"{name}:1: the file must hold a JSON list of stories")
    pos += 1
    items = []
    try:
        while True:
            while pos < len(text) and text[pos] in " \t\r\n":
                pos += 1
            if text[pos : pos + 1] == "]":
                break
            if items:
                if text[pos : pos + 1] != ",":
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
                pos += 1
                while pos < len(text) and text[pos] in " \t\r\n":
                    pos += 1
            line = text.count("\n", 0, pos) + 1
            item, pos = decoder.raw_decode(text, pos)
            items.append((line, item))
    except json.JSONDecodeError as exc:
        raise StoryFileError(f"{name}:{exc.lineno}: not valid JSON: {exc.msg}") from exc
    except IndexError as exc:
        line = text.count("\n") + 1
        raise StoryFileError(f"{name}:{line}: not valid JSON: the list is not closed") from exc
    rest = text[pos + 1 :].strip()
    if rest:
        raise StoryFileError(f"{name}:{text.count(chr(10), 0, pos) + 1}: text after the list")
    return items


def parse_time(value, *, now: dt.datetime) -> dt.datetime:
    """Return an aware datetime from ISO 8601 with an offset, or a relative time such as
    "-3h", "-2d", "+30m"."""
    if not isinstance(value, str):
        raise ValueError("published_at must be a string")
    match = RELATIVE_TIME.match(value.strip())
    if match:
        sign, amount, unit = match.groups()
        unit_name = {"m": "minutes", "h": "hours", "d": "days"}[unit]
        delta = dt.timedelta(**{unit_name: int(amount)})
        return now - delta if sign == "-" else now + delta
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"published_at {value!r} is neither ISO 8601 nor a relative time like -3h"
        ) from None
    if timezone.is_naive(parsed):
        raise ValueError(f"published_at {value!r} needs a timezone offset (e.g. +00:00)")
    return parsed


def _text(data: dict, key: str, *, required=False, max_length=None) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text")
    value = value.strip()
    if required and not value:
        raise ValueError(f"{key} is missing")
    if max_length and len(value) > max_length:
        raise ValueError(f"{key} is longer than {max_length} characters")
    return value


def _text_list(data: dict, key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{key} must be a list of non-empty texts")
    return [v.strip() for v in value]


def _photo(data, base_dir: Path, where: str) -> PhotoSpec:
    if not isinstance(data, dict):
        raise ValueError(f"{where} must be an object")
    unknown = set(data) - PHOTO_KEYS
    if unknown:
        raise ValueError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    path = Path(_text(data, "file", required=True))
    if not path.is_absolute():
        path = base_dir / path
    if not path.is_file():
        raise ValueError(f"{where} file {str(path)!r} does not exist")
    # The media bank's own checks, before anything is written: the load is all or nothing.
    try:
        with path.open("rb") as handle:
            check_image(handle, path.name)
    except PhotoRejected as rejected:
        raise ValueError(f"{where}: {rejected}") from None
    caption = _text(data, "caption", max_length=2000)
    return PhotoSpec(
        path=path,
        title=_text(data, "title", max_length=255) or caption[:255] or path.stem,
        caption=caption,
        alt=_text(data, "alt", max_length=255),
        photographer=_text(data, "photographer", max_length=120),
        agency=_text(data, "agency", max_length=80),
        copyright=_text(data, "copyright", max_length=255),
        city=_text(data, "city", max_length=120),
        country=_text(data, "country", max_length=120),
        keywords=_text_list(data, "keywords"),
    )


def _paragraph_html(block: dict) -> str:
    if "html" in block:
        html = _text(block, "html", required=True)
        html = nh3.clean(
            html,
            tags=INLINE_TAGS,
            attributes={"a": {"href"}, "*": set()},
            url_schemes={"http", "https", "mailto"},
            link_rel=None,
        )
        html = re.sub(r"<(/?)strong>", r"<\1b>", html)
        html = re.sub(r"<(/?)em>", r"<\1i>", html)
    else:
        html = escape(_text(block, "text", required=True))
    return f"<p>{html}</p>"


def _block(block, base_dir: Path, index: int) -> dict:
    where = f"body block {index}"
    if not isinstance(block, dict):
        raise ValueError(f"{where} must be an object")
    kind = block.get("type")
    if kind not in BLOCK_TYPES:
        raise ValueError(
            f"{where}: unknown block type {kind!r} (use one of {', '.join(sorted(BLOCK_TYPES))})"
        )
    if kind == "paragraph":
        return {"type": kind, "value": _paragraph_html(block)}
    if kind == "quote":
        return {
            "type": kind,
            "value": {
                "text": _text(block, "text", required=True),
                "attribution": _text(block, "attribution", max_length=200),
            },
        }
    if kind == "image":
        return {
            "type": kind,
            "photo": _photo(block.get("photo"), base_dir, f"{where} photo"),
            "caption": _text(block, "caption", max_length=500),
        }
    if kind in ("related", "read_more"):
        return {
            "type": kind,
            "story": _text(block, "story", required=True),
            "label": _text(block, "label", max_length=60),
        }
    url = _text(block, "url", required=True)
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"{where}: embed url must start with http:// or https://")
    return {
        "type": kind,
        "value": {
            "url": url,
            "title": _text(block, "title", max_length=200),
            "caption": _text(block, "caption", max_length=500),
        },
    }


def _story(data, line: int, base_dir: Path, now: dt.datetime) -> StorySpec:
    if not isinstance(data, dict):
        raise ValueError("a story must be a JSON object")
    unknown = set(data) - STORY_KEYS
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
    code = _text(data, "edition", required=True)
    edition = get_edition(code)
    if edition is None:
        raise ValueError(f"there is no edition {code!r}")
    sections = {s.slug: s for s in Section.objects.filter(edition=edition)}

    def section(slug):
        if slug not in sections:
            raise ValueError(f"edition {code!r} has no section {slug!r}")
        return sections[slug]

    headline = _text(data, "headline", required=True, max_length=255)
    kind = data.get("kind", "news")
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
    place, agency = None, ""
    if data.get("dateline") is not None:
        dateline = data["dateline"]
        if not isinstance(dateline, dict):
            raise ValueError("dateline must be an object with place, country and agency")
        place = (
            _text(dateline, "place", required=True, max_length=120),
            _text(dateline, "country", max_length=2).upper(),
        )
        agency = _text(dateline, "agency", max_length=80)
    body = data.get("body", [])
    if not isinstance(body, list):
        raise ValueError("body must be a list of blocks")
    lead = data.get("lead_photo")
    top = data.get("top_story", False)
    if not isinstance(top, bool):
        raise ValueError("top_story must be true or false")
    slug = _text(data, "slug", max_length=255) or slugify(headline, allow_unicode=True)[:200]
    if not slug or slug != slugify(slug, allow_unicode=True):
        raise ValueError(f"slug {slug!r} must be lowercase letters, digits and hyphens")
    return StorySpec(
        line=line,
        edition=edition,
        section=section(_text(data, "section", required=True)),
        further_sections=[section(s) for s in _text_list(data, "sections")],
        kind=kind,
        slug=slug,
        headline=headline,
        standfirst=_text(data, "standfirst", max_length=600),
        place=place,
        agency=agency,
        bylines=_text_list(data, "bylines"),
        tags=_text_list(data, "tags"),
        lead_photo=_photo(lead, base_dir, "lead_photo") if lead is not None else None,
        body=[_block(b, base_dir, i) for i, b in enumerate(body, start=1)],
        published_at=parse_time(data.get("published_at", "-0m"), now=now),
        top_story=top,
    )


def read_story_file(path: Path, *, photo_dir: Path | None = None) -> list[StorySpec]:
    """Parse and check every story of ``path``; raise StoryFileError on the first problem."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StoryFileError(f"{name}: cannot be read: {exc}") from None
    now = timezone.now()
    specs: list[StorySpec] = []
    base_dir = photo_dir or path.parent
    for line, data in _items_with_lines(text, name):
        try:
            specs.append(_story(data, line, base_dir, now))
        except ValueError as exc:
            raise StoryFileError(f"{name}:{line}: {exc}") from None
    seen: dict[tuple[int, str], int] = {}
    for spec in specs:
        key = (spec.edition.pk, spec.slug)
        if key in seen:
            raise StoryFileError(
                f"{name}:{spec.line}: slug {spec.slug!r} is used twice (also on line {seen[key]})"
            )
        seen[key] = spec.line
    return specs


def _resolve(ref: str, spec: StorySpec, specs: list[StorySpec], name: str) -> int:
    """Return the id of the story ``ref`` names (slug or headline): one in the file first,
    else an existing story of the same edition."""
    for other in specs:
        if other.edition.pk == spec.edition.pk and ref in (other.slug, other.headline):
            if other is spec:
                raise StoryFileError(f"{name}:{spec.line}: story {ref!r} refers to itself")
            return other.page.pk
    existing = (
        ArticlePage.objects.filter(edition=spec.edition, slug=ref).first()
        or ArticlePage.objects.filter(edition=spec.edition, title=ref).first()
    )
    if existing is None:
        raise StoryFileError(f"{name}:{spec.line}: no story with slug or headline {ref!r}")
    return existing.pk


class _PhotoStore:
    """Create photos from files, reusing one already stored with the same content, and find
    the people the stories name."""

    def __init__(self):
        self.created = self.reused = 0
        self.people: dict[str, Person] = {}

    def person(self, name: str, role: str) -> Person:
        if name not in self.people:
            person = Person.objects.filter(name=name).first()
            if person is None:
                person = Person.objects.create(name=name, role=role)
            self.people[name] = person
        return self.people[name]

    def photo(self, spec: PhotoSpec) -> Photo:
        """Return the media bank's photo for ``spec``: the file's own metadata fills what the
        story file leaves out."""
        result = import_photo(
            spec.path,
            fields={
                "title": spec.title,
                "caption": spec.caption,
                "alt_text": spec.alt,
                "agency": spec.agency,
                "copyright_notice": spec.copyright,
                "city": spec.city,
                "country": spec.country,
                "photographer": spec.photographer,
                "tags": spec.keywords,
            },
        )
        if result.created:
            self.created += 1
        else:
            self.reused += 1
        return result.photo


def load_stories(
    path: Path, *, publish: bool = False, photo_dir: Path | None = None, progress=None
) -> LoadReport:
    """Load the stories of ``path``; with ``publish`` publish them at their times (future
    times are scheduled). All or nothing: on any error nothing is stored.
    ``progress(done, total, spec)`` is called after each story."""
    name = str(path)
    specs = read_story_file(path, photo_dir=photo_dir)
    for spec in specs:
        if ArticlePage.objects.filter(edition=spec.edition, slug=spec.slug).exists():
            raise StoryFileError(
                f"{name}:{spec.line}: a story with slug {spec.slug!r} "
                f"already exists in edition {spec.edition.slug!r}"
            )
    store = _PhotoStore()
    published = scheduled = 0
    with transaction.atomic():
        # First every story as an empty draft, so that references can point at any of them.
        for spec in specs:
            spec.page = file_story(spec.edition, spec.published_at).add_child(
                instance=ArticlePage(
                    title=spec.headline,
                    slug=spec.slug,
                    locale_id=spec.edition.locale_id,
                    primary_section=spec.section,
                    live=False,
                    kind=spec.kind,
                )
            )
        for done, spec in enumerate(sorted(specs, key=lambda s: s.published_at), start=1):
            page = spec.page
            page.standfirst = spec.standfirst
            page.is_top_story = spec.top_story
            page.dateline_agency = spec.agency
            if spec.place:
                page.dateline_place, _ = Place.objects.get_or_create(
                    name=spec.place[0], country_code=spec.place[1]
                )
            if spec.lead_photo:
                page.lead_photo = store.photo(spec.lead_photo)
            page.further_sections = spec.further_sections
            page.tags.set(spec.tags)
            page.bylines = [
                Byline(person=store.person(n, Person.Role.REPORTER)) for n in spec.bylines
            ]
            page.body = _stream(spec, specs, store, name)
            page.save()
            if publish:
                publish_story(page, at=spec.published_at)
                if spec.published_at > timezone.now():
                    scheduled += 1
                else:
                    published += 1
            else:
                page.save_revision()
            if progress:
                progress(done, len(specs), spec)
    return LoadReport(
        created=[s.page for s in specs],
        published=published,
        scheduled=scheduled,
        photos_created=store.created,
        photos_reused=store.reused,
    )


def _stream(spec: StorySpec, specs: list[StorySpec], store: _PhotoStore, name: str) -> list:
    blocks = []
    for block in spec.body:
        kind = block["type"]
        if kind == "image":
            value = {"photo": store.photo(block["photo"]).pk, "caption": block["caption"]}
        elif kind in ("related", "read_more"):
            value = {"story": _resolve(block["story"], spec, specs, name)}
            if kind == "read_more":
                value["label"] = block["label"]
        else:
            value = block["value"]
        blocks.append((kind, value))
    return [{"type": kind, "value": value} for kind, value in blocks]
