from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dateline.mediabank.actions import ImportResult, import_photo
from dateline.mediabank.metadata import PhotoMetadata
from dateline.mediabank.validation import PhotoRejected

CAPTION_SHOWN = 60  # characters of a caption worth showing on a progress line


class Command(BaseCommand):
    help = (
        "Add image files to the photo archive, with the IPTC, XMP and EXIF metadata they "
        "carry. Folders are walked recursively. A file already in the archive is not added "
        "again; a file that is refused does not stop the others, but makes the command fail."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    def handle(self, *args, paths: list[Path], **options):
        files = [file for path in paths for file in _files(path)]
        total = len(files)
        imported = duplicates = rejected = 0
        for number, file in enumerate(files, start=1):
            prefix = f"[{number}/{total}] {file}"
            try:
                result = import_photo(file)
            except PhotoRejected as exc:
                rejected += 1
                self.stdout.write(self.style.ERROR(f"{prefix}: rejected: {exc.reason}"))
                continue
            except OSError as exc:
                rejected += 1
                reason = exc.strerror or str(exc)
                self.stdout.write(self.style.ERROR(f"{prefix}: rejected: {reason}"))
                continue
            if result.created:
                imported += 1
            else:
                duplicates += 1
            self.stdout.write(f"{prefix}: {_describe(result)}")

        summary = (
            f"Imported {imported} {'photo' if imported == 1 else 'photos'}, "
            f"{duplicates} {'duplicate' if duplicates == 1 else 'duplicates'}, "
            f"{rejected} rejected."
        )
        if rejected:
            self.stdout.write(summary)
            raise CommandError(
                f"{rejected} {'file was' if rejected == 1 else 'files were'} rejected "
                "(see above); the others were imported."
            )
        self.stdout.write(self.style.SUCCESS(summary))


def _files(path: Path) -> Iterator[Path]:
    """Yield ``path`` if it is a file, else the files under it in sorted order, leaving out
    hidden ones (.DS_Store and the like are not photos anyone meant to send)."""
    if not path.is_dir():
        yield path  # a path that does not exist is reported by import_photo
        return
    for child in sorted(path.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _files(child)
        else:
            yield child


def _describe(result: ImportResult) -> str:
    read = _read_fields(result.metadata)
    what = "read " + "; ".join(read) if read else "no metadata"
    if result.created:
        return f"{what}; imported as photo {result.photo.pk}"
    return f"{what}; duplicate of photo {result.photo.pk}, not imported again"


def _read_fields(metadata: PhotoMetadata) -> list[str]:
    caption = metadata.caption
    if len(caption) > CAPTION_SHOWN:
        caption = caption[: CAPTION_SHOWN - 1].rstrip() + "…"
    place = ", ".join(p for p in (metadata.city, metadata.country) if p)
    parts = [
        ("creator", metadata.creator),
        ("headline", f'"{metadata.headline}"' if metadata.headline else ""),
        ("caption", f'"{caption}"' if caption else ""),
        ("taken", metadata.date_created.isoformat() if metadata.date_created else ""),
        ("place", place),
        ("keywords", ", ".join(metadata.keywords)),
        ("source type", metadata.digital_source_type),
    ]
    read = [f"{label} {value}" for label, value in parts if value]
    if metadata.has_gps:
        read.append("a GPS position (kept out of public copies)")
    return read
