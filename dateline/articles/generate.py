"""Synthetic archives for benchmarks: N published stories in one edition, fast.

Filing stories one at a time through the page tree (``add_child``) takes a few queries and a
lock on the parent's row per story; at 100,000 stories that is most of an hour. This module
writes the same rows in bulk instead: it works out the tree paths (treebeard's materialised
paths), depths and child counts of the date buckets and the stories itself, inserts the page
and story rows a batch at a time, then their tags, bylines, sections and photos, and indexes
each batch for search with the search backend's own bulk call. Stories are live pages with no
revision (a live page needs none; the first edit in the newsroom makes one).

The text is nonsense made of newsroom words, with the lengths of real stories: headlines of
6–13 words, a standfirst of 18–40, bodies of 5–16 paragraphs, with quotes, photos from a
small pool, related-story cards and read-more links to older stories.
"""

import datetime as dt
import io
import itertools
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.db.models import F, Max
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw
from taggit.models import Tag
from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from dateline.articles.listings import sync_listings
from dateline.articles.models import ArchivePage, ArticlePage, ArticleTag, Byline
from dateline.mediabank.models import Photo
from dateline.people.models import Person
from dateline.sections.models import Place, Section

BATCH_SIZE = 1000
PHOTO_POOL = 24
PEOPLE_POOL = 150
TAG_POOL = 3000

_WORDS = (
    "minister government talks summit border trade election vote parliament court ruling "
    "protest police agency report official economy inflation market shares bank rates energy "
    "oil gas pipeline climate storm flood drought harvest wheat port ship airline airport "
    "rail strike union workers wages budget tax reform health hospital vaccine virus study "
    "scientists researchers space launch satellite mission telescope city mayor council "
    "school students university festival museum film award team match league coach season "
    "record talks ceasefire troops defence security treaty sanctions exports imports "
    "company profits merger deal investors startup technology chips data privacy network "
    "village farmers river bridge road tunnel mountain island coast harbour weather heat "
    "snow fire rescue crews residents families children visitors tourists officials "
    "spokesman statement decision plan proposal law bill draft amendment committee"
)
_GLUE = "the a of in on to for with after over at from by as and against amid"
SECTIONS = [
    ("world", "World"),
    ("asia", "Asia"),
    ("europe", "Europe"),
    ("americas", "Americas"),
    ("business", "Business"),
    ("science", "Science"),
    ("sport", "Sport"),
    ("offbeat", "Off-beat"),
]
_FIRST_NAMES = (
    "Anna Boris Chen Dara Elena Farid Gita Hugo Irina Jonas Kemal Lena Mateo Nadia Olek "
    "Priya Quentin Rosa Sami Tomas Uma Vera Wei Ximena Yusuf Zora"
)
_LAST_NAMES = (
    "Abe Bauer Costa Duarte Eriksen Fujita Garcia Haddad Ivanova Jensen Kato Lopez Moreau "
    "Novak Okafor Petrov Quist Rossi Sato Tanaka Usman Vidal Weber Xu Yilmaz Zhou"
)
PLACES = [
    ("Tokyo", "JP"),
    ("Moscow", "RU"),
    ("Cairo", "EG"),
    ("Paris", "FR"),
    ("Berlin", "DE"),
    ("Nairobi", "KE"),
    ("Lima", "PE"),
    ("Delhi", "IN"),
    ("Jakarta", "ID"),
    ("Ottawa", "CA"),
    ("Canberra", "AU"),
    ("Beirut", "LB"),
    ("Warsaw", "PL"),
    ("Seoul", "KR"),
    ("Rome", "IT"),
    ("Madrid", "ES"),
]
WORDS, GLUE = _WORDS.split(), _GLUE.split()
FIRST_NAMES, LAST_NAMES = _FIRST_NAMES.split(), _LAST_NAMES.split()
# The text's words: glue words 30 % of the time, newsroom words 70 %, each evenly.
VOCABULARY = GLUE + WORDS
CUMULATIVE_WEIGHTS = list(
    itertools.accumulate([0.3 / len(GLUE)] * len(GLUE) + [0.7 / len(WORDS)] * len(WORDS))
)
# Kinds with the share of stories they get (news dominates, as on a real wire).
KINDS = [("news", 70), ("feature", 8), ("analysis", 8), ("opinion", 7), ("offbeat", 7)]


@dataclass
class GenerateReport:
    stories: int = 0
    buckets: int = 0
    photos: int = 0
    people: int = 0
    tags: int = 0
    seconds: float = 0.0


class Text:
    """Sentences and paragraphs of newsroom words from one seeded random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def words(self, n: int) -> list[str]:
        # One call for all n words (a glue word three times in ten): drawing them one by one
        # was a third of the loader's time.
        return self.rng.choices(VOCABULARY, cum_weights=CUMULATIVE_WEIGHTS, k=n)

    def sentence(self, low=8, high=24) -> str:
        words = self.words(self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def headline(self) -> str:
        return " ".join(self.words(self.rng.randint(6, 13))).capitalize()

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))


def _draw_photo(rng: random.Random, n: int) -> io.BytesIO:
    """Return a JPEG of 1200×800 with a sky, a horizon and a few shapes."""
    image = Image.new("RGB", (1200, 800), (rng.randrange(60, 200), rng.randrange(90, 210), 230))
    draw = ImageDraw.Draw(image)
    horizon = rng.randrange(350, 600)
    draw.rectangle((0, horizon, 1200, 800), fill=(rng.randrange(40, 120), 110, 60))
    for _ in range(6):
        x, y = rng.randrange(0, 1100), rng.randrange(100, 700)
        colour = tuple(rng.randrange(0, 255) for _ in range(3))
        draw.ellipse((x, y, x + rng.randrange(40, 200), y + rng.randrange(40, 200)), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer


def _photos(rng: random.Random, text: Text, report: GenerateReport) -> list[Photo]:
    """Return the pool of generated photos, drawing those that are missing."""
    photos = list(Photo.objects.filter(source="dateline generate-archive").order_by("pk"))
    photographers = _people(rng, 6, Person.Role.PHOTOGRAPHER, report)
    for n in range(len(photos), PHOTO_POOL):
        caption = text.sentence(6, 14)
        photo = Photo(
            title=caption[:255],
            caption=caption,
            alt_text=text.sentence(4, 9)[:255],
            agency="Dateline Archive",
            copyright_notice="© Dateline Archive",
            source="dateline generate-archive",
            photographer=photographers[n % len(photographers)],
            file=ImageFile(_draw_photo(rng, n), name=f"archive-{n + 1}.jpg"),
        )
        photo._set_image_file_metadata()
        photo.save()
        photos.append(photo)
        report.photos += 1
    return photos


def _people(rng: random.Random, count: int, role: str, report: GenerateReport) -> list[Person]:
    """Return ``count`` generated people of ``role``, creating those that are missing."""
    existing = list(Person.objects.filter(role=role, bio="Generated by generate-archive."))
    taken = set(Person.objects.values_list("slug", flat=True))
    new = []
    while len(existing) + len(new) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        slug, n = slugify(name), 2
        while slug in taken:
            slug, n = f"{slugify(name)}-{n}", n + 1
        taken.add(slug)
        new.append(Person(name=name, slug=slug, role=role, bio="Generated by generate-archive."))
    if new:
        Person.objects.bulk_create(new)
        new = list(Person.objects.filter(slug__in=[p.slug for p in new]))
        for backend in get_search_backends():
            backend.add_bulk(Person, new)
        report.people += len(new)
    return existing + new


def _tags(rng: random.Random, text: Text, report: GenerateReport) -> list[Tag]:
    """Return the pool of tags stories draw from (two or three words each)."""
    names = {" ".join(text.words(rng.randint(1, 2))) for _ in range(TAG_POOL)}
    names = sorted({name.strip() for name in names if name.strip()})
    have = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
    slugs = [slugify(n) for n in names]
    taken = set(Tag.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    new = []
    for name in names:
        if name not in have and slugify(name) not in taken:
            taken.add(slugify(name))
            new.append(Tag(name=name, slug=slugify(name)))
    Tag.objects.bulk_create(new, ignore_conflicts=True)
    report.tags += len(new)
    return list(Tag.objects.filter(name__in=names).order_by("name"))


class Tree:
    """Materialised paths of new pages under an edition, worked out in memory.

    Knows each bucket by (year, month, day) and the last child step used under each parent,
    so that new children get the next paths, as ``add_child`` would give them."""

    def __init__(self, edition):
        self.edition = Page.objects.get(pk=edition.pk)
        self.buckets: dict[tuple, dict] = {}
        self.last_step: dict[str, int] = {}
        self.new_children: dict[str, int] = defaultdict(int)
        base = Page.objects.filter(path__startswith=self.edition.path)
        for depth in range(self.edition.depth + 1, self.edition.depth + 5):
            parent_length = (depth - 1) * Page.steplen
            rows = (
                base.filter(depth=depth)
                .annotate(parent=Substr("path", 1, parent_length))
                .values("parent")
                .annotate(last=Max("path"))
            )
            for row in rows:
                self.last_step[row["parent"]] = Page._str2int(row["last"][-Page.steplen :])
        for bucket in ArchivePage.objects.filter(path__startswith=self.edition.path).values(
            "id", "path", "url_path", "year", "month", "day"
        ):
            self.buckets[(bucket["year"], bucket["month"], bucket["day"])] = bucket

    def child_path(self, parent_path: str) -> str:
        step = self.last_step.get(parent_path, 0) + 1
        self.last_step[parent_path] = step
        self.new_children[parent_path] += 1
        return parent_path + Page._int2str(step).rjust(Page.steplen, "0")

    def save_child_counts(self) -> None:
        for path, n in self.new_children.items():
            Page.objects.filter(path=path).update(numchild=F("numchild") + n)
        self.new_children.clear()


def _make_buckets(tree: Tree, edition, days: set[dt.date], report: GenerateReport) -> None:
    """Create the year, month and day buckets of ``days`` that do not exist yet."""
    content_type = ContentType.objects.get_for_model(ArchivePage)
    edition_page = {"path": tree.edition.path, "url_path": tree.edition.url_path}
    for level in range(3):
        wanted = sorted({(d.year, d.month, d.day)[: level + 1] for d in days})
        rows = []
        for key in wanted:
            full = tuple(key) + (None,) * (2 - level)
            if full in tree.buckets:
                continue
            parent = tree.buckets[full[:level] + (None,) * (3 - level)] if level else edition_page
            slug = str(key[0]) if level == 0 else f"{key[level]:02d}"
            title = (
                str(key[0])
                if level == 0
                else f"{key[0]}-{key[1]:02d}"
                if level == 1
                else dt.date(*key).isoformat()
            )
            rows.append((full, parent, slug, title))
        pages = [
            ArchivePage(
                path=tree.child_path(parent["path"]),
                depth=tree.edition.depth + level + 1,
                numchild=0,
                title=title,
                draft_title=title,
                slug=slug,
                url_path=f"{parent['url_path']}{slug}/",
                content_type=content_type,
                locale_id=edition.locale_id,
                live=True,
                has_unpublished_changes=False,
                year=full[0],
                month=full[1],
                day=full[2],
            )
            for full, parent, slug, title in rows
        ]
        _insert_pages(ArchivePage, pages)
        for page, (full, *_rest) in zip(pages, rows, strict=True):
            tree.buckets[full] = {"id": page.pk, "path": page.path, "url_path": page.url_path}
        report.buckets += len(pages)


def _insert_pages(model, pages: list) -> None:
    """Insert ``pages`` (instances of a Page subclass) as their Page rows and their own rows.

    Django cannot bulk-create a multi-table model, so each table gets its own insert."""
    if not pages:
        return
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    rows = [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in pages]
    Page.objects.bulk_create(rows)
    for page, row in zip(pages, rows, strict=True):
        page.pk = page.id = page.page_ptr_id = row.pk
        page._state.adding = False
    model.objects._insert(pages, fields=model._meta.local_concrete_fields)


def _body(rng: random.Random, text: Text, photos: list[Photo], older: list[int]) -> list[dict]:
    """Return a story body: paragraphs with, now and then, a quote, a photo, related cards and
    a read-more link to ``older`` stories."""
    body = [{"type": "paragraph", "value": f"<p>{text.paragraph()}</p>"}]
    for _ in range(rng.randint(4, 15)):
        roll = rng.random()
        if roll < 0.06:
            body.append(
                {
                    "type": "quote",
                    "value": {"text": text.sentence(10, 30), "attribution": text.headline()[:60]},
                }
            )
        elif roll < 0.10:
            body.append({"type": "image", "value": {"photo": rng.choice(photos).pk, "caption": ""}})
        elif roll < 0.14 and older:
            body.append({"type": "related", "value": {"story": rng.choice(older)}})
        elif roll < 0.16 and older:
            body.append({"type": "read_more", "value": {"story": rng.choice(older), "label": ""}})
        body.append({"type": "paragraph", "value": f"<p>{text.paragraph()}</p>"})
    return body


def generate_archive(
    edition,
    count: int,
    *,
    seed: int = 0,
    years: int = 10,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int, float], None] | None = None,
) -> GenerateReport:
    """Add ``count`` published stories to ``edition``, spread evenly over the last ``years``
    years up to an hour ago, with the same output for the same ``seed`` and existing data.

    Creates the sections (when the edition has none), people, tags, places and photo pool the
    stories use. ``progress`` is called after each batch with (done, count, seconds so far).
    Returns what was created."""
    started = time.monotonic()
    report = GenerateReport()
    rng = random.Random(seed)
    text = Text(rng)
    sections = list(Section.objects.filter(edition=edition))
    if not sections:
        for order, (slug, name) in enumerate(SECTIONS):
            Section.objects.create(edition=edition, slug=slug, name=name, sort_order=order)
        sections = list(Section.objects.filter(edition=edition))
    photos = _photos(rng, text, report)
    reporters = _people(rng, PEOPLE_POOL, Person.Role.REPORTER, report)
    tags = _tags(rng, text, report)
    # A few tags are in the news a lot, most rarely: weight the pool like that.
    tag_weights = [1 / (n + 1) for n in range(len(tags))]
    places = [Place.objects.get_or_create(name=n, country_code=c)[0] for n, c in PLACES]
    kinds, kind_weights = zip(*KINDS, strict=True)

    end = timezone.now() - dt.timedelta(hours=1)
    span = dt.timedelta(days=365 * years).total_seconds()
    times = sorted(end - dt.timedelta(seconds=rng.random() * span) for _ in range(count))
    tz = edition.tzinfo

    tree = Tree(edition)
    with transaction.atomic():
        _make_buckets(tree, edition, {timezone.localtime(t, tz).date() for t in times}, report)
        tree.save_child_counts()

    content_type = ContentType.objects.get_for_model(ArticlePage)
    older = list(
        ArticlePage.objects.filter(edition=edition, live=True)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:500]
    )
    slugs_by_day: dict[str, set[str]] = defaultdict(set)
    for start in range(0, count, batch_size):
        stories, extras = [], []
        for when in times[start : start + batch_size]:
            day = timezone.localtime(when, tz).date()
            bucket = tree.buckets[(day.year, day.month, day.day)]
            headline = text.headline()
            slug = base = slugify(headline)[:60].strip("-") or "story"
            n = 2
            while slug in slugs_by_day[bucket["path"]]:
                slug, n = f"{base}-{n}", n + 1
            slugs_by_day[bucket["path"]].add(slug)
            body = _body(rng, text, photos, older)
            lead = rng.choice(photos) if rng.random() < 0.85 else None
            story = ArticlePage(
                path=tree.child_path(bucket["path"]),
                depth=tree.edition.depth + 4,
                numchild=0,
                title=headline,
                draft_title=headline,
                slug=slug,
                url_path=f"{bucket['url_path']}{slug}/",
                content_type=content_type,
                locale_id=edition.locale_id,
                translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                live=True,
                has_unpublished_changes=False,
                first_published_at=when,
                last_published_at=when,
                edition_id=edition.pk,
                standfirst=text.sentence(18, 40),
                kind=rng.choices(kinds, kind_weights)[0],
                primary_section=rng.choice(sections),
                dateline_place=rng.choice(places) if rng.random() < 0.8 else None,
                lead_photo=lead,
                body=body,
                published_at=when,
                is_top_story=rng.random() < 0.02,
            )
            photo_ids = {lead.pk} if lead else set()
            photo_ids |= {b["value"]["photo"] for b in body if b["type"] == "image"}
            extras.append(
                (
                    photo_ids,
                    rng.sample(sections, 1) if rng.random() < 0.2 else [],
                    set(rng.choices(tags, tag_weights, k=rng.randint(1, 5))),
                    rng.sample(reporters, rng.choice((1, 1, 1, 2))),
                )
            )
            story.raw_body = body
            stories.append(story)
        with transaction.atomic():
            _insert_pages(ArticlePage, stories)
            _insert_relations(stories, extras)
            tree.save_child_counts()
            _index(stories)
        older = (older + [s.pk for s in stories])[-500:]
        report.stories += len(stories)
        if progress:
            progress(report.stories, count, time.monotonic() - started)
    if connection.vendor == "postgresql":
        # The planner's statistics still describe the tables before the load (autovacuum
        # gets to them later): without fresh ones it reads every story to sort them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    report.seconds = time.monotonic() - started
    return report


def _insert_relations(stories: list[ArticlePage], extras: list[tuple]) -> None:
    photo_rows, section_rows, tag_rows, byline_rows = [], [], [], []
    PhotoLink = ArticlePage.photos.through
    SectionLink = ArticlePage.further_sections.through
    for story, (photo_ids, further, story_tags, people) in zip(stories, extras, strict=True):
        photo_rows += [PhotoLink(articlepage_id=story.pk, photo_id=pk) for pk in photo_ids]
        section_rows += [
            SectionLink(articlepage_id=story.pk, section_id=s.pk)
            for s in further
            if s.pk != story.primary_section_id
        ]
        tag_rows += [ArticleTag(content_object_id=story.pk, tag_id=t.pk) for t in story_tags]
        byline_rows += [
            Byline(article_id=story.pk, person_id=p.pk, sort_order=n) for n, p in enumerate(people)
        ]
    PhotoLink.objects.bulk_create(photo_rows)
    SectionLink.objects.bulk_create(section_rows)
    ArticleTag.objects.bulk_create(tag_rows)
    Byline.objects.bulk_create(byline_rows)
    # The stories' places on their sections', tags' and people's lists, as a publish makes them.
    sync_listings([story.pk for story in stories])


def _index(stories: list[ArticlePage]) -> None:
    """Index ``stories`` for search with each backend's bulk call.

    Only the text blocks are searchable; the indexer is given a body without the photo and
    story blocks so that it does not load their photos and pages one story at a time."""
    for story in stories:
        # A generated paragraph is plain words in one <p>: handing the indexer the words
        # alone gives it the same text without running an HTML parser over each one.
        story.body = [
            {"type": "paragraph", "value": b["value"][3:-4]} if b["type"] == "paragraph" else b
            for b in story.raw_body
            if b["type"] in ("paragraph", "quote")
        ]
    for backend in get_search_backends():
        backend.add_bulk(ArticlePage, stories)
