"""Making issues of newsletters and mailing them, in batches, resumable after a crash.

An issue is made once (its key is unique per newsletter) with its stories fixed. Sending
first records one Delivery row per recipient, then mails the pending ones batch by batch and
marks each one sent right after the mail server has taken it, in its own small transaction.
A run that stops half way (a crash, a lost connection, a deploy) leaves the rest pending; the
next run mails only those. The one mail whose server call succeeded just before a crash,
before its row was marked, is the only one that can go twice."""

import datetime as dt
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from dateline.articles.models import ArticlePage
from dateline.subscriptions.emails import issue_message
from dateline.subscriptions.follows import followed_stories
from dateline.subscriptions.models import Delivery, Issue, Newsletter, Subscriber, Subscription

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_STORIES = 30
# A first digest covers the day before it.
FIRST_DIGEST_WINDOW = dt.timedelta(hours=24)
LOCK_TIME = dt.timedelta(minutes=2)


@dataclass
class SendReport:
    sent: int = 0
    skipped: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "SendReport") -> None:
        self.sent += other.sent
        self.skipped += other.skipped
        self.refused += other.refused
        self.errors += other.errors


def digest_key(newsletter: Newsletter, now=None) -> str | None:
    """Return the key of today's digest of ``newsletter`` if its send time (in the edition's
    time zone) has come and it has not been made yet; None otherwise."""
    if newsletter.kind != Newsletter.Kind.DIGEST or not newsletter.is_active:
        return None
    local = timezone.localtime(now or timezone.now(), newsletter.edition.tzinfo)
    if local.time() < newsletter.send_time:
        return None
    key = f"digest:{local.date().isoformat()}"
    if newsletter.issues.filter(key=key).exists():
        return None
    return key


def stories_for(newsletter: Newsletter, since, until) -> list[int]:
    """Return the ids of the stories of ``newsletter`` visible at ``until`` and published
    after ``since`` (any time when None), newest first."""
    stories = ArticlePage.objects.visible(until).filter(
        edition_id=newsletter.edition_id, published_at__lte=until
    )
    if since is not None:
        stories = stories.filter(published_at__gt=since)
    if newsletter.section_id:
        stories = stories.filter(
            Q(primary_section_id=newsletter.section_id) | Q(further_sections=newsletter.section_id)
        )
    ids = stories.order_by("-published_at", "-pk").values_list("pk", flat=True)
    return list(dict.fromkeys(ids))[:MAX_STORIES]


def digest_window(newsletter: Newsletter, now) -> tuple:
    previous = newsletter.issues.order_by("-covers_until").first()
    since = previous.covers_until if previous else now - FIRST_DIGEST_WINDOW
    return since, now


def make_digest(newsletter: Newsletter, key: str, now=None) -> Issue | None:
    """Make the digest ``key`` of ``newsletter`` with what was published since its last
    issue; return it (status EMPTY when there was nothing), or None when it exists already."""
    now = now or timezone.now()
    since, until = digest_window(newsletter, now)
    ids = stories_for(newsletter, since, until)
    try:
        with transaction.atomic():
            return Issue.objects.create(
                newsletter=newsletter,
                key=key,
                covers_from=since,
                covers_until=until,
                story_ids=ids,
                status=Issue.Status.SENDING if ids else Issue.Status.EMPTY,
                finished_at=None if ids else now,
            )
    except IntegrityError:
        return None


def make_breaking_issues(flag) -> list[Issue]:
    """Make an alert of ``flag``'s story for each breaking-news list of its edition (and of
    its sections) unless the story is not visible; the sender mails them."""
    story = ArticlePage.objects.visible().filter(pk=flag.story_id).first()
    if story is None:
        return []
    sections = {story.primary_section_id, *story.further_sections.values_list("pk", flat=True)}
    lists = Newsletter.objects.filter(
        Q(section__isnull=True) | Q(section__in=sections),
        edition_id=flag.edition_id,
        kind=Newsletter.Kind.BREAKING,
        is_active=True,
    )
    issues = []
    now = timezone.now()
    for newsletter in lists:
        try:
            with transaction.atomic():
                issues.append(
                    Issue.objects.create(
                        newsletter=newsletter,
                        key=f"breaking:{flag.pk}",
                        covers_from=story.published_at,
                        covers_until=now,
                        story_ids=[story.pk],
                    )
                )
        except IntegrityError:
            continue
    return issues


def recipients(newsletter: Newsletter):
    """The subscribers who get ``newsletter``: confirmed addresses on a confirmed list."""
    return Subscriber.objects.filter(
        confirmed_at__isnull=False,
        subscriptions__newsletter=newsletter,
        subscriptions__confirmed_at__isnull=False,
    )


def _lock(issue: Issue) -> bool:
    now = timezone.now()
    return bool(
        Issue.objects.filter(pk=issue.pk)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=now + LOCK_TIME)
    )


def _renew(issue: Issue) -> None:
    Issue.objects.filter(pk=issue.pk).update(locked_until=timezone.now() + LOCK_TIME)


def _unlock(issue: Issue) -> None:
    Issue.objects.filter(pk=issue.pk).update(locked_until=None)


def send_issue(
    issue: Issue,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[Issue, int, int], None] | None = None,
) -> SendReport:
    """Mail ``issue`` to every recipient who has not had it, ``batch_size`` at a time over
    one connection per batch; call ``progress(issue, done, total)`` after each batch. A mail
    server's refusal of one address is recorded and the run goes on; any other error ends the
    run (and propagates), leaving the rest pending for the next one. Return what was done."""
    report = SendReport()
    if issue.status != Issue.Status.SENDING:
        return report
    if not _lock(issue):
        report.errors.append(f"{issue}: another sender is mailing it")
        return report
    try:
        Delivery.objects.bulk_create(
            [Delivery(issue=issue, subscriber=s) for s in recipients(issue.newsletter)],
            ignore_conflicts=True,
        )
        stories = _stories(issue)
        total = issue.deliveries.count()
        if not stories:
            # Everything in it was withdrawn or unpublished meanwhile: nothing to mail.
            report.skipped += issue.deliveries.filter(status=Delivery.Status.PENDING).update(
                status=Delivery.Status.SKIPPED
            )
        while stories:
            batch = list(
                issue.deliveries.filter(status=Delivery.Status.PENDING)
                .select_related("subscriber")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            _send_batch(issue, batch, stories, report)
            _renew(issue)
            if progress:
                progress(issue, total - issue.deliveries.filter(status="pending").count(), total)
        Issue.objects.filter(pk=issue.pk).update(
            status=Issue.Status.SENT, finished_at=timezone.now()
        )
        issue.status = Issue.Status.SENT
    finally:
        _unlock(issue)
    return report


def _stories(issue: Issue) -> list[ArticlePage]:
    found = {
        story.pk: story
        for story in ArticlePage.objects.visible()
        .filter(pk__in=issue.story_ids)
        .select_related("edition", "primary_section")
    }
    return [found[pk] for pk in issue.story_ids if pk in found]


def _send_batch(issue: Issue, batch: list[Delivery], stories, report: SendReport) -> None:
    newsletter = issue.newsletter
    still_on = set(
        Subscription.objects.filter(
            newsletter=newsletter,
            confirmed_at__isnull=False,
            subscriber__confirmed_at__isnull=False,
            subscriber__in=[delivery.subscriber_id for delivery in batch],
        ).values_list("subscriber_id", flat=True)
    )
    readers = _readers_with_follows(newsletter, [d.subscriber.email for d in batch])
    connection = get_connection()
    with connection:
        for delivery in batch:
            subscriber = delivery.subscriber
            if subscriber.pk not in still_on:
                # Unsubscribed after the issue was made.
                Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SKIPPED)
                report.skipped += 1
                continue
            followed, others = [], stories
            user = readers.get(subscriber.email.lower())
            if user is not None:
                # What the reader follows comes first, under its own heading.
                followed = list(
                    followed_stories(user, newsletter.edition).filter(
                        published_at__gt=issue.covers_from, published_at__lte=issue.covers_until
                    )[:MAX_STORIES]
                )
                seen = {story.pk for story in followed}
                others = [story for story in stories if story.pk not in seen]
            message = issue_message(issue, subscriber, others, followed, connection=connection)
            try:
                message.send()
            except smtplib.SMTPRecipientsRefused as error:
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.FAILED, error=str(error)[:255]
                )
                report.refused += 1
                report.errors.append(f"{subscriber.email}: refused ({error})")
                continue
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.SENT, sent_at=timezone.now()
            )
            report.sent += 1


def _readers_with_follows(newsletter: Newsletter, emails: list[str]) -> dict:
    """Map the addresses in ``emails`` that belong to a signed-up reader who wants their
    follows in their digest (a verified address of their account) to that reader."""
    if newsletter.kind != Newsletter.Kind.DIGEST or newsletter.section_id:
        return {}
    from allauth.account.models import EmailAddress

    users = get_user_model().objects.in_bulk(
        EmailAddress.objects.filter(
            email__in=emails, verified=True, user__news_preference__follows_in_digest=True
        ).values_list("user_id", flat=True)
    )
    addresses = EmailAddress.objects.filter(user_id__in=users, verified=True)
    return {address.email.lower(): users[address.user_id] for address in addresses}
