"""Purging the page cache: one function, called once a change has committed."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

# Purges kept in the log; a process more than this many behind has been asleep for minutes,
# and every page it holds is past its age limit by then anyway.
LOG_LENGTH = 1000


def purge(keys) -> None:
    """Drop the cached pages stored under any of ``keys`` in every web process, once the
    current transaction commits (at once outside one).

    This process's store is emptied first; the purge is then written to the log that the
    other processes follow. If the log cannot be written the error is logged, and the other
    processes' pages leave by age (PAGE_CACHE_SECONDS)."""
    keys = sorted(set(keys))
    if not keys:
        return

    def send():
        from dateline.pagecache.asgi import local_store
        from dateline.pagecache.models import Purge

        store = local_store()
        if store is not None:
            store.purge(keys)
        try:
            row = Purge.objects.create(keys=" ".join(keys)[:2000])
            Purge.objects.filter(pk__lte=row.pk - LOG_LENGTH).delete()
        except Exception:
            logger.exception("Could not write the page cache purge of %s", " ".join(keys))

    transaction.on_commit(send)
