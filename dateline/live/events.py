"""Publishing to the live stream.

The database is the log and the push is only the doorbell: each event is stored with an id that
grows per channel (django-eventstream's storage), then pushed to Pushpin when the production tier
is configured, and the streams served by this process are woken. Streams served by other
processes of the embedded tier are woken by the storage's doorbell (dateline.live.doorbell).
"""

import logging

from django.db import transaction
from django_eventstream import send_event
from django_eventstream.eventstream import get_current_event_id

logger = logging.getLogger(__name__)


def publish(channel: str, event_type: str, data: dict) -> None:
    """Send an event once the current transaction commits (at once outside one)."""

    def send():
        try:
            # Blocking: a command that exits right after must not lose its publish to Pushpin.
            send_event(channel, event_type, data, async_publish=False)
        except Exception:
            # A reader must never lose a page because the doorbell failed: the event is either
            # stored (and streams catch up from the log) or the failure is logged here.
            logger.exception("Could not send the live event %s on %s", event_type, channel)
            return
        from dateline.live.hub import ring

        ring()

    transaction.on_commit(send)


def current_event_id(channels: list[str]) -> str:
    """Return the id of the newest stored event of ``channels``, in the form a stream resumes
    from ("edition-en:12,coverage-4:3"): a page renders it, and opens its stream from it."""
    return get_current_event_id(channels)
