"""Polling as background tasks (the Django Tasks API, through django-tasks).

``poll-wire`` polls every source that is due. With a queueing backend configured in
``TASKS``, each poll is a ``poll_source`` task that a worker runs (workers run side by side).
With the default backend (immediate), the due sources are polled here, side by side in
threads (``poll_sources``): run one after another, one slow source would hold up the rest.
"""

from __future__ import annotations

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from dateline.wire.ingest import due_sources, ingest_source, poll_sources
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


def polls_here() -> bool:
    """Return True when polls run in this process (the immediate backend), not a worker."""
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


def enqueue_due_sources() -> list[WireSource]:
    """Poll (or enqueue a poll of) every source that is due; return the sources. A source
    polled here carries its outcome in ``last_error``."""
    sources = due_sources()
    if polls_here():
        poll_sources(sources)
        return sources
    for source in sources:
        poll_source.enqueue(source.pk)
    return sources
