import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connections
from django.utils import timezone

from dateline.editions.lookup import live_editions
from dateline.subscriptions import actions, sending
from dateline.subscriptions.models import Issue, Newsletter


class Command(BaseCommand):
    help = (
        "Make the daily digests whose time has come and mail every issue not fully sent yet "
        "(digests and breaking-news alerts), in batches; a run that stopped half way is "
        "resumed without mailing anyone twice. --watch keeps doing it until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--newsletter", type=int, help="only the newsletter with this id")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be made and sent; do nothing"
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help="make the digest now, whatever its send time (with --newsletter: that one)",
        )
        parser.add_argument("--batch-size", type=int, default=sending.BATCH_SIZE)
        parser.add_argument(
            "--watch", action="store_true", help="look again every --interval seconds until stopped"
        )
        parser.add_argument("--interval", type=float, default=15.0)

    def handle(self, *args, newsletter, dry_run, now, batch_size, watch, interval, **options):
        if batch_size < 1:
            raise CommandError(f"--batch-size {batch_size}: give at least 1.")
        if newsletter is not None and not Newsletter.objects.filter(pk=newsletter).exists():
            raise CommandError(f"--newsletter {newsletter}: there is no newsletter with that id.")
        if not watch:
            self.run(newsletter, dry_run, now, batch_size)
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Newsletter sender running: looking every {interval:g} s.")
        runs = 0
        while not stop.is_set():
            if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
                close_old_connections()
            try:
                self.run(newsletter, dry_run, now, batch_size, quiet=True)
            except Exception as error:  # noqa: BLE001 - the sender must outlive one bad run
                self.stderr.write(f"{timezone.now():%H:%M:%S} sending stopped: {error!r}")
            runs += 1
            stop.wait(interval)
        self.stdout.write(f"Newsletter sender stopped after {runs} looks.")

    def run(self, only, dry_run, force, batch_size, quiet=False) -> None:
        for edition in live_editions():
            actions.ensure_newsletters(edition)
        lists = Newsletter.objects.filter(is_active=True).select_related("edition", "section")
        if only is not None:
            lists = lists.filter(pk=only)
        made = []
        for newsletter in lists.filter(kind=Newsletter.Kind.DIGEST):
            key = sending.digest_key(newsletter)
            if force and key is None:
                key = f"digest:{timezone.now().isoformat(timespec='seconds')}"
            if key is None:
                continue
            if dry_run:
                since, until = sending.digest_window(newsletter, timezone.now())
                stories = sending.stories_for(newsletter, since, until)
                self.stdout.write(
                    f"would make {newsletter} {key}: {len(stories)} stories for "
                    f"{sending.recipients(newsletter).count()} recipients"
                )
                continue
            issue = sending.make_digest(newsletter, key)
            if issue is not None:
                made.append(issue)
                self.stdout.write(
                    f"made {issue}: {len(issue.story_ids)} stories"
                    + ("" if issue.story_ids else " (nothing new: not sent)")
                )
        pending = Issue.objects.filter(status=Issue.Status.SENDING).select_related(
            "newsletter", "newsletter__edition"
        )
        if only is not None:
            pending = pending.filter(newsletter_id=only)
        total = sending.SendReport()
        issues = 0
        for issue in pending.order_by("created_at"):
            if dry_run:
                left = issue.deliveries.filter(status="pending").count()
                if not issue.deliveries.exists():
                    left = sending.recipients(issue.newsletter).count()
                self.stdout.write(f"would send {issue}: {left} recipients left")
                continue
            self.stdout.write(f"sending {issue}")
            report = sending.send_issue(issue, batch_size=batch_size, progress=self.progress)
            total.add(report)
            issues += 1
            for error in report.errors:
                self.stderr.write(f"  {error}")
        if dry_run:
            self.stdout.write("Dry run: nothing was made or sent.")
        elif not quiet or made or issues:
            self.stdout.write(
                f"Done: {len(made)} digests made, {issues} issues sent; {total.sent} mails sent, "
                f"{total.skipped} skipped (unsubscribed meanwhile), {total.refused} refused."
            )

    def progress(self, issue, done: int, total: int) -> None:
        self.stdout.write(f"  {issue}: {done}/{total}")
