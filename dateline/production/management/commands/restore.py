"""Bring a site back from a backup archive (see dateline.production.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dateline.production.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore the site from an archive written by `dateline backup`: into an empty site "
        "(empty database, empty media folder), or over one with --force. Stop the site first."
    )
    # The checks would read the database that is about to be replaced.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive, dateline-backup-….tar.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the site's database and media files if it has any.",
        )

    def handle(self, *args, archive, force, **options):
        try:
            manifest = restore_backup(Path(archive), force=force, progress=self.stdout.write)
        except BackupError as error:
            if error.changed:
                raise CommandError(
                    f"{error} The site was changed: restore again with --force once the cause "
                    f"is fixed."
                ) from None
            raise CommandError(f"{error} Nothing was changed.") from None
        tables = manifest["counts"]["tables"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']}: {len(tables)} tables "
                f"({sum(tables.values())} rows), {manifest['counts']['media_files']} media files."
            )
        )
