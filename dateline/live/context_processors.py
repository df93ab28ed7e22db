from django.db.models import Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject


def live(request):
    """The newsfeed panel, the breaking news banner and the stream position of every page of an
    edition. The position is read before what the page shows, and the page opens its stream
    from it, so nothing published in between is lost (at worst it comes twice, and the page's
    script drops what it already shows)."""
    edition = getattr(request, "edition", None)
    if edition is None:
        return {}

    def state():
        from dateline.articles.models import ArticlePage
        from dateline.live.channels import edition_channel
        from dateline.live.events import current_event_id
        from dateline.live.models import BreakingNews, LiveCoveragePage
        from dateline.live.newsfeed import newsfeed

        channel = edition_channel(edition.language_code)
        last_event_id = current_event_id([channel])
        return {
            "channel": channel,
            "last_event_id": last_event_id,
            "newsfeed": newsfeed(edition),
            "breaking": BreakingNews.objects.active()
            .filter(edition=edition, story__in=ArticlePage.objects.visible())
            .select_related("story", "story__primary_section", "story__edition")
            .first(),
            "coverages": list(
                LiveCoveragePage.objects.live()
                .filter(edition=edition)
                .filter(Q(coverage_end__isnull=True) | Q(coverage_end__gt=timezone.now()))
                .order_by("-coverage_start")[:3]
            ),
        }

    return {"live": SimpleLazyObject(state)}
