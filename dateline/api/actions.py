"""State changes of API keys: issuing one, and noting that one was used."""

import datetime as dt
import secrets

from django.utils import timezone

from dateline.api.models import SHOWN_CHARACTERS, ApiKey, hash_key

KEY_PREFIX = "dlk_"  # lets a leaked key be recognised (e.g. by secret scanners)
# A key's "last used" time is written at most this often, not on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def new_key() -> str:
    """Return a new random key: the prefix and 256 random bits, URL-safe."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def set_new_key(api_key: ApiKey) -> str:
    """Give ``api_key`` (saved or not) a new secret and return it; only its hash is kept on
    the instance, so the caller must show the secret now or never. The caller saves."""
    key = new_key()
    api_key.key_hash = hash_key(key)
    api_key.shown_part = key[:SHOWN_CHARACTERS]
    return key


def issue_api_key(*, name: str, partner: str, user=None, **fields) -> tuple[ApiKey, str]:
    """Create an API key for ``partner`` and return it with its secret, which is shown once."""
    api_key = ApiKey(name=name, partner=partner, created_by=user, **fields)
    key = set_new_key(api_key)
    api_key.full_clean()
    api_key.save()
    return api_key, key


def note_use(api_key: ApiKey) -> None:
    """Record that ``api_key`` was just used, writing at most once per LAST_USED_PRECISION."""
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
