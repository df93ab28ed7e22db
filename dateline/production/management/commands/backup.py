"""Write a backup of the whole site while it serves (see dateline.production.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dateline.production.backup import BackupError, _size, create_backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the site (the database, the media files and, in the "
        "embedded tier, the secret key) into one archive, dateline-backup-<UTC time>.tar, in "
        "the folder given, while the site serves."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=".", help="The folder the archive is written into (default: .)."
        )

    def handle(self, *args, output, **options):
        try:
            summary = create_backup(Path(output), progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(f"{error} No backup was written.") from None
        for name in summary.missing:
            self.stderr.write(f"Not in the archive (deleted during the backup): {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {summary.engine} database ({_size(summary.database_bytes)}) and "
                f"{summary.media_files} media files ({_size(summary.media_bytes)}) to "
                f"{summary.archive} ({_size(summary.archive_bytes)}) in {summary.seconds:.1f} s."
            )
        )
