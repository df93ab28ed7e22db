"""The embedded tier's media route serves the public copies of photos (renditions) and nothing
else: no original upload, whatever the path looks like once decoded, normalised or resolved."""

from pathlib import Path

import pytest

from tests.hostile.media_paths import ATTACK_PATHS, PUBLIC, SECRET, lay_out_media


@pytest.fixture
def media(db, settings):
    root = Path(settings.MEDIA_ROOT)
    lay_out_media(root)
    return root


def test_a_rendition_is_served(client, media):
    response = client.get("/media/images/harbour.fill-400x300.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PUBLIC


def test_a_link_between_renditions_is_served(client, media):
    response = client.get("/media/images/inside.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PUBLIC


@pytest.mark.parametrize("address", ATTACK_PATHS)
def test_nothing_outside_the_renditions_folder_is_served(client, media, address):
    response = client.get(address)
    assert response.status_code == 404
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET not in body


def test_a_real_rendition_is_served_and_its_original_is_not(client, make_photo):
    photo = make_photo()
    rendition = photo.get_rendition("fill-200x100")
    response = client.get(rendition.url)
    assert response.status_code == 200
    original = Path(photo.file.name)
    assert original.parts[0] == "original_images"
    leak = client.get(f"/media/images/../{photo.file.name}")
    assert leak.status_code == 404
