"""Who is calling the read API: a partner with an API key, or an anonymous client.

The key comes in ``X-Api-Key: <key>`` or ``Authorization: Bearer <key>``. No key means an
anonymous client, limited per address; a key that is unknown or revoked is refused with 401,
never taken for anonymous, so that a partner whose key stopped working is told so. Either way
the client is counted against its rate limit (``limits``) before the view runs.

These are django-ninja auth callbacks, tried in order (``AUTH``); each returns the client,
which the view finds as ``request.auth``.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.security import APIKeyHeader, HttpBearer

from dateline.api import actions, limits
from dateline.api.models import ApiKey, hash_key

KEY_HEADER = "X-Api-Key"


class InvalidKey(Exception):
    """The request carries a key that is not (or no longer) valid; the message says which."""


class RateLimited(Exception):
    def __init__(self, refusal: limits.Refusal, who: str):
        self.refusal = refusal
        self.who = who
        super().__init__(who)


@dataclass(frozen=True)
class AnonymousClient:
    address: str

    @property
    def rate_bucket(self) -> str:
        return limits.anonymous_bucket(self.address)

    @property
    def requests_per_minute(self) -> int:
        return limits.anonymous_limit()


def identify_key(key: str) -> ApiKey:
    """Return the active API key ``key``; raise InvalidKey when there is none."""
    key = key.strip()
    if not key:
        raise InvalidKey(gettext("The API key is empty."))
    api_key = ApiKey.objects.filter(key_hash=hash_key(key)).first()
    if api_key is None:
        raise InvalidKey(gettext("The API key is not valid."))
    if not api_key.active:
        raise InvalidKey(gettext("The API key has been revoked."))
    return api_key


def admit(client: ApiKey | AnonymousClient) -> ApiKey | AnonymousClient:
    """Count a request of ``client``; raise RateLimited past its limit, else return it."""
    refusal = limits.count_request(client.rate_bucket, client.requests_per_minute)
    if refusal is not None:
        raise RateLimited(refusal, "key" if isinstance(client, ApiKey) else "address")
    if isinstance(client, ApiKey):
        actions.note_use(client)
    return client


class ApiKeyHeader(APIKeyHeader):
    param_name = KEY_HEADER

    def authenticate(self, request: HttpRequest, key: str | None):
        if key is None:
            return None  # no header: the next way of telling who calls
        return admit(identify_key(key))


class ApiKeyBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return admit(identify_key(token))


def anonymous(request: HttpRequest) -> AnonymousClient:
    return admit(AnonymousClient(request.META.get("REMOTE_ADDR") or "unknown"))


AUTH = [ApiKeyHeader(), ApiKeyBearer(), anonymous]
