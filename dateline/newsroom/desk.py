"""What the newsroom's dashboard shows: the day's stories of each edition by state (its day
and its times in the edition's time zone), and the submissions that wait for an editor."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Revision, WorkflowState

from dateline.articles.models import ArticlePage
from dateline.discussion.models import Comment
from dateline.editions.models import Edition

LIMIT = 50
# Earlier than any time a revision is approved to go live at.
EVER = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


@dataclass
class EditionDesk:
    """One edition's part of the desk: the same lists as the desk's, for its stories only,
    its "today" the day in its own time zone."""

    edition: Edition
    published_today: list[ArticlePage] = field(default_factory=list)
    scheduled: list[tuple[ArticlePage, dt.datetime]] = field(default_factory=list)
    embargoed: list[ArticlePage] = field(default_factory=list)
    expiring: list[ArticlePage] = field(default_factory=list)
    pending: list[WorkflowState] = field(default_factory=list)
    withdrawn_today: list[ArticlePage] = field(default_factory=list)

    @property
    def is_quiet(self) -> bool:
        return not (
            self.published_today
            or self.scheduled
            or self.embargoed
            or self.expiring
            or self.pending
            or self.withdrawn_today
        )


def midnight_in(edition: Edition, now: dt.datetime) -> dt.datetime:
    """Return the start of ``now``'s day in ``edition``'s time zone."""
    return timezone.localtime(now, edition.tzinfo).replace(
        hour=0, minute=0, second=0, microsecond=0
    )


@dataclass
class Desk:
    published_today: list[ArticlePage] = field(default_factory=list)
    # (story, when it goes live), soonest first
    scheduled: list[tuple[ArticlePage, dt.datetime]] = field(default_factory=list)
    embargoed: list[ArticlePage] = field(default_factory=list)
    # live stories with an unpublishing time ahead, soonest first
    expiring: list[ArticlePage] = field(default_factory=list)
    pending: list[WorkflowState] = field(default_factory=list)
    withdrawn_today: list[ArticlePage] = field(default_factory=list)
    # Readers' comments waiting for a moderator; None when the desk is not a moderator's.
    pending_comments: int | None = None
    # The lists above, split by edition (in the tree's order).
    editions: list[EditionDesk] = field(default_factory=list)


def newsroom_desk(stories, *, comments: bool = False, now: dt.datetime | None = None) -> Desk:
    """Return the desk for ``stories`` (the queryset of stories the user may see): what went
    live since midnight (in each edition's time zone), what is scheduled, under embargo or
    due to come down, what was withdrawn today, the submissions waiting in the review workflow
    and, with ``comments``, how many readers' comments wait for a moderator; each list also
    split by edition."""
    now = now or timezone.now()
    # Sorted here, in the tree's order: ordered in SQL, SQLite would read the page tree by path.
    all_editions = sorted(
        Edition.objects.select_related("locale").order_by(), key=lambda edition: edition.path
    )
    midnights = {edition.pk: midnight_in(edition, now) for edition in all_editions}
    # The earliest midnight of any edition: each story is then kept if it falls on its own
    # edition's day.
    midnight = min(midnights.values(), default=now)
    # Today's stories through each edition's index of publication times (article_edition_time),
    # not through every story.
    editions = list(midnights)
    embargoed = list(stories.embargoed(now).order_by("embargo_until")[:LIMIT])
    story_type = ContentType.objects.get_for_model(ArticlePage)
    # The revisions approved to go live later, of every kind (a few, read through Wagtail's
    # index of approved_go_live_at: a range, as SQLite uses no index for IS NOT NULL), the
    # stories' kept here: a filter on the content type in SQL would lead SQLite through that
    # type's index, which holds every revision of every story.
    schedule = {
        object_id: go_live_at
        for content_type_id, object_id, go_live_at in Revision.objects.filter(
            approved_go_live_at__gt=EVER
        ).values_list("content_type_id", "object_id", "approved_go_live_at")
        if content_type_id == story_type.pk
    }
    scheduled_stories = stories.filter(
        pk__in=[int(pk) for pk in schedule], withdrawn_at__isnull=True
    ).exclude(pk__in=[s.pk for s in embargoed])
    pending = (
        WorkflowState.objects.active()
        .filter(content_type=story_type)
        .select_related("requested_by", "current_task_state__task")
        .order_by("created_at")
    )
    pending_stories = stories.in_bulk([int(state.object_id) for state in pending])
    for state in pending:
        state.story = pending_stories.get(int(state.object_id))
    desk = Desk(
        published_today=[
            story
            for story in stories.visible(now)
            .filter(edition__in=editions, published_at__gte=midnight)
            .order_by("-published_at")[:LIMIT]
            if story.published_at >= midnights[story.edition_id]
        ],
        scheduled=sorted(
            ((story, schedule[str(story.pk)]) for story in scheduled_stories[:LIMIT]),
            key=lambda pair: pair[1],
        ),
        embargoed=embargoed,
        expiring=list(
            stories.visible(now).filter(expire_at__isnull=False).order_by("expire_at")[:LIMIT]
        ),
        pending=[state for state in pending if state.story is not None][:LIMIT],
        withdrawn_today=[
            story
            for story in stories.filter(withdrawn_at__gte=midnight).order_by("-withdrawn_at")[
                :LIMIT
            ]
            if story.withdrawn_at >= midnights.get(story.edition_id, midnight)
        ],
        pending_comments=(
            Comment.objects.filter(status=Comment.Status.PENDING).count() if comments else None
        ),
    )
    by_edition = {edition.pk: EditionDesk(edition) for edition in all_editions}
    for name in ("published_today", "embargoed", "expiring", "withdrawn_today"):
        for story in getattr(desk, name):
            if story.edition_id in by_edition:
                getattr(by_edition[story.edition_id], name).append(story)
    for story, when in desk.scheduled:
        if story.edition_id in by_edition:
            by_edition[story.edition_id].scheduled.append((story, when))
    for state in desk.pending:
        if state.story.edition_id in by_edition:
            by_edition[state.story.edition_id].pending.append(state)
    desk.editions = list(by_edition.values())
    return desk
