"""Public copies of photos are made when a photo comes in and when a story is published, so
that no reader waits for one: requesting a page afterwards makes no rendition."""

import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dateline.mediabank.actions import import_photo
from dateline.mediabank.models import Photo, PhotoRendition
from dateline.mediabank.renditions import RENDITIONS, missing_specs, photo_specs, specs

DATELINE = Path(__file__).resolve().parents[2]


def jpeg(size=(900, 600), colour=(40, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def renditions_made_by(client, urls) -> int:
    """Request each of ``urls`` (each must answer 200); return how many renditions that made."""
    before = PhotoRendition.objects.count()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    return PhotoRendition.objects.count() - before


def public_pages(story, photo) -> list[str]:
    return [
        story.url,
        "/en/",
        f"/en/{story.primary_section.slug}/",
        "/en/feed/",
        "/mediabank/",
        photo.get_absolute_url(),
        f"/mediabank/photographers/{photo.photographer.slug}/",
        f"/mediabank/photos/{photo.pk}/license/",
    ]


def test_templates_ask_for_photos_only_by_a_named_use():
    # A spec written in a template would not be made ahead: every use is named in
    # mediabank/renditions.py and shown with {% photo_picture %} or {% photo_image %}.
    direct = re.compile(r"{%\s*(image|picture|srcset_image)\s")
    offenders = [
        str(path.relative_to(DATELINE))
        for path in DATELINE.rglob("*.html")
        if direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    uses = set()
    for path in DATELINE.rglob("*.html"):
        uses |= set(
            re.findall(r'{%\s*photo_(?:picture|image)\s+\S+\s+"(\w+)"', path.read_text("utf-8"))
        )
    assert {"story_lead", "story_photo", "share", "card_lead", "card", "bank_photo"} <= uses
    assert uses <= set(RENDITIONS)


def test_code_asks_for_renditions_only_by_a_named_use():
    literal = re.compile(r"get_renditions?\(\s*[\"']")
    offenders = [
        str(path.relative_to(DATELINE))
        for path in DATELINE.rglob("*.py")
        if "tests" not in path.parts and literal.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_size_the_photo_cannot_fill_is_made_once_not_twice():
    wide = SimpleNamespace(width=1600, height=1000)
    assert specs(wide, "bank_photo") == [
        "format-webp|width-800",
        "format-webp|width-1600",
        "format-jpeg|width-800",
        "format-jpeg|width-1600",
    ]
    small = SimpleNamespace(width=640, height=400)
    assert specs(small, "story_lead") == [
        "format-webp|width-480",
        "format-webp|width-800",
        "format-jpeg|width-480",
        "format-jpeg|width-800",
    ]
    assert specs(small, "card_lead") == [
        "format-webp|fill-480x270",
        "format-webp|fill-800x450",
        "format-jpeg|fill-480x270",
        "format-jpeg|fill-800x450",
    ]


def test_the_photo_page_offers_each_width_once(
    client, make_story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = import_photo(io.BytesIO(jpeg((1000, 700))), name="pier.jpg").photo
        make_story("Pier Reopens", photo=photo)
    html = client.get(photo.get_absolute_url()).content.decode()
    picture = html[html.index("<picture") : html.index("</picture>")]
    widths = re.findall(r" (\d+)w", picture)
    # In each format 800 and 1000 (the photo's own width, from width-1600 and not again from
    # width-2400): a srcset with two candidates of one width is invalid HTML.
    assert widths.count("1000") == 2 and widths.count("800") == 2 and len(widths) == 4


def test_an_imported_photo_has_every_copy_before_anyone_asks(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = import_photo(io.BytesIO(jpeg()), name="harbour.jpg").photo

    assert missing_specs(photo) == []
    assert photo.renditions.count() == len(photo_specs(photo)) > 20


def test_the_media_bank_makes_no_copy_of_an_imported_photo(
    client, make_story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = import_photo(
            io.BytesIO(jpeg()), name="ferry.jpg", fields={"photographer": "Ines Duarte"}
        ).photo
        story = make_story("Ferry Service Resumes", photo=photo)

    assert renditions_made_by(client, public_pages(story, photo)) == 0
    assert photo.renditions.count() > 0  # the pages did show it


def test_an_upload_in_the_newsroom_makes_the_copies(
    client, django_user_model, django_capture_on_commit_callbacks
):
    client.force_login(django_user_model.objects.create_superuser("desk", "d@example.com", "pw"))
    upload = SimpleUploadedFile("quay.jpg", jpeg(), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/images/add/", {"title": "Quay", "file": upload})
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert missing_specs(photo) == []


def test_a_publish_makes_the_copies_a_photo_lacks_before_readers_ask(
    client, make_photo, make_story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = make_photo(caption="Cranes over the port")
        earlier = make_story("Port Strike Ends", photo=make_photo(caption="Dockers"))
    # As for a photo added before copies were made ahead, or whose copies were lost.
    PhotoRendition.objects.all().delete()
    body_photo = Photo.objects.get(pk=earlier.lead_photo_id)
    body = [
        {"type": "paragraph", "value": "<p>The port reopened.</p>"},
        {"type": "image", "value": {"photo": body_photo.pk, "caption": ""}},
        {"type": "related", "value": {"story": earlier.pk}},
    ]

    story = make_story("Port Reopens", photo=photo, body=body)  # publish_story

    assert missing_specs(photo) == [] and missing_specs(body_photo) == []
    assert renditions_made_by(client, public_pages(story, photo)) == 0
    html = client.get(story.url).content.decode()
    assert html.count("<picture") >= 3  # the lead photo, the body's photo, the related card


@pytest.mark.parametrize("name", sorted(RENDITIONS))
def test_every_named_use_has_sizes_and_formats(name):
    use = RENDITIONS[name]
    assert use.sizes and use.formats and use.purpose
