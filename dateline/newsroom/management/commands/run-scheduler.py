import io
import signal
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.utils import timezone
from wagtail.models import Page, Revision


class Command(BaseCommand):
    help = (
        "Publish and unpublish what is scheduled, every few seconds, until stopped "
        "(SIGTERM or Ctrl-C). `make demo` runs it beside the web server."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between two looks (default 5)"
        )
        parser.add_argument("--once", action="store_true", help="look once and stop")

    def handle(self, *args, interval: float, once: bool, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Scheduler running: looking every {interval:g} s.")
        runs = changes = 0
        while not stop.is_set():
            try:
                changes += self.run_due()
            except Exception as error:  # noqa: BLE001 - a database away or locked for a while
                self.stderr.write(f"{timezone.now():%H:%M:%S} scheduler error: {error!r}")
                refresh_connections()
            runs += 1
            if once:
                break
            stop.wait(interval)
        self.stdout.write(f"Scheduler stopped after {runs} looks; {changes} pages changed.")

    def run_due(self) -> int:
        """Publish what has come due and unpublish what has expired (Wagtail's
        publish_scheduled); print and return how many items changed. A failure is reported
        and the loop goes on."""
        refresh_connections()
        now = timezone.now()
        due = list(
            Revision.objects.filter(approved_go_live_at__lt=now).values_list(
                "object_str", flat=True
            )
        )
        expired = list(
            Page.objects.filter(live=True, expire_at__lt=now).values_list("title", flat=True)
        )
        if not (due or expired):
            return 0
        try:
            call_command("publish_scheduled", stdout=io.StringIO())
        except Exception as error:  # noqa: BLE001 - the scheduler must outlive one bad run
            self.stderr.write(f"{timezone.now():%H:%M:%S} scheduler error: {error!r}")
            return 0
        finally:
            refresh_connections()
        for title in due:
            self.stdout.write(f"{timezone.now():%H:%M:%S} published: {title}")
        for title in expired:
            self.stdout.write(f"{timezone.now():%H:%M:%S} unpublished (expired): {title}")
        return len(due) + len(expired)


def refresh_connections() -> None:
    """Drop database connections that are broken or past their age, as Django does between
    requests, so that a long-running scheduler survives a database restart. Not inside a
    transaction (``--once`` called from code that holds one): that would end it."""
    if not any(connection.in_atomic_block for connection in connections.all(initialized_only=True)):
        close_old_connections()
