"""The vocabulary follows what readers can see: a story's words are counted when it is
published (sent only for a story readers now see: never an embargoed or scheduled one) and
taken off when it is withdrawn."""

from django.dispatch import receiver

from dateline.articles.actions import story_published, story_withdrawn
from dateline.search import vocabulary


@receiver(story_published)
def count_words(sender, story, **kwargs):
    vocabulary.add_story(story)


@receiver(story_withdrawn)
def uncount_words(sender, story, **kwargs):
    vocabulary.add_story(story, step=-1)
