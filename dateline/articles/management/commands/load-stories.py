from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dateline.articles.loading import StoryFileError, load_stories


class Command(BaseCommand):
    help = (
        "Create stories from a JSON list (format: docs/formats.md). The whole file is checked "
        "first; a bad file loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish each story at its time (future times are scheduled)",
        )
        parser.add_argument(
            "--photo-dir",
            type=Path,
            default=None,
            help="folder that relative photo paths start from (default: the file's folder)",
        )

    def handle(self, *args, file: Path, publish: bool, photo_dir: Path | None, **options):
        def progress(done, total, spec):
            self.stdout.write(f"[{done}/{total}] {spec.edition.slug} {spec.slug}")

        try:
            report = load_stories(
                file,
                publish=publish,
                photo_dir=photo_dir,
                progress=progress if options["verbosity"] > 0 else None,
            )
        except StoryFileError as exc:
            raise CommandError(f"{exc}. Nothing was loaded.") from None
        summary = (
            f"Loaded {len(report.created)} stories from {file}: "
            f"{report.published} published, {report.scheduled} scheduled, "
            f"{len(report.created) - report.published - report.scheduled} drafts; "
            f"{report.photos_created} photos added, {report.photos_reused} reused."
        )
        self.stdout.write(self.style.SUCCESS(summary))
