"""What a signed-in reader follows, turned into stories."""

from django.db.models import Q

from dateline.articles.models import ArticlePage
from dateline.subscriptions.models import Follow


def followed_stories(user, edition, now=None):
    """Return the visible stories of ``edition`` in a section (primary or further), with a
    tag or by an author that ``user`` follows, newest first; none when they follow nothing."""
    follows = list(
        Follow.objects.filter(user=user).values_list("section_id", "tag_id", "person_id")
    )
    sections = [s for s, _t, _p in follows if s]
    tags = [t for _s, t, _p in follows if t]
    people = [p for _s, _t, p in follows if p]
    if not follows:
        return ArticlePage.objects.none()
    match = Q(pk__in=[])
    if sections:
        match |= Q(primary_section__in=sections) | Q(further_sections__in=sections)
    if tags:
        match |= Q(tagged_items__tag__in=tags)
    if people:
        match |= Q(bylines__person__in=people)
    ids = ArticlePage.objects.visible(now).filter(match, edition=edition).values("pk")
    return (
        ArticlePage.objects.filter(pk__in=ids)
        .visible(now)
        .for_cards()
        .order_by("-published_at", "-pk")
    )
