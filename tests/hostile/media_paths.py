"""The media folder as an attacker finds it, and the addresses that try to read past its
renditions: one list for every server of media (the embedded tier's route,
dateline/mediabank/tests/test_media_route.py, and nginx, tests/test_nginx_media.py)."""

import os
from pathlib import Path

SECRET = b"original with GPS"
PUBLIC = b"public rendition"

# Each must answer 400, 403 or 404, and never with SECRET.
ATTACK_PATHS = [
    "/media/images/../original_images/secret.jpg",
    "/media/images/%2e%2e/original_images/secret.jpg",
    "/media/images/%2E%2E%2Foriginal_images%2Fsecret.jpg",
    "/media/images/..%2foriginal_images/secret.jpg",
    "/media/images//../original_images/secret.jpg",
    "//media//images/../original_images/secret.jpg",
    "/media//images/../original_images/secret.jpg",
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
    "/media/images/../../../../etc/passwd",
    "/media/images/" + "%2e%2e/" * 12 + "etc/passwd",
    "/media/images//etc/passwd",  # absolute
    "/media/images/%2fetc%2fpasswd",
    "/media/images../original_images/secret.jpg",
    "/media/images/link.jpg",  # links out of the folder
    "/media/images/originals/secret.jpg",
    "/media/images/outside.txt",
    "/media/images/",  # the folder itself
    "/media/images/originals/",
    "/media/original_images/secret.jpg",
    "/media/private.txt",
    "/media/images/..%c0%afsecret.jpg",  # overlong UTF-8 slash
]


def lay_out_media(root: Path) -> None:
    """Fill ``root`` as a media folder: a rendition, an original, a private file, one more
    beside the folder, and links someone (or a careless restore) left in the renditions
    folder, three pointing out of it and one to a rendition."""
    (root / "images").mkdir(parents=True)
    (root / "original_images").mkdir()
    (root / "images" / "harbour.fill-400x300.jpg").write_bytes(PUBLIC)
    (root / "original_images" / "secret.jpg").write_bytes(SECRET)
    (root / "private.txt").write_bytes(SECRET)
    outside = root.parent / "outside.txt"
    outside.write_bytes(SECRET)
    os.symlink(root / "original_images" / "secret.jpg", root / "images" / "link.jpg")
    os.symlink("../original_images", root / "images" / "originals")
    os.symlink(outside, root / "images" / "outside.txt")
    os.symlink("harbour.fill-400x300.jpg", root / "images" / "inside.jpg")
