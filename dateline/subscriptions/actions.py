"""Everything that changes subscriptions and follows. Mail goes out after the change has
committed; what sending issues does lives in ``sending``."""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from dateline import limits
from dateline.subscriptions import emails
from dateline.subscriptions.models import (
    Follow,
    Newsletter,
    NewsPreference,
    Subscriber,
    Subscription,
)

logger = logging.getLogger(__name__)

# At most one confirmation mail per address in this time, however often it is asked for.
CONFIRMATION_INTERVAL = dt.timedelta(minutes=5)
# Sign-up requests one client address may make per hour.
SIGNUPS_PER_IP_PER_HOUR = 10


def ensure_newsletters(edition) -> list[Newsletter]:
    """Return the edition-wide newsletters of ``edition`` (daily digest, breaking news),
    creating those that do not exist yet."""
    lists = []
    for kind in (Newsletter.Kind.DIGEST, Newsletter.Kind.BREAKING):
        newsletter = Newsletter.objects.filter(edition=edition, kind=kind, section=None).first()
        if newsletter is None:
            try:
                with transaction.atomic():
                    newsletter = Newsletter.objects.create(edition=edition, kind=kind)
            except IntegrityError:  # made meanwhile by another request
                newsletter = Newsletter.objects.get(edition=edition, kind=kind, section=None)
        lists.append(newsletter)
    return lists


def newsletters_offered(edition, section=None) -> list[Newsletter]:
    """Return the active newsletters a reader of ``edition`` may sign up for: those of
    ``section`` first when given, then the edition-wide ones."""
    ensure_newsletters(edition)
    newsletters = Newsletter.objects.filter(edition=edition, is_active=True).select_related(
        "section", "edition"
    )
    chosen = [n for n in newsletters if n.section_id is None]
    if section is not None:
        chosen = [n for n in newsletters if n.section_id == section.pk] + chosen
    return chosen


def signup_allowed(client_address: str) -> bool:
    """Count one sign-up from ``client_address``; return False past the hourly limit. Counted in
    the limits store (dateline.limits), atomically. While the store is away sign-ups are let
    through (logged): each address still gets at most one mail per CONFIRMATION_INTERVAL,
    which the database keeps, and a reader's sign-up is not lost."""
    try:
        refusal = limits.hit(
            f"newsletter-signup:{limits.address_bucket(client_address)}",
            SIGNUPS_PER_IP_PER_HOUR,
            3600,
        )
    except limits.LimitsUnavailable as error:
        logger.warning("Newsletter sign-ups are not limited: %s", error)
        return True
    return refusal is None


@transaction.atomic
def request_subscription(email: str, newsletters: list[Newsletter], language: str) -> bool:
    """Ask to subscribe ``email`` to ``newsletters``. New lists stay pending until the address
    owner follows the link in the confirmation mail, which is sent unless one went to the
    address less than CONFIRMATION_INTERVAL ago, or nothing is pending. Return whether a mail
    is sent; callers must not tell the reader (that would reveal whether the address is known)."""
    email = email.strip().lower()
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
        email=email, defaults={"language": language}
    )
    now = timezone.now()
    for newsletter in newsletters:
        Subscription.objects.get_or_create(subscriber=subscriber, newsletter=newsletter)
    pending = list(
        Subscription.objects.filter(subscriber=subscriber, confirmed_at=None).select_related(
            "newsletter", "newsletter__edition", "newsletter__section"
        )
    )
    if not pending:
        return False
    recent = subscriber.confirmation_sent_at and (
        now - subscriber.confirmation_sent_at < CONFIRMATION_INTERVAL
    )
    if recent:
        return False
    subscriber.confirmation_sent_at = now
    subscriber.language = language
    subscriber.save(update_fields=["confirmation_sent_at", "language"])
    lists = [subscription.newsletter for subscription in pending]
    transaction.on_commit(lambda: emails.send_confirmation(subscriber, lists))
    return True


@transaction.atomic
def confirm_subscriber(subscriber: Subscriber) -> list[Newsletter]:
    """Confirm the address and every list it asked for; return the lists now confirmed."""
    now = timezone.now()
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = now
        subscriber.save(update_fields=["confirmed_at"])
    pending = Subscription.objects.filter(subscriber=subscriber, confirmed_at=None)
    lists = [s.newsletter for s in pending.select_related("newsletter", "newsletter__section")]
    pending.update(confirmed_at=now)
    return lists


def unsubscribe(subscriber: Subscriber, newsletter: Newsletter) -> bool:
    """Take ``subscriber`` off ``newsletter``; return whether they were on it."""
    deleted, _ = Subscription.objects.filter(subscriber=subscriber, newsletter=newsletter).delete()
    return bool(deleted)


@transaction.atomic
def set_subscriptions(subscriber: Subscriber, newsletters: list[Newsletter]) -> None:
    """Make ``newsletters`` exactly the lists of ``subscriber``. Only the address owner
    reaches the page that calls this (its link was mailed to them), so the address counts as
    confirmed."""
    now = timezone.now()
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = now
        subscriber.save(update_fields=["confirmed_at"])
    wanted = {newsletter.pk for newsletter in newsletters}
    Subscription.objects.filter(subscriber=subscriber).exclude(newsletter_id__in=wanted).delete()
    for newsletter_id in wanted:
        Subscription.objects.update_or_create(
            subscriber=subscriber, newsletter_id=newsletter_id, defaults={"confirmed_at": now}
        )


def follow(user, *, section=None, tag=None, person=None) -> Follow:
    """Make ``user`` follow exactly one of a section, a tag or a person."""
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, section=section, tag=tag, person=person)
    except IntegrityError:
        return Follow.objects.get(user=user, section=section, tag=tag, person=person)


def unfollow(user, *, section=None, tag=None, person=None) -> bool:
    deleted, _ = Follow.objects.filter(user=user, section=section, tag=tag, person=person).delete()
    return bool(deleted)


def set_follows_in_digest(user, value: bool) -> None:
    NewsPreference.objects.update_or_create(user=user, defaults={"follows_in_digest": value})


def export_follows(user) -> dict:
    """The reader's follows and digest choice, for their data download."""
    follows = Follow.objects.filter(user=user).select_related(
        "section", "section__edition", "tag", "person"
    )
    preference = NewsPreference.objects.filter(user=user).first()
    return {
        "follows": [
            {
                "kind": str(item.kind),
                "name": item.section.name
                if item.section_id
                else (item.tag.name if item.tag_id else item.person.name),
                "edition": item.section.edition.slug if item.section_id else None,
                "since": item.created_at.isoformat(),
            }
            for item in follows
        ],
        "follows_in_digest": bool(preference and preference.follows_in_digest),
    }


def on_account_deleting(sender, user, **kwargs):
    """Follows go with the account."""
    Follow.objects.filter(user=user).delete()
    NewsPreference.objects.filter(user=user).delete()
