"""A story's places on the lists of sections, tags and people follow what is published."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from dateline.articles.actions import publish_story
from dateline.articles.listings import sync_listings
from dateline.articles.models import ArticlePage, StoryListing

pytestmark = pytest.mark.django_db


def places(story) -> set[tuple[str, str]]:
    """Return (kind, name) of every list ``story`` is on."""
    from taggit.models import Tag

    from dateline.people.models import Person
    from dateline.sections.models import Section

    names = {
        StoryListing.Kind.SECTION: Section,
        StoryListing.Kind.TAG: Tag,
        StoryListing.Kind.PERSON: Person,
    }
    return {
        (row.kind, names[row.kind].objects.get(pk=row.target_id).name)
        for row in StoryListing.objects.filter(story=story)
    }


def listed(client, url) -> str:
    html = client.get(url).content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_a_published_story_is_on_its_sections_tags_and_bylines_lists(make_story):
    when = timezone.now() - dt.timedelta(hours=3)
    story = make_story(
        "Harbour Reopens",
        section="world",
        further_sections=("europe",),
        tags=["ports", "shipping"],
        bylines=["Ada Reporter"],
        published_at=when,
    )
    assert places(story) == {
        ("section", "World"),
        ("section", "Europe"),
        ("tag", "ports"),
        ("tag", "shipping"),
        ("person", "Ada Reporter"),
    }
    assert {row.published_at for row in story.listings.all()} == {when}
    draft = make_story("Unpublished Draft", tags=["ports"], publish=False)
    assert places(draft) == set()


def test_republishing_with_other_tags_moves_the_story_between_lists(client, make_story):
    story = make_story("Volcano Erupts", tags=["volcanoes"])
    assert "Volcano Erupts" in listed(client, "/en/tags/volcanoes/")
    story.tags.set(["tennis"])
    publish_story(story)
    assert "Volcano Erupts" not in listed(client, "/en/tags/volcanoes/")
    assert "Volcano Erupts" in listed(client, "/en/tags/tennis/")
    assert places(story) == {("section", "World"), ("tag", "tennis")}


def test_an_unpublished_story_leaves_its_lists(client, make_story):
    story = make_story("Soon Gone", section="asia", tags=["elections"])
    assert "Soon Gone" in listed(client, "/en/asia/")
    story.unpublish()
    assert places(story) == set()
    assert "Soon Gone" not in listed(client, "/en/asia/")
    assert "Soon Gone" not in listed(client, "/en/tags/elections/")


def test_lists_are_newest_first_by_publication_time(client, make_story):
    now = timezone.now()
    make_story("Older Story", tags=["markets"], published_at=now - dt.timedelta(days=3))
    make_story("Newer Story", tags=["markets"], published_at=now - dt.timedelta(hours=2))
    make_story("Middle Story", tags=["markets"], published_at=now - dt.timedelta(days=1))
    html = listed(client, "/en/tags/markets/")
    assert html.index("Newer Story") < html.index("Middle Story") < html.index("Older Story")


def test_the_migrations_backfill_makes_the_rows_a_publish_makes(make_story):
    import importlib

    backfill = importlib.import_module("dateline.articles.migrations.0005_story_listing").BACKFILL
    make_story(
        "Full Story",
        further_sections=("europe", "world"),  # the primary section again: listed once
        tags=["ports", "fishing"],
        bylines=["Ada Reporter", "Ben Writer"],
    )
    make_story("Plain Story")
    make_story("Draft Story", tags=["ports"], publish=False)
    ids = ArticlePage.objects.values_list("pk", flat=True)
    sync_listings(ids)

    def rows():
        return set(
            StoryListing.objects.values_list(
                "story_id", "kind", "target_id", "edition_id", "published_at"
            )
        )

    published = rows()
    assert len(published) == 7  # 2 sections, 2 tags, 2 people; 1 section
    StoryListing.objects.all().delete()
    with connection.cursor() as cursor:
        for statement in backfill:
            cursor.execute(statement, [True])
    assert rows() == published
