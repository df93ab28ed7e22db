"""The production tier's stream opens, answered in front of Django.

When a reader opens ``/events/`` through Pushpin, Pushpin asks the app what to do: the app
answers with the events the reader missed and a GRIP instruction to hold the connection on the
stream's channels. That answer needs none of Django's middleware (no session, no user, no CSRF,
no language: a stream is the same for every reader), yet through Django each open ran the whole
stack and a synchronous view on the one thread Django gives them: 40-55 opens a second, so
5,000 readers took two minutes to come back after a Pushpin restart.

Here an open is checked for what it needs (Pushpin's signature, the channel names, private
channels refused through the same rule the rest of the site uses) and answered with
django-eventstream's own GRIP response, its database reads on the live hub's database thread.
Pushpin's follow-up requests (``link=next`` paging and gap recovery, rare) still go through
Django: see ``dateline.live.views.events``.
"""

import logging
from types import SimpleNamespace

from django.conf import settings
from django.http import QueryDict
from django_grip import GripData, GripMiddleware, parse_grip_uri
from gripcontrol import validate_sig

from dateline.live.channels import refused_channels
from dateline.live.hub import HUB, STREAM_PATH, BadStreamRequest, parse_request

logger = logging.getLogger(__name__)

# Pushpin refreshes a held stream's next link within this (see dateline.live.views.events).
NEXT_LINK_REFRESH_SECONDS = 50 * 60
PROXY_ONLY = "This address serves event streams through the stream proxy only.\n"


def _verify_keys() -> list[tuple[str, str | None]]:
    grip_url = getattr(settings, "GRIP_URL", None)
    if not grip_url:
        return []
    proxy = parse_grip_uri(grip_url)
    key = proxy.get("verify_key", proxy.get("key"))
    return [(key, proxy.get("verify_iss"))] if key else []


def is_signed_by_pushpin(signature: str, keys) -> bool:
    return any(validate_sig(signature, key, iss=iss) for key, iss in keys)


def is_stream_open(scope) -> bool:
    """A first open of a stream through Pushpin (not one of Pushpin's follow-up requests)."""
    if scope["type"] != "http" or scope["path"] != STREAM_PATH or scope["method"] != "GET":
        return False
    if not any(name == b"grip-sig" for name, _ in scope["headers"]):
        return False
    query = QueryDict(scope.get("query_string", b"").decode("latin-1"))
    return not any(key in query for key in ("link", "recover", "es-meta"))


def _grip_answer(query_string: str, channels: list[str], resume: dict[str, int]):
    """Run in the hub's database thread: the GRIP response django-eventstream's view gives a
    first open, as (status, headers, body); or a refusal when a channel is private."""
    from django_eventstream.eventrequest import EventRequest
    from django_eventstream.eventstream import get_events

    refusal = refused_channels(channels)
    if refusal is not None:
        status, message = refusal
        return status, [("Content-Type", "text/plain; charset=utf-8")], f"{message}\n".encode()
    event_request = EventRequest()
    event_request.channels = set(channels)
    event_request.channel_last_ids = {name: str(number) for name, number in resume.items()}
    event_request.is_next = False
    event_request.is_recover = False
    # A stream is the same for everyone: django-eventstream's user channel is "anonymous".
    event_response = get_events(event_request, user=None)
    shim = SimpleNamespace(GET=QueryDict(query_string), path=STREAM_PATH, grip=GripData())
    response = event_response.to_grip_response(shim)
    shim.grip.instruct.next_link_timeout = NEXT_LINK_REFRESH_SECONDS
    response = GripMiddleware(lambda request: response).process_response(shim, response)
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response.status_code, list(response.items()), response.content


def with_lean_stream_opens(django_app):
    """Wrap the ASGI application: stream opens that come through Pushpin are answered here."""
    keys = _verify_keys()
    if not keys or not getattr(settings, "LIVE_LEAN_STREAM_OPENS", True):
        return django_app

    async def application(scope, receive, send):
        if not is_stream_open(scope):
            await django_app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        signature = headers.get(b"grip-sig", b"").decode("latin-1")
        if not is_signed_by_pushpin(signature, keys):
            await _send(send, 403, [("Content-Type", "text/plain; charset=utf-8")], PROXY_ONLY)
            return
        query_string = scope.get("query_string", b"").decode("latin-1")
        try:
            last_event_id = headers.get(b"last-event-id", b"").decode("latin-1") or None
            channels, resume = parse_request(scope.get("query_string", b""), last_event_id)
        except BadStreamRequest as error:
            await _send(send, 400, [("Content-Type", "text/plain; charset=utf-8")], f"{error}\n")
            return
        try:
            status, response_headers, body = await HUB.read(
                _grip_answer, query_string, channels, resume
            )
        except Exception:
            logger.exception("A stream open through Pushpin failed")
            await _send(
                send,
                503,
                [("Content-Type", "text/plain; charset=utf-8"), ("Retry-After", "2")],
                "The live stream is briefly unavailable.\n",
            )
            return
        await _send(send, status, response_headers, body)

    return application


async def _send(send, status: int, headers, body) -> None:
    if isinstance(body, str):
        body = body.encode()
    encoded = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]
    encoded.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": encoded})
    await send({"type": "http.response.body", "body": body})
