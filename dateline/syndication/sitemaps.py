"""What the sitemaps list: the index, each edition's pages, tag pages, stories by month and the
Google News sitemap, with image entries and hreflang alternates.

Django's ``contrib.sitemaps`` is not used: its index counts the rows of every sitemap it lists,
and it has no news or image extensions. Here every query is bounded by an index: months come
from the date buckets of the page tree (a few rows per day, never the stories), a month's
stories from a range of tree paths, and the news sitemap from the edition's publication-time
index, at most 1,000 rows.
"""

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Concat
from django.utils import timezone
from lxml import etree
from taggit.models import Tag

from dateline.articles.models import ArchivePage, ArticlePage, ArticleTag
from dateline.articles.structured_data import absolute
from dateline.editions.lookup import live_editions
from dateline.editions.translations import translation_groups
from dateline.syndication.feeds import FEED_IMAGE

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# Google allows 50,000 addresses a sitemap; smaller files are quicker to build and to fetch.
STORIES_PER_SITEMAP = 10_000
TAGS_PER_SITEMAP = 10_000
# Google News: only stories of the last two days, at most 1,000 of them.
NEWS_MAX_AGE = dt.timedelta(days=2)
NEWS_MAX_ENTRIES = 1_000

# Tag pages are routed only for slugs that start with a letter (see config/urls.py).
ROUTABLE_SLUG = re.compile(r"^[^\W\d_][\w-]*$")


@dataclass
class Entry:
    """One ``<url>`` of a sitemap."""

    loc: str
    lastmod: dt.datetime | None = None
    images: list[str] = field(default_factory=list)
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (hreflang, address)
    news: dict | None = None  # name, language, publication_date, title


@dataclass
class Listed:
    """One ``<sitemap>`` of the index."""

    loc: str
    lastmod: dt.datetime | None = None


# --- rendering


def render_urlset(entries: list[Entry]) -> bytes:
    nsmap = {None: SITEMAP_NS, "image": IMAGE_NS, "news": NEWS_NS, "xhtml": XHTML_NS}
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap=nsmap)
    for entry in entries:
        url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = entry.loc
        if entry.lastmod:
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = w3c(entry.lastmod)
        for hreflang, href in entry.alternates:
            etree.SubElement(
                url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang, href=href
            )
        if entry.news:
            news = etree.SubElement(url, f"{{{NEWS_NS}}}news")
            publication = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
            etree.SubElement(publication, f"{{{NEWS_NS}}}name").text = entry.news["name"]
            etree.SubElement(publication, f"{{{NEWS_NS}}}language").text = entry.news["language"]
            etree.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = w3c(
                entry.news["publication_date"]
            )
            etree.SubElement(news, f"{{{NEWS_NS}}}title").text = entry.news["title"]
        for image in entry.images:
            image_el = etree.SubElement(url, f"{{{IMAGE_NS}}}image")
            etree.SubElement(image_el, f"{{{IMAGE_NS}}}loc").text = image
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8")


def render_index(listed: list[Listed]) -> bytes:
    index = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    for item in listed:
        sitemap = etree.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        etree.SubElement(sitemap, f"{{{SITEMAP_NS}}}loc").text = item.loc
        if item.lastmod:
            etree.SubElement(sitemap, f"{{{SITEMAP_NS}}}lastmod").text = w3c(item.lastmod)
    return etree.tostring(index, xml_declaration=True, encoding="UTF-8")


def w3c(moment: dt.datetime) -> str:
    """Return ``moment`` in the W3C date-time form sitemaps use, in UTC, to the second."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


# --- the index


def sitemap_index() -> list[Listed]:
    """Return every sitemap of every live edition: its pages, its tag pages, its stories by
    month (several sitemaps for a month with many), and its news sitemap while it has stories
    of the last two days."""
    listed = []
    for edition in live_editions():
        base = f"/{edition.slug}/sitemaps/"
        listed.append(Listed(absolute(base + "pages.xml")))
        newest = news_stories(edition).values_list("published_at", flat=True).first()
        if newest:
            listed.append(Listed(absolute(base + "news.xml"), lastmod=newest))
        for n in range(1, tag_sitemap_count(edition) + 1):
            listed.append(Listed(absolute(base + f"tags-{n}.xml")))
        for month in story_months(edition):
            for n in range(1, month.sitemap_count + 1):
                suffix = "" if n == 1 else f"-{n}"
                listed.append(
                    Listed(absolute(base + f"stories-{month.year}-{month.month:02d}{suffix}.xml"))
                )
    return listed


@dataclass
class Month:
    year: int
    month: int
    path: str  # the month bucket's tree path
    filed: int  # stories filed under it, drafts included
    sitemap_count: int = 1


def story_months(edition) -> list[Month]:
    """Return the months of ``edition`` that hold a visible story, newest first, each with the
    number of sitemaps its stories fill."""
    months: dict[str, Month] = {}
    # Day buckets: a few hundred rows a year. Their child counts give each month's size.
    days = ArchivePage.objects.filter(
        day__isnull=False, path__startswith=edition.path, depth=edition.depth + 3
    ).values_list("year", "month", "path", "numchild")
    steplen = ArchivePage.steplen
    for year, month, path, numchild in days:
        month_path = path[:-steplen]
        entry = months.setdefault(month_path, Month(year, month, month_path, 0))
        entry.filed += numchild
    # Which months hold a visible story: one query, a look into each month's stretch of the
    # tree that stops at its first visible story.
    # (In the select list, not the where clause: PostgreSQL would turn the latter into a join
    # that reads every story of the edition.)
    holding = {
        path
        for path, holds in ArchivePage.objects.filter(
            month__isnull=False,
            day__isnull=True,
            path__startswith=edition.path,
            depth=edition.depth + 2,  # (without it, every page under the edition is read)
        )
        .annotate(holds=Exists(month_stories(OuterRef("path"), depth=OuterRef("depth")).order_by()))
        .values_list("path", "holds")
        if holds
    }
    result = []
    for month in sorted(months.values(), key=lambda m: (m.year, m.month), reverse=True):
        if month.path not in holding:
            continue
        if month.filed > STORIES_PER_SITEMAP:
            # Only a big month is counted, over its own stretch of the tree.
            stories = month_stories(month.path)
            month.sitemap_count = math.ceil(stories.count() / STORIES_PER_SITEMAP)
        result.append(month)
    return result


def month_stories(month_path, depth=None):
    """Return the visible stories filed under the month bucket at ``month_path`` (a string,
    or an expression with ``depth`` the month's), as a range of tree paths (which the path
    index serves) rather than a prefix match."""
    steplen = ArchivePage.steplen
    if isinstance(month_path, str):
        depth = len(month_path) // steplen
        bounds = (month_path + "0" * 2 * steplen, month_path + "Z" * 2 * steplen)
    else:
        bounds = (
            Concat(month_path, Value("0" * 2 * steplen)),
            Concat(month_path, Value("Z" * 2 * steplen)),
        )
    return ArticlePage.objects.visible().filter(path__range=bounds, depth=depth + 2)


def find_month(edition, year: int, month: int) -> str | None:
    """Return the tree path of ``edition``'s bucket for the month, or None."""
    bucket = (
        ArchivePage.objects.filter(
            year=year, month=month, day__isnull=True, path__startswith=edition.path
        )
        .values_list("path", flat=True)
        .first()
    )
    return bucket


# --- the sitemaps


def story_entries(edition, year: int, month: int, n: int) -> list[Entry] | None:
    """Return the ``n``-th sitemap of the stories filed in ``edition`` in the month, or None
    when there is no such sitemap."""
    month_path = find_month(edition, year, month)
    if month_path is None or n < 1:
        return None
    start = (n - 1) * STORIES_PER_SITEMAP
    stories = list(
        month_stories(month_path)
        .order_by("path")
        .select_related("lead_photo")
        .prefetch_related("lead_photo__renditions")[start : start + STORIES_PER_SITEMAP]
    )
    if not stories:
        return None
    alternates = story_alternates(stories)
    return [
        Entry(
            loc=absolute(story.url),
            lastmod=last_change(story),
            images=existing_images(story),
            alternates=alternates.get(story.pk, []),
        )
        for story in stories
    ]


def news_stories(edition, now=None):
    now = now or timezone.now()
    return (
        ArticlePage.objects.visible(now)
        .filter(edition=edition, published_at__gte=now - NEWS_MAX_AGE)
        .order_by("-published_at")
    )


def news_entries(edition) -> list[Entry]:
    """Return the Google News sitemap of ``edition``: its stories of the last two days, newest
    first, at most 1,000."""
    stories = list(
        news_stories(edition)
        .select_related("lead_photo")
        .prefetch_related("lead_photo__renditions")[:NEWS_MAX_ENTRIES]
    )
    alternates = story_alternates(stories)
    entries = []
    for story in stories:
        images = []
        if story.lead_photo:
            # Recent stories: make the public copy if no reader has asked for it yet.
            images = [absolute(story.lead_photo.get_rendition(FEED_IMAGE).url)]
        entries.append(
            Entry(
                loc=absolute(story.url),
                lastmod=last_change(story),
                images=images,
                alternates=alternates.get(story.pk, []),
                news={
                    "name": edition.site_name,
                    "language": edition.language_code,
                    "publication_date": story.published_at,
                    "title": story.title,
                },
            )
        )
    return entries


def page_entries(edition) -> list[Entry]:
    """Return the edition's fronts: home, archive and section fronts. The home front names
    the other editions' home fronts as its language alternates."""
    editions = live_editions()
    alternates = (
        [(e.language_code, absolute(f"/{e.slug}/")) for e in editions] if len(editions) > 1 else []
    )
    entries = [
        Entry(absolute(f"/{edition.slug}/"), alternates=alternates),
        Entry(absolute(f"/{edition.slug}/archive/")),
    ]
    entries += [Entry(absolute(section.url)) for section in edition.sections.all()]
    return entries


def edition_tags(edition):
    """Return the tags that a visible story of ``edition`` carries, by id. Each tag walks its
    own tagged stories (the tag index), checks each by primary key, and stops at the first
    visible one of the edition, so no query scans the edition's stories."""
    visible_here = ArticlePage.objects.visible().filter(
        edition=edition, pk=OuterRef("content_object_id")
    )
    tagged = ArticleTag.objects.filter(tag=OuterRef("pk")).filter(Exists(visible_here))
    return Tag.objects.filter(Exists(tagged)).order_by("pk")


def tag_sitemap_count(edition) -> int:
    return math.ceil(edition_tags(edition).count() / TAGS_PER_SITEMAP)


def tag_entries(edition, n: int) -> list[Entry] | None:
    if n < 1:
        return None
    start = (n - 1) * TAGS_PER_SITEMAP
    tags = list(
        edition_tags(edition).values_list("slug", flat=True)[start : start + TAGS_PER_SITEMAP]
    )
    if not tags:
        return None
    return [
        Entry(absolute(f"/{edition.slug}/tags/{slug}/"))
        for slug in tags
        if ROUTABLE_SLUG.match(slug)
    ]


# --- helpers


def last_change(story) -> dt.datetime:
    return max(t for t in (story.published_at, story.last_published_at) if t)


def existing_images(story) -> list[str]:
    """Return the public copy of the story's lead photo, if one has been made already.

    An archive sitemap lists thousands of stories; making missing renditions here would take
    minutes, and the story page or its feed makes this one the first time it is shown."""
    photo = story.lead_photo
    if photo is None:
        return []
    for rendition in photo.renditions.all():
        if rendition.filter_spec == FEED_IMAGE:
            return [absolute(rendition.url)]
    return []


def story_alternates(stories) -> dict[int, list[tuple[str, str]]]:
    """Return, for each story that has visible translations in other live editions, the
    hreflang alternates of the whole group (itself included), in one query: the same lookup
    as the story page's own hreflang links and language switcher."""
    return {
        pk: [(code, absolute(url)) for code, url in group.items()]
        for pk, group in translation_groups(stories).items()
    }


def robots_txt() -> str:
    return (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /*/search/\n"
        "\n"
        f"Sitemap: {settings.SITE_URL}/sitemap.xml\n"
    )
