"""Polling as background tasks (the Django Tasks API, through django-tasks).

``poll-wire`` enqueues ``poll_source`` for every source that is due. With the default
backend (immediate) each poll runs at once in the enqueuing process; with a queueing backend
configured in ``TASKS`` a worker runs them.
"""

from __future__ import annotations

from django_tasks import task

from dateline.wire.ingest import due_sources, ingest_source
from dateline.wire.models import WireSource


@task()
def poll_source(source_id: int) -> dict:
    """Poll one source; return counts and the error, if any. A source that is gone or
    switched off is skipped."""
    source = WireSource.objects.filter(pk=source_id, active=True).first()
    if source is None:
        return {"skipped": True}
    result = ingest_source(source)
    return {
        "created": len(result.created),
        "updated": len(result.updated),
        "unchanged": len(result.unchanged),
        "error": source.last_error,
    }


def enqueue_due_sources() -> list[int]:
    """Enqueue a poll of every source that is due; return their ids."""
    ids = [source.pk for source in due_sources()]
    for source_id in ids:
        poll_source.enqueue(source_id)
    return ids
