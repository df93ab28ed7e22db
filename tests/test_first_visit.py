"""After `make demo`'s load-demo, no reader's visit makes a photo's public copy: load-demo left
every copy made (see dateline/mediabank/renditions.py)."""

import re
import sqlite3
import urllib.request
from types import SimpleNamespace

from dateline.mediabank.renditions import photo_specs


def read(demo, sql: str) -> list[tuple]:
    with sqlite3.connect(demo.var / "dateline.sqlite3") as connection:
        return connection.execute(sql).fetchall()


def rendition_count(demo) -> int:
    return read(demo, "SELECT COUNT(*) FROM mediabank_photorendition")[0][0]


def get(demo, path: str) -> str:
    # A query string of its own, so that the page cache holds no copy and Django renders it.
    url = f"{demo.url}{path}{'&' if '?' in path else '?'}first-visit-test=1"
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
        assert response.status == 200, path
        return response.read().decode()


def test_load_demo_leaves_every_copy_of_every_photo_made(demo):
    photos = read(demo, "SELECT id, width, height FROM mediabank_photo")
    made: dict[int, set[str]] = {}
    for photo_id, spec in read(demo, "SELECT image_id, filter_spec FROM mediabank_photorendition"):
        made.setdefault(photo_id, set()).add(spec)
    assert len(photos) > 20
    missing = {
        photo_id: set(photo_specs(SimpleNamespace(width=width, height=height)))
        - made.get(photo_id, set())
        for photo_id, width, height in photos
    }
    assert {photo_id: specs for photo_id, specs in missing.items() if specs} == {}


def test_no_page_of_the_demo_makes_a_copy_on_its_first_visit(demo):
    before = rendition_count(demo)
    pages = ["/en/", "/ru/", "/ar/", "/en/world/", "/ru/feed/", "/en/feed/", "/mediabank/"]
    for lang in ("en", "ru", "ar"):
        front = get(demo, f"/{lang}/")
        pages += re.findall(rf'href="(/{lang}/\d{{4}}/\d{{2}}/\d{{2}}/[^"/]+/)"', front)[:6]
    bank = get(demo, "/mediabank/")
    photo_pages = re.findall(r'href="(/mediabank/photos/\d+/)"', bank)[:4]
    assert photo_pages
    pages += photo_pages
    pages += re.findall(r'href="(/mediabank/photographers/[^"/]+/)"', get(demo, photo_pages[0]))
    for path in dict.fromkeys(pages):
        assert "<" in get(demo, path)

    assert rendition_count(demo) == before > 0
