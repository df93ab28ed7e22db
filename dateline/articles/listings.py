"""The lists pages show newest first (a section's stories, a tag's, a person's), kept as rows
of ``StoryListing`` with each story's publication time, and read from their index in order."""

from django.db import transaction

from dateline.articles.models import ArticlePage, ArticleTag, Byline, StoryListing

Kind = StoryListing.Kind


def sync_listings(story_ids) -> int:
    """Make the listing rows of the stories ``story_ids`` match what they are now: the lists of
    their primary and further sections, tags and bylines for a live story with a publication
    time, none otherwise. Returns the number of rows written."""
    story_ids = list(story_ids)
    stories = ArticlePage.objects.filter(
        pk__in=story_ids, live=True, published_at__isnull=False
    ).values_list("pk", "edition_id", "published_at", "primary_section_id")
    rows = {}
    placed = {}
    for pk, edition_id, published_at, section_id in stories:
        placed[pk] = (edition_id, published_at)
        rows[pk, Kind.SECTION, section_id] = placed[pk]
    further = ArticlePage.further_sections.through.objects.filter(
        articlepage_id__in=placed
    ).values_list("articlepage_id", "section_id")
    links = [
        *((pk, Kind.SECTION, section) for pk, section in further),
        *(
            (pk, Kind.TAG, tag)
            for pk, tag in ArticleTag.objects.filter(content_object_id__in=placed).values_list(
                "content_object_id", "tag_id"
            )
        ),
        *(
            (pk, Kind.PERSON, person)
            for pk, person in Byline.objects.filter(article_id__in=placed).values_list(
                "article_id", "person_id"
            )
        ),
    ]
    for pk, kind, target in links:
        rows[pk, kind, target] = placed[pk]
    with transaction.atomic():
        StoryListing.objects.filter(story_id__in=story_ids).delete()
        StoryListing.objects.bulk_create(
            StoryListing(
                story_id=pk,
                kind=kind,
                target_id=target,
                edition_id=edition_id,
                published_at=published_at,
            )
            for (pk, kind, target), (edition_id, published_at) in rows.items()
        )
    return len(rows)


def newest_listed(edition, kind: str, target_id: int, newest: int) -> list[int]:
    """Return the ids of the ``newest`` visible stories of ``edition`` on the list (``kind``,
    ``target_id``), newest first: a walk down the list's index that stops when it has them."""
    return list(
        ArticlePage.objects.visible()
        .filter(listings__kind=kind, listings__target_id=target_id, listings__edition=edition)
        .order_by("-listings__published_at", "-listings__story_id")
        .values_list("pk", flat=True)[:newest]
    )
