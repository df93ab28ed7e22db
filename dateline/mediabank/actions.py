"""Changes to the photo archive that have side effects: adding a photo from a file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.search import index as search_index

from dateline.mediabank.metadata import PhotoMetadata, read_metadata
from dateline.mediabank.models import Photo
from dateline.mediabank.validation import check_image
from dateline.people.models import Person

# The Photo fields a file's metadata fills, by the PhotoMetadata attribute they come from.
METADATA_FIELDS = {
    "headline": "headline",
    "caption": "caption",
    "alt_text": "alt_text",
    "credit_text": "credit_line",
    "copyright_notice": "copyright_notice",
    "source": "source",
    "date_created": "date_created",
    "city": "city",
    "country": "country",
    "country_code": "country_code",
    "licence_url": "licence_url",
    "licensor_url": "licensor_url",
    "digital_source_type": "digital_source_type",
}


EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "AVIF": ".avif", "GIF": ".gif"}


@dataclass
class ImportResult:
    photo: Photo
    created: bool  # False when the archive already held the same file: ``photo`` is that one
    metadata: PhotoMetadata


def import_photo(
    path_or_file: str | Path | IO[bytes],
    *,
    name: str | None = None,
    fields: dict[str, Any] | None = None,
) -> ImportResult:
    """Add the image at ``path_or_file`` (a path, or a seekable binary file called ``name``)
    to the archive, and return the photo with the metadata read from the file.

    A file already in the archive (same content) is not added twice: the photo that holds it
    is returned with ``created`` False. Otherwise the new photo's fields come from the file's
    metadata, overridden by the non-empty values in ``fields`` (what an editor typed: Photo
    field names, "photographer" as a Person or a name, "tags" as a list). Raise PhotoRejected
    for a file the archive refuses (see check_image); nothing is stored then.
    """
    if isinstance(path_or_file, str | Path):
        path = Path(path_or_file)
        with path.open("rb") as handle:
            return _import(handle, name or path.name, fields or {})
    file_name = name or Path(getattr(path_or_file, "name", "") or "photo").name
    return _import(path_or_file, file_name, fields or {})


def photo_values(metadata: PhotoMetadata) -> dict[str, Any]:
    """Return the Photo field values ``metadata`` provides (photographer and tags apart),
    cut to the length each field holds; empty values are left out."""
    values = {}
    for field_name, attribute in METADATA_FIELDS.items():
        value = getattr(metadata, attribute)
        if not value:
            continue
        max_length = Photo._meta.get_field(field_name).max_length
        if isinstance(value, str) and max_length:
            value = value[:max_length].strip()
        values[field_name] = value
    return values


def find_photographer(name: str) -> Person:
    """Return the person called ``name``, creating them as a photographer if there is none."""
    name = name[: Person._meta.get_field("name").max_length].strip()
    person = Person.objects.filter(name=name).first()
    if person is None:
        person = Person.objects.create(name=name, role=Person.Role.PHOTOGRAPHER)
    return person


def _import(fileobj: IO[bytes], name: str, fields: dict[str, Any]) -> ImportResult:
    unknown = set(fields) - {f.name for f in Photo._meta.get_fields()} - {"tags"}
    if unknown:
        raise TypeError(f"import_photo() got unknown fields: {', '.join(sorted(unknown))}")
    checked = check_image(fileobj, name)
    metadata = read_metadata(fileobj, name=name)
    # Stored with the extension of what the file is, not of what it was called.
    stored_name = Path(name).stem + EXTENSIONS[checked.format]
    photo = Photo(file=ImageFile(fileobj, name=stored_name))
    photo._set_image_file_metadata()

    typed = {key: value for key, value in fields.items() if value not in (None, "", [], ())}
    values: dict[str, Any] = photo_values(metadata)
    if metadata.creator:
        values["photographer"] = metadata.creator
    values["tags"] = metadata.keywords
    values.update(typed)
    values.setdefault(
        "title",
        (values.get("headline") or values.get("caption") or Path(name).stem)[:255],
    )
    tags = values.pop("tags")
    if isinstance(values.get("photographer"), str):
        photographer_name = values.pop("photographer")
    else:
        photographer_name = None

    with transaction.atomic():
        # Looked for inside the transaction: SQLite's IMMEDIATE transactions then keep two
        # imports of one file from both adding it (PostgreSQL would need a unique hash).
        existing = Photo.objects.filter(file_hash=photo.file_hash).first()
        if existing is not None:
            return ImportResult(photo=existing, created=False, metadata=metadata)
        if photographer_name:
            values["photographer"] = find_photographer(photographer_name)
        for key, value in values.items():
            setattr(photo, key, value)
        photo.save()
        if tags:
            photo.tags.add(*tags)
        # The search index saw the photo before its tags: index it again, once it is stored.
        transaction.on_commit(lambda: search_index.insert_or_update_object(photo))
    return ImportResult(photo=photo, created=True, metadata=metadata)
