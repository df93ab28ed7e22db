"""Originals are stored under random names that keep only the extension, however the photo
arrives (the newsroom's upload, the importer, the demo's loader), and renditions do not give
the original's name away."""

import io
import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dateline.mediabank.actions import import_photo
from dateline.mediabank.models import Photo
from dateline.mediabank.tests.test_upload_form import add, admin_client  # noqa: F401

RANDOM_ORIGINAL = re.compile(r"original_images/[A-Za-z0-9_-]{22}\.(jpg|png|webp)")
TELLING_NAME = "Minister-meets-source-in-secret"


def jpeg(colour=(10, 20, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def assert_private_name(photo: Photo, extension: str):
    assert RANDOM_ORIGINAL.fullmatch(photo.file.name), photo.file.name
    assert photo.file.name.endswith(extension)
    assert TELLING_NAME.lower() not in photo.file.name.lower()
    assert (Path(photo.file.storage.location) / photo.file.name).is_file()


def test_an_imported_original_gets_a_random_name_keeping_its_extension(db):
    photo = import_photo(io.BytesIO(jpeg()), name=f"{TELLING_NAME}.JPG").photo
    assert_private_name(photo, ".jpg")
    assert photo.title == TELLING_NAME  # the name the desk knows it by stays visible to them


def test_two_uploads_of_one_name_get_different_names(db):
    first = import_photo(io.BytesIO(jpeg((1, 2, 3))), name="same.png").photo
    second = import_photo(io.BytesIO(jpeg((200, 2, 3))), name="same.png").photo
    assert first.file.name != second.file.name


def test_a_newsroom_upload_gets_a_random_name(admin_client):  # noqa: F811
    upload = SimpleUploadedFile(f"{TELLING_NAME}.jpg", jpeg(), content_type="image/jpeg")
    response = add(admin_client, upload)
    assert response.status_code in (200, 302)
    assert_private_name(Photo.objects.get(), ".jpg")


def test_a_rendition_does_not_name_its_original_and_is_served(client, make_photo):
    photo = make_photo(caption=TELLING_NAME)
    assert_private_name(photo, ".jpg")
    stem = Path(photo.file.name).stem
    rendition = photo.get_rendition("fill-200x100|format-webp")
    assert stem not in rendition.file.name
    name = r"images/[A-Za-z0-9_-]{22}\.(\w+\.)?fill-200x100\.format-webp\.webp"
    assert re.fullmatch(name, rendition.file.name)
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert photo.get_rendition("fill-200x100|format-webp").file.name == rendition.file.name


def test_an_imported_original_is_stored_with_the_extension_of_its_content(db):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (1, 200, 3)).save(buffer, "PNG")
    photo = import_photo(io.BytesIO(buffer.getvalue()), name="really-a-png.jpg").photo
    assert_private_name(photo, ".png")
