"""The admin's photo upload and edit form (set as WAGTAILIMAGES_IMAGE_FORM_BASE).

It refuses what import_photo refuses, for the same reasons, and on a new upload fills the
fields the editor left empty from the metadata in the file, as import_photo does.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from dateline.mediabank.actions import find_photographer, photo_values
from dateline.mediabank.metadata import PhotoMetadata, read_metadata
from dateline.mediabank.models import Photo
from dateline.mediabank.renditions import make_renditions_after_commit
from dateline.mediabank.validation import PhotoRejected, check_image


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, with check_image run first so that its reason is the one the
    editor reads; the metadata of the file is kept on the upload as ``photo_metadata``."""

    def to_python(self, data: Any) -> Any:
        metadata = None
        if data not in self.empty_values and hasattr(data, "read"):
            name = getattr(data, "name", "") or "upload"
            try:
                check_image(data, name)
                metadata = read_metadata(data, name=name)
            except PhotoRejected as exc:
                raise ValidationError(exc.reason, code="photo_rejected") from None
        upload = super().to_python(data)
        if upload is not None and metadata is not None:
            upload.photo_metadata = metadata
        return upload

    def check_image_pixel_size(self, f: Any) -> None:
        # check_image has held the file to WAGTAILIMAGES_MAX_IMAGE_PIXELS (width × height ×
        # frames, as Wagtail counts) from its header; Wagtail's own check would decode the whole
        # image twice more to learn the same.
        if not hasattr(f, "read"):
            super().check_image_pixel_size(f)


class PhotoForm(BaseImageForm):
    """Upload or edit a photo; see the module's docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The field is swapped here rather than declared on the class: a declared field would
        # survive the `exclude = ("file", ...)` of Wagtail's multiple-upload edit form.
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField) and not isinstance(field, CheckedImageField):
            self.fields["file"] = CheckedImageField(
                label=field.label, required=field.required, widget=field.widget
            )
        self.new_photographer = ""

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        metadata = getattr(cleaned_data.get("file"), "photo_metadata", None)
        if metadata is not None and self.instance.pk is None:
            self._fill_from(metadata, cleaned_data)
        return cleaned_data

    def _fill_from(self, metadata: PhotoMetadata, cleaned_data: dict[str, Any]) -> None:
        for name, value in photo_values(metadata).items():
            if name in self.fields and not cleaned_data.get(name):
                cleaned_data[name] = value
        if "tags" in self.fields and not cleaned_data.get("tags") and metadata.keywords:
            cleaned_data["tags"] = metadata.keywords
        if "photographer" in self.fields and not cleaned_data.get("photographer"):
            # Found or added only when the photo is saved, not for a form that fails.
            self.new_photographer = metadata.creator

    def save(self, commit: bool = True) -> Photo:
        if self.new_photographer and self.instance.photographer_id is None:
            self.instance.photographer = find_photographer(self.new_photographer)
        photo = super().save(commit=commit)
        if commit and "file" in self.changed_data:
            # Wagtail deleted the old file's copies after the save: make the new file's.
            make_renditions_after_commit(photo)
        return photo
