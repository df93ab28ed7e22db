"""nginx as `make prod` configures it serves the public copies of photos (renditions) and
nothing else under the media folder: no original upload by "..", encodings, doubled slashes
or symlinks placed in the renditions folder. Runs the real nginx on free ports."""

import pytest

from tests.hostile.media_paths import ATTACK_PATHS, PUBLIC, SECRET, lay_out_media
from tests.nginx import fetch, running_nginx


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    base = tmp_path_factory.mktemp("nginx-media")
    lay_out_media(base / "media")
    (base / "static").mkdir()
    with running_nginx(base, static_root=base / "static", media_root=base / "media") as site:
        yield site


def test_nginx_serves_a_rendition(nginx):
    status, _, body = fetch(nginx, "/media/images/harbour.fill-400x300.jpg")
    assert (status, body) == (200, PUBLIC)


@pytest.mark.parametrize("address", ATTACK_PATHS)
def test_nginx_serves_nothing_else_under_media(nginx, address):
    status, _, body = fetch(nginx, address)
    # An address that nginx normalises out of /media/ goes to the app servers, which are not
    # running here (502); the app answers those by its own route (test_media_route.py).
    assert status in (400, 403, 404, 502)
    assert SECRET not in body
    assert b"root:" not in body
