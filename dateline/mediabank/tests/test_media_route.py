"""The embedded tier's media route serves the public copies of photos (renditions) and nothing
else: no original upload, whatever the path looks like once decoded, normalised or resolved."""

import os
from pathlib import Path

import pytest

SECRET = b"original with GPS"
PUBLIC = b"public rendition"


@pytest.fixture
def media(db, settings):
    root = Path(settings.MEDIA_ROOT)
    (root / "images").mkdir(parents=True)
    (root / "original_images").mkdir()
    (root / "images" / "harbour.fill-400x300.jpg").write_bytes(PUBLIC)
    (root / "original_images" / "secret.jpg").write_bytes(SECRET)
    (root / "private.txt").write_bytes(SECRET)
    outside = root.parent / "outside.txt"
    outside.write_bytes(SECRET)
    # Links someone (or a careless restore) left in the renditions folder, pointing out of it.
    os.symlink(root / "original_images" / "secret.jpg", root / "images" / "link.jpg")
    os.symlink("../original_images", root / "images" / "originals")
    os.symlink(outside, root / "images" / "outside.txt")
    os.symlink("harbour.fill-400x300.jpg", root / "images" / "inside.jpg")
    return root


def test_a_rendition_is_served(client, media):
    response = client.get("/media/images/harbour.fill-400x300.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PUBLIC


def test_a_link_between_renditions_is_served(client, media):
    response = client.get("/media/images/inside.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PUBLIC


@pytest.mark.parametrize(
    "address",
    [
        "/media/images/../original_images/secret.jpg",
        "/media/images/%2e%2e/original_images/secret.jpg",
        "/media/images/%2E%2E%2Foriginal_images%2Fsecret.jpg",
        "/media/images/..%2foriginal_images/secret.jpg",
        "/media/images//../original_images/secret.jpg",
        "/media/images/./../original_images/secret.jpg",
        "/media/images/.%2e/original_images/secret.jpg",
        "/media/images/%252e%252e/original_images/secret.jpg",  # encoded twice
        "/media/images/%252e%252e%252foriginal_images%252fsecret.jpg",
        "/media/images/..%5coriginal_images%5csecret.jpg",  # backslashes
        "/media/images/..\\original_images\\secret.jpg",
        "/media/images/../original_images/secret.jpg%00.jpg",  # NUL
        "/media/images/harbour.fill-400x300.jpg%00",
        "/media/images/%2e%2e/private.txt",
        "/media/images/../../outside.txt",
        "/media/images/" + "%2e%2e/" * 12 + "etc/passwd",
        "/media/images//etc/passwd",  # absolute
        "/media/images/%2fetc%2fpasswd",
        "/media/images/link.jpg",  # links out of the folder
        "/media/images/originals/secret.jpg",
        "/media/images/outside.txt",
        "/media/images/",  # the folder itself
        "/media/images/originals/",
        "/media/original_images/secret.jpg",
        "/media//images/../original_images/secret.jpg",
        "/media/private.txt",
        "/media/images/..%c0%afsecret.jpg",  # overlong UTF-8 slash
    ],
)
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
