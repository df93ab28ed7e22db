"""The signed links a subscriber's mails carry. Each signs the subscriber's secret key with a
salt of its own, so a link made for one purpose never works for another; the confirmation
link also expires."""

from django.core import signing

from dateline.subscriptions.models import Newsletter, Subscriber

CONFIRM_MAX_AGE = 3 * 24 * 3600  # seconds a confirmation link stays good

_CONFIRM = "dateline.subscriptions.confirm"
_MANAGE = "dateline.subscriptions.manage"
_UNSUBSCRIBE = "dateline.subscriptions.unsubscribe"


class LinkRefused(Exception):
    """A link that was tampered with, has expired or belongs to no subscriber any more."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def confirm_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=_CONFIRM).sign(subscriber.key)


def manage_token(subscriber: Subscriber) -> str:
    return signing.Signer(salt=_MANAGE).sign(subscriber.key)


def unsubscribe_token(subscriber: Subscriber, newsletter: Newsletter) -> str:
    return signing.Signer(salt=_UNSUBSCRIBE).sign(f"{subscriber.key}.{newsletter.pk}")


def subscriber_from_confirm_token(token: str) -> Subscriber:
    """Return the subscriber a confirmation link names; raise LinkRefused when the link is
    not one we signed, is older than CONFIRM_MAX_AGE or its subscriber is gone."""
    try:
        key = signing.TimestampSigner(salt=_CONFIRM).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkRefused(expired=True) from None
    except signing.BadSignature:
        raise LinkRefused from None
    return _subscriber(key)


def subscriber_from_manage_token(token: str) -> Subscriber:
    try:
        key = signing.Signer(salt=_MANAGE).unsign(token)
    except signing.BadSignature:
        raise LinkRefused from None
    return _subscriber(key)


def subscription_from_unsubscribe_token(token: str) -> tuple[Subscriber, Newsletter]:
    try:
        value = signing.Signer(salt=_UNSUBSCRIBE).unsign(token)
        key, newsletter_id = value.rsplit(".", 1)
        newsletter = Newsletter.objects.select_related("edition").get(pk=int(newsletter_id))
    except (signing.BadSignature, ValueError, Newsletter.DoesNotExist):
        raise LinkRefused from None
    return _subscriber(key), newsletter


def _subscriber(key: str) -> Subscriber:
    try:
        return Subscriber.objects.get(key=key)
    except Subscriber.DoesNotExist:
        raise LinkRefused from None
