"""The newsfeed: an edition's latest stories, as the panel on every page shows them and as
the live stream announces them (one shape for both, so the page's script adds an item exactly
as the server would have rendered it)."""

from django.utils import timezone

from dateline.articles.models import ArticlePage

NEWSFEED_SIZE = 20


def story_item(story: ArticlePage) -> dict:
    edition = story.edition
    local = timezone.localtime(story.published_at, edition.tzinfo)
    return {
        "id": story.pk,
        "headline": story.title,
        "url": story.url,
        "section": story.primary_section.name,
        "published_at": story.published_at.isoformat(timespec="seconds"),
        "time": local.strftime("%H:%M"),
    }


def latest_stories(edition, limit: int = NEWSFEED_SIZE) -> list[ArticlePage]:
    stories = list(
        ArticlePage.objects.visible()
        .filter(edition=edition)
        .select_related("primary_section")
        .order_by("-published_at", "-pk")[:limit]
    )
    for story in stories:  # every one is the edition's: not built again for each (a page)
        story.edition = edition
    return stories


def newsfeed(edition, limit: int = NEWSFEED_SIZE) -> list[dict]:
    return [story_item(story) for story in latest_stories(edition, limit)]
