"""Everything that changes comments: posting (with the automatic holds), editing, deleting,
reporting and moderating. Each change goes to the page's readers on the live stream after it
commits: published comments appear, edits replace, and removals disappear."""

import datetime as dt
import re

import nh3
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import linebreaks, urlize
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dateline.accounts.models import display_name, is_staff_member, public_key
from dateline.accounts.text import clean_text
from dateline.discussion.models import (
    COMMENT_MAX,
    Comment,
    CommentReport,
    DiscussionSettings,
    PageDiscussion,
    ReaderBan,
)
from dateline.live.events import publish

# Posting faster than this is refused outright (a flood), not held.
FLOOD_COUNT, FLOOD_SECONDS = 8, 60
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


class CommentRefused(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def channel(page_id: int) -> str:
    return f"comments-{page_id}"


def author_key(user) -> str:
    return public_key(user)


def render_text(text: str) -> str:
    """A comment as HTML: its text escaped, paragraphs and links added, and nothing else."""
    # urlize escapes the text and links addresses; linebreaks must not escape it again.
    html = linebreaks(urlize(text, trim_url_limit=60, nofollow=True, autoescape=True), False)
    return nh3.clean(
        html,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="nofollow ugc noopener",
    )


def as_json(comment: Comment, staff_ids: set[int] | None = None) -> dict:
    """A comment as the page's script gets it; a list passes the staff among its authors,
    looked up once (accounts.models.staff_member_ids)."""
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "author": display_name(comment.user),
        "author_key": author_key(comment.user),
        "author_staff": is_staff_member(comment.user, staff_ids),
        "created_at": comment.created_at.isoformat(),
        "edited": comment.edited_at is not None,
        "html": render_text(comment.text),
    }


# --- the state of a page's discussion


def commentable(page) -> bool:
    from dateline.articles.models import ArticlePage
    from dateline.live.models import LiveCoveragePage

    return page.live and page.specific_class in (ArticlePage, LiveCoveragePage)


def mode_of(page, config: DiscussionSettings | None = None) -> str:
    """open, premoderated or closed, for ``page`` now."""
    config = config or DiscussionSettings.load()
    stored = PageDiscussion.objects.filter(page_id=page.pk).values_list("mode", flat=True).first()
    if stored == PageDiscussion.Mode.CLOSED:
        return PageDiscussion.Mode.CLOSED
    published = page.first_published_at
    if (
        config.close_after_days
        and published
        and timezone.now() > published + dt.timedelta(days=config.close_after_days)
    ):
        return PageDiscussion.Mode.CLOSED
    return stored or PageDiscussion.Mode.OPEN


def hold_reasons(user, text: str, config: DiscussionSettings, *, editing=None) -> list[str]:
    """Why a comment should wait for a moderator (empty: it need not). ``editing`` is the
    comment being edited: the checks on the author's posting (new reader, burst) then do not
    apply again."""
    reasons = []
    lowered = text.casefold()
    for word in filter(None, (w.strip().casefold() for w in config.banned_words.splitlines())):
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            reasons.append(_("banned word: “%s”") % word)
            break
    links = len(_LINK.findall(text))
    if links > config.max_links:
        reasons.append(
            ngettext("more than %(n)d link", "more than %(n)d links", config.max_links)
            % {"n": config.max_links}
        )
    earlier = Comment.objects.filter(user=user)
    if editing is not None:
        earlier = earlier.exclude(pk=editing.pk)
    since = timezone.now() - dt.timedelta(days=1)
    if earlier.filter(created_at__gte=since, text__iexact=text).exists():
        reasons.append(_("repeats an earlier comment"))
    if editing is not None:
        return reasons
    if config.new_account_held and earlier.count() < config.new_account_held:
        reasons.append(_("a new reader's first comments"))
    burst_since = timezone.now() - dt.timedelta(minutes=config.burst_minutes)
    if config.burst_count and earlier.filter(created_at__gte=burst_since).count() >= (
        config.burst_count
    ):
        reasons.append(
            _("a burst: more than %(n)d comments in %(m)d minutes")
            % {"n": config.burst_count, "m": config.burst_minutes}
        )
    return reasons


def _check_author(user) -> None:
    if user is None or not user.is_authenticated:
        raise CommentRefused(_("Sign in to take part in the discussion."), 403)
    if ReaderBan.objects.filter(user=user).exists():
        raise CommentRefused(_("You can no longer post comments on this site."), 403)
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise CommentRefused(_("Confirm your e-mail address before you post."), 403)


def _clean(text) -> str:
    try:
        return clean_text(text, max_length=COMMENT_MAX, multiline=True)
    except ValidationError as error:
        raise CommentRefused(error.messages[0], 400) from None


def post_comment(user, page, text, parent_id=None) -> Comment:
    """Post ``text`` on ``page`` for ``user`` (a reply to ``parent_id``). Returns the stored
    comment, published or held; raises CommentRefused (with an HTTP status) otherwise."""
    _check_author(user)
    if not commentable(page):
        raise CommentRefused(_("This page takes no comments."), 404)
    config = DiscussionSettings.load()
    mode = mode_of(page, config)
    if mode == PageDiscussion.Mode.CLOSED:
        raise CommentRefused(_("Comments on this story are closed."), 403)
    text = _clean(text)
    parent = None
    if parent_id not in (None, ""):
        if not str(parent_id).isdigit():
            raise CommentRefused(_("That comment does not exist."), 400)
        parent = Comment.objects.filter(
            pk=int(parent_id), page_id=page.pk, status=Comment.Status.PUBLISHED
        ).first()
        if parent is None:
            raise CommentRefused(_("That comment does not exist."), 400)
        if parent.parent_id is not None:
            parent = parent.parent  # replies stay one level deep
    recent = timezone.now() - dt.timedelta(seconds=FLOOD_SECONDS)
    if Comment.objects.filter(user=user, created_at__gte=recent).count() >= FLOOD_COUNT:
        raise CommentRefused(_("You are posting too fast. Wait a minute, then try again."), 429)
    reasons = hold_reasons(user, text, config)
    if mode == PageDiscussion.Mode.PREMODERATED:
        reasons.insert(0, _("pre-moderated page"))
    with transaction.atomic():
        comment = Comment.objects.create(
            page_id=page.pk,
            parent=parent,
            user=user,
            text=text,
            status=Comment.Status.PENDING if reasons else Comment.Status.PUBLISHED,
            hold_reason="; ".join(reasons)[:200],
        )
        if comment.status == Comment.Status.PUBLISHED:
            publish(channel(page.pk), "comment", as_json(comment))
    return comment


def _own(comment: Comment, user) -> None:
    if user is None or not user.is_authenticated or comment.user_id != user.pk:
        raise CommentRefused(_("Only its author can change a comment."), 403)


def edit_comment(comment: Comment, user, text) -> Comment:
    _own(comment, user)
    _check_author(user)
    config = DiscussionSettings.load()
    if timezone.now() > comment.created_at + dt.timedelta(minutes=config.edit_minutes):
        raise CommentRefused(
            ngettext(
                "A comment can be edited for %(n)d minute after posting.",
                "A comment can be edited for %(n)d minutes after posting.",
                config.edit_minutes,
            )
            % {"n": config.edit_minutes},
            403,
        )
    if comment.status not in (Comment.Status.PUBLISHED, Comment.Status.PENDING):
        raise CommentRefused(_("This comment can no longer be changed."), 403)
    text = _clean(text)
    reasons = hold_reasons(user, text, config, editing=comment)
    with transaction.atomic():
        was_public = comment.status == Comment.Status.PUBLISHED
        comment.text = text
        comment.edited_at = timezone.now()
        if reasons:
            comment.status = Comment.Status.PENDING
            comment.hold_reason = "; ".join(reasons)[:200]
        comment.save()
        if was_public and comment.status == Comment.Status.PUBLISHED:
            publish(channel(comment.page_id), "comment-update", as_json(comment))
        elif was_public:
            publish(channel(comment.page_id), "comment-remove", {"id": comment.pk})
    return comment


def _take_down(comment: Comment, status: str, by=None) -> None:
    with transaction.atomic():
        was_public = comment.status == Comment.Status.PUBLISHED
        comment.status = status
        comment.moderated_by = by
        comment.moderated_at = timezone.now() if by else None
        comment.save()
        if was_public:
            publish(channel(comment.page_id), "comment-remove", {"id": comment.pk})


def delete_own_comment(comment: Comment, user) -> None:
    _own(comment, user)
    _take_down(comment, Comment.Status.REMOVED)


def report_comment(comment: Comment, reporter, reason: str) -> bool:
    """Record a report; returns False if this reader had reported it already. Enough reports
    hold the comment for a moderator."""
    if reporter is None or not reporter.is_authenticated:
        raise CommentRefused(_("Sign in to report a comment."), 403)
    if comment.status != Comment.Status.PUBLISHED:
        raise CommentRefused(_("That comment does not exist."), 404)
    if comment.user_id == reporter.pk:
        raise CommentRefused(_("You cannot report your own comment."), 400)
    if reason not in CommentReport.Reason.values:
        reason = CommentReport.Reason.OTHER
    with transaction.atomic():
        _report, created = CommentReport.objects.get_or_create(
            comment=comment, reporter=reporter, defaults={"reason": reason}
        )
        if not created:
            return False
        Comment.objects.filter(pk=comment.pk).update(reports=F("reports") + 1)
        comment.refresh_from_db()
        config = DiscussionSettings.load()
        if config.reports_to_hold and comment.reports >= config.reports_to_hold:
            comment.hold_reason = ngettext(
                "reported by %(n)d reader", "reported by %(n)d readers", comment.reports
            ) % {"n": comment.reports}
            _take_down(comment, Comment.Status.PENDING)
    return True


# --- moderation


def approve(comment: Comment, moderator) -> None:
    with transaction.atomic():
        was_public = comment.status == Comment.Status.PUBLISHED
        comment.status = Comment.Status.PUBLISHED
        comment.moderated_by = moderator
        comment.moderated_at = timezone.now()
        comment.save()
        if not was_public:
            publish(channel(comment.page_id), "comment", as_json(comment))


def reject(comment: Comment, moderator) -> None:
    _take_down(comment, Comment.Status.REJECTED, moderator)


def ban(user, moderator, reason: str = "") -> None:
    ReaderBan.objects.update_or_create(
        user=user, defaults={"banned_by": moderator, "reason": reason[:200]}
    )


def set_mode(page, mode: str) -> None:
    PageDiscussion.objects.update_or_create(page_id=page.pk, defaults={"mode": mode})


# --- accounts


def export_comments(user) -> list[dict]:
    return [
        {
            "page": comment.page.url if comment.page_id else None,
            "text": comment.text,
            "status": comment.status,
            "posted": comment.created_at.isoformat(),
        }
        for comment in Comment.objects.filter(user=user).select_related("page")
    ]


def on_account_deleting(sender, user, **kwargs):
    config = DiscussionSettings.load()
    comments = Comment.objects.filter(user=user)
    for comment in comments.filter(status=Comment.Status.PUBLISHED):
        if config.keep_comments_of_deleted_accounts:
            update = dict(
                as_json(comment), author=display_name(None), author_key="", author_staff=False
            )
            publish(channel(comment.page_id), "comment-update", update)
        else:
            publish(channel(comment.page_id), "comment-remove", {"id": comment.pk})
    if not config.keep_comments_of_deleted_accounts:
        comments.delete()
    # Kept comments lose their author when the user row goes (SET_NULL).
