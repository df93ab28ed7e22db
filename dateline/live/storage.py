"""Where events are kept: django-eventstream's database storage, which also rings the doorbell
of every app server (``dateline.live.doorbell``) in the transaction that stores the event."""

from django.db import transaction
from django_eventstream.storage import DjangoModelStorage


class DoorbellStorage(DjangoModelStorage):
    def append_event(self, channel, event_type, data):
        """Store an event, and wake every app server's streams once it is committed."""
        from dateline.live.doorbell import ring_other_processes

        with transaction.atomic():
            event = super().append_event(channel, event_type, data)
            ring_other_processes()
        return event
