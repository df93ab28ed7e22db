"""Who may see what through the API: the one place that decides it."""

from django.shortcuts import get_object_or_404

from dateline.articles.models import ArticlePage
from dateline.mediabank.models import Photo
from dateline.mediabank.usage import public_photos


def visible_stories():
    """Return every story a reader may see, loaded for listing."""
    return ArticlePage.objects.visible().for_cards()


def access_story(story_id: int) -> ArticlePage:
    """Return the story ``story_id`` when readers may see it, with what its full
    representation reads; raise Http404 otherwise (drafts, scheduled and future stories)."""
    return get_object_or_404(
        visible_stories()
        .select_related("dateline_place")
        .prefetch_related("bylines__person", "tags", "corrections", "further_sections"),
        pk=story_id,
    )


def public_photo_queryset():
    return public_photos(Photo.objects.select_related("photographer")).prefetch_related(
        "renditions", "tags"
    )


def access_photo(photo_id: int) -> Photo:
    """Return the photo ``photo_id`` when a visible story shows it; raise Http404 otherwise,
    since its caption could tell what an unpublished story holds."""
    return get_object_or_404(public_photo_queryset(), pk=photo_id)
