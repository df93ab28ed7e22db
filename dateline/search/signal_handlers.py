"""The vocabulary follows what readers can see: a story's words are counted when it is
published (sent only for a story readers now see: never an embargoed or scheduled one) and
taken off when it is withdrawn. A failure here is logged, never raised: the story is
published already, and only suggestions depend on it (``dateline search-words`` rebuilds)."""

import logging

from django.dispatch import receiver

from dateline.articles.actions import story_published, story_withdrawn
from dateline.search import vocabulary

log = logging.getLogger(__name__)


@receiver(story_published)
def count_words(sender, story, **kwargs):
    try:
        vocabulary.add_story(story)
    except Exception:  # noqa: BLE001 (publishing has happened; see the module's note)
        log.exception("Could not add the words of story %s to the search vocabulary", story.pk)


@receiver(story_withdrawn)
def uncount_words(sender, story, **kwargs):
    try:
        vocabulary.add_story(story, step=-1)
    except Exception:  # noqa: BLE001
        log.exception("Could not take the words of story %s off the vocabulary", story.pk)
