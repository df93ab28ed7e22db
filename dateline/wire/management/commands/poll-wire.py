import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from dateline.wire.tasks import enqueue_due_sources, polls_here


class Command(BaseCommand):
    help = (
        "Poll the wire sources that are due, every few seconds, until stopped (SIGTERM or "
        "Ctrl-C): each poll is a background task (the Django Tasks API)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between looks")
        parser.add_argument("--once", action="store_true", help="look once and stop")

    def handle(self, *args, interval: float, once: bool, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Wire poller running: looking every {interval:g} s.")
        while not stop.is_set():
            close_old_connections()
            try:
                sources = enqueue_due_sources()
            except Exception as error:  # noqa: BLE001 - the poller must outlive one bad run
                self.stderr.write(f"{timezone.now():%H:%M:%S} wire poll error: {error!r}")
                sources = []
            if sources:
                self.stdout.write(f"{timezone.now():%H:%M:%S} polled {len(sources)} sources")
            for source in sources if polls_here() else []:
                # Polled here (not queued): what went wrong is on the source's row already.
                for line in (source.last_error or "").splitlines():
                    self.stdout.write(f"  {source.name}: {line}")
            if once:
                break
            stop.wait(interval)
