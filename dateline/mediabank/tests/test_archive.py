"""The public photo archive: browsing, searching, photographers, licensing, structured data."""

import datetime as dt
import json
import re

from django.core import mail
from django.utils import timezone

from dateline.mediabank.models import LicenceRequest
from tests.schemaorg import problems


def publish_photo(make_photo, make_story, *, story_kwargs=None, **photo_fields):
    extra = {
        k: photo_fields.pop(k)
        for k in list(photo_fields)
        if k not in {"caption", "photographer", "agency", "copyright_notice", "alt"}
    }
    photo = make_photo(**photo_fields)
    for field, value in extra.items():
        if field == "keywords":
            photo.tags.set(value)
        else:
            setattr(photo, field, value)
    photo.save()
    make_story(f"Story with {photo.caption}", photo=photo, **(story_kwargs or {}))
    return photo


def grid(client, url):
    html = client.get(url).content.decode()
    return re.findall(r'href="/mediabank/photos/(\d+)/"', html)


def test_it_browses_by_photographer_place_keyword_date_and_section(client, make_photo, make_story):
    a = publish_photo(
        make_photo,
        make_story,
        caption="Harbour cranes",
        photographer="Kwame Asante",
        city="Mombasa",
        country="Kenya",
        keywords=["ports"],
        date_created=dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC),
        story_kwargs={"section": "business"},
    )
    b = publish_photo(
        make_photo,
        make_story,
        caption="Rice terraces",
        photographer="Yuki Tanaka",
        city="Banaue",
        country="Philippines",
        keywords=["farming"],
        date_created=dt.datetime(2026, 2, 3, 9, tzinfo=dt.UTC),
        story_kwargs={"section": "asia"},
    )
    assert grid(client, "/mediabank/") == [str(b.pk), str(a.pk)]
    assert grid(client, "/mediabank/?photographer=kwame-asante") == [str(a.pk)]
    assert grid(client, "/mediabank/?place=philippines") == [str(b.pk)]
    assert grid(client, "/mediabank/?place=Mombasa") == [str(a.pk)]
    assert grid(client, "/mediabank/?keyword=farming") == [str(b.pk)]
    assert grid(client, "/mediabank/?date=2025-06") == [str(a.pk)]
    assert grid(client, "/mediabank/?date=2026") == [str(b.pk)]
    business = a.stories.first().primary_section
    assert grid(client, f"/mediabank/?section={business.pk}") == [str(a.pk)]
    assert grid(client, "/mediabank/?date=not-a-date") == []
    assert grid(client, "/mediabank/?photographer=nobody") == []


def test_it_searches_caption_keywords_place_and_credit(client, make_photo, make_story):
    cranes = publish_photo(
        make_photo,
        make_story,
        caption="Container cranes at dusk",
        city="Rotterdam",
        keywords=["shipping"],
    )
    rice = publish_photo(make_photo, make_story, caption="Rice terraces", agency="Valley Photo")
    assert grid(client, "/mediabank/?q=cranes") == [str(cranes.pk)]
    assert grid(client, "/mediabank/?q=rotterdam") == [str(cranes.pk)]
    assert grid(client, "/mediabank/?q=shipping") == [str(cranes.pk)]
    assert grid(client, "/mediabank/?q=valley") == [str(rice.pk)]
    html = client.get("/mediabank/?q=cranes").content.decode()
    assert 'value="cranes"' in html


def test_an_unpublished_photo_is_never_found_by_search(client, make_photo, make_story):
    photo = make_photo(caption="Secret summit venue")
    make_story("Embargoed", photo=photo, published_at=timezone.now() + dt.timedelta(hours=1))
    assert grid(client, "/mediabank/?q=summit") == []


def test_the_archive_pages(client, make_photo, make_story):
    for n in range(26):
        make_story(f"Story {n}", photo=make_photo(caption=f"Photo number {n}"))
    first, second = grid(client, "/mediabank/"), grid(client, "/mediabank/?page=2")
    assert len(first) == 24 and len(second) == 2 and not set(first) & set(second)


def test_the_photo_page_shows_every_fact(client, make_photo, make_story):
    photo = publish_photo(
        make_photo,
        make_story,
        caption="Fishermen haul nets",
        photographer="Ines Duarte",
        copyright_notice="© 2026 Testwire",
        city="Nazaré",
        country="Portugal",
        keywords=["fishing", "coast"],
        date_created=dt.datetime(2026, 3, 4, 7, tzinfo=dt.UTC),
        licence_url="https://example.org/licence",
        digital_source_type="digitalCapture",
    )
    html = client.get(f"/mediabank/photos/{photo.pk}/").content.decode()
    for text in [
        "Fishermen haul nets",
        "© Testwire / Ines Duarte",
        "© 2026 Testwire",
        "Nazaré",
        "Portugal",
        "fishing",
        "coast",
        "https://example.org/licence",
        "Photo taken with a digital camera",
        "License this photo",
        'href="/mediabank/photographers/ines-duarte/"',
        "March 4, 2026",
    ]:
        assert text in html, text


def test_the_photo_page_carries_an_image_object_with_licence_metadata(
    client, make_photo, make_story
):
    photo = publish_photo(
        make_photo,
        make_story,
        caption="Dunes at dawn",
        photographer="Oskar Lindqvist",
        copyright_notice="© 2026 Testwire",
        licence_url="https://example.org/licence",
        city="Merzouga",
    )
    html = client.get(f"/mediabank/photos/{photo.pk}/").content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert problems(data) == []
    assert data["@type"] == "ImageObject"
    assert data["creator"]["name"] == "Oskar Lindqvist"
    assert data["creditText"] == "Testwire / Oskar Lindqvist"
    assert data["copyrightNotice"] == "© 2026 Testwire"
    assert data["license"] == "https://example.org/licence"
    assert data["acquireLicensePage"].endswith(f"/mediabank/photos/{photo.pk}/license/")


def test_a_photographer_page_shows_bio_and_photos(client, make_photo, make_story):
    photo = publish_photo(
        make_photo, make_story, caption="Night market", photographer="Yuki Tanaka"
    )
    person = photo.photographer
    person.bio = "Covers Asia from Tokyo."
    person.save()
    html = client.get("/mediabank/photographers/yuki-tanaka/").content.decode()
    assert "Covers Asia from Tokyo." in html and f"/mediabank/photos/{photo.pk}/" in html
    assert client.get("/mediabank/photographers/nobody-here/").status_code == 404


def test_a_licence_request_is_stored_and_the_desk_is_told(
    client, make_photo, make_story, settings, django_capture_on_commit_callbacks
):
    photo = publish_photo(
        make_photo, make_story, caption="Glacier front", licence_url="https://example.org/licence"
    )
    url = f"/mediabank/photos/{photo.pk}/license/"
    page = client.get(url).content.decode()
    assert "https://example.org/licence" in page and "Intended use" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "name": "Ana Lima",
                "organisation": "Revista Azul",
                "email": "ana@example.org",
                "intended_use": "Cover of our March issue, print, Brazil.",
            },
        )
    assert response.status_code == 302
    assert "The photo desk will answer you" in client.get(response["Location"]).content.decode()
    stored = LicenceRequest.objects.get()
    assert (stored.photo, stored.name, stored.email) == (photo, "Ana Lima", "ana@example.org")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [settings.PHOTO_DESK_EMAIL]
    assert "Revista Azul" in mail.outbox[0].body and str(photo.pk) in mail.outbox[0].subject


def test_a_bad_licence_request_is_refused_and_nothing_stored(client, make_photo, make_story):
    photo = publish_photo(make_photo, make_story, caption="Glacier front")
    url = f"/mediabank/photos/{photo.pk}/license/"
    for data in [
        {"name": "", "email": "ana@example.org", "intended_use": "Print"},
        {"name": "Ana", "email": "not-an-address", "intended_use": "Print"},
        {"name": "Ana", "email": "ana@example.org", "intended_use": ""},
        {"name": "Ana\x07", "email": "ana@example.org", "intended_use": "Print"},
        {"name": "A" * 500, "email": "ana@example.org", "intended_use": "Print"},
        {"name": "<script>alert(1)</script>", "email": "x", "intended_use": "y"},
    ]:
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert b"<script>alert(1)</script>" not in response.content
    assert LicenceRequest.objects.count() == 0


def test_licence_requests_are_rate_limited(client, make_photo, make_story):
    photo = publish_photo(make_photo, make_story, caption="Glacier front")
    url = f"/mediabank/photos/{photo.pk}/license/"
    good = {"name": "Ana", "email": "ana@example.org", "intended_use": "Print"}
    statuses = [client.post(url, good).status_code for _ in range(7)]
    assert statuses[:5] == [302] * 5 and statuses[5:] == [400, 400]
    assert LicenceRequest.objects.count() == 5
    assert "Too many requests" in client.post(url, good).content.decode()


def test_original_files_are_not_served(client, make_photo, make_story, settings):
    photo = make_story("Story", photo=make_photo()).lead_photo
    assert client.get(settings.MEDIA_URL + photo.file.name).status_code == 404
    rendition = photo.get_rendition("width-400")
    assert client.get(rendition.url).status_code == 200


def gps_photo(make_photo, keep):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image

    photo = make_photo()
    exif = Image.Exif()
    exif[0x013B] = "Ines Duarte"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (35.0, 41.0, 22.0), 3: "E", 4: (139.0, 41.0, 30.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), "teal").save(buffer, "JPEG", exif=exif.tobytes())
    photo.file = ImageFile(buffer, name="with-gps.jpg")
    photo.keep_location = keep
    photo._set_image_file_metadata()
    photo.save()
    return photo


def rendition_exif(photo, spec):
    from PIL import Image

    rendition = photo.get_rendition(spec)
    with rendition.file.open("rb") as handle, Image.open(handle) as image:
        exif = image.getexif()
        return dict(exif), dict(exif.get_ifd(0x8825))


def test_public_copies_leave_out_the_gps_position(make_photo):
    photo = gps_photo(make_photo, keep=False)
    for spec in ["width-400", "fill-300x200|format-jpeg", "width-400|format-webp"]:
        exif, gps = rendition_exif(photo, spec)
        assert gps == {}, spec
    # The rest of the EXIF stays: the photographer's name is still in the file.
    assert rendition_exif(photo, "width-500")[0].get(0x013B) == "Ines Duarte"


def test_the_photo_desk_can_keep_the_position(make_photo):
    photo = gps_photo(make_photo, keep=True)
    assert rendition_exif(photo, "width-400")[1][1] == "N"


def test_the_media_bank_wears_the_sites_masthead_and_sections(client, edition):
    html = client.get("/mediabank/").content.decode()
    assert "The Test Times" in html and 'class="sections-nav"' in html


def test_line_breaks_in_one_line_fields_of_a_licence_request_are_folded(
    client, make_photo, make_story, settings, django_capture_on_commit_callbacks
):
    photo = publish_photo(make_photo, make_story, caption="Glacier front")
    url = f"/mediabank/photos/{photo.pk}/license/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "name": "Ana\r\nPhoto: https://evil.example/\nBcc: all@example.org",
                "organisation": "Revista\u202e Azul\n\nApproved: yes",
                "email": "ana@example.org",
                "intended_use": "Cover, print.\nTwo lines are fine here.",
            },
        )
    assert response.status_code == 302
    stored = LicenceRequest.objects.get()
    assert stored.name == "Ana Photo: https://evil.example/ Bcc: all@example.org"
    assert stored.organisation == "Revista Azul Approved: yes"
    assert stored.intended_use == "Cover, print.\nTwo lines are fine here."
    (message,) = mail.outbox
    lines = message.body.splitlines()
    assert "From: Ana Photo: https://evil.example/ Bcc: all@example.org, Revista Azul " in (
        message.body
    )
    assert not any(line.startswith(("Bcc:", "Approved:", "Photo: https://evil")) for line in lines)
    assert "\n" not in message.subject
