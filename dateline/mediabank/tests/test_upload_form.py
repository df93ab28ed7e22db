"""Uploading photos in the Wagtail admin: bad files are refused with the reason, and a new
photo's empty fields are filled from the metadata in its file."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils.html import escape
from PIL import Image

from dateline.mediabank.models import Photo
from dateline.mediabank.tests.test_hostile_files import HOSTILE_FILES, noisy_jpeg
from dateline.people.models import Person

ADD_URL = "/admin/images/add/"
MULTIPLE_ADD_URL = "/admin/images/multiple/add/"

# Written the way Photoshop writes it: simple values as attributes, lists and structures as
# elements; different from exiftool's style, which the import tests use.
XMP_PACKET = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"
    xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/"
    photoshop:Headline="Matatu rush hour"
    photoshop:City="Nairobi"
    photoshop:Country="Kenya"
    photoshop:Credit="Testwire / Wanjiru Kamau"
    photoshop:Source="Testwire Nairobi"
    photoshop:DateCreated="2026-02-10T08:15:00+03:00"
    Iptc4xmpCore:CountryCode="KE"
    xmpRights:WebStatement="https://testwire.example/licence">
   <dc:creator><rdf:Seq><rdf:li>Wanjiru Kamau</rdf:li></rdf:Seq></dc:creator>
   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">© 2026 Testwire</rdf:li></rdf:Alt></dc:rights>
   <dc:description><rdf:Alt>
    <rdf:li xml:lang="sw">Matatu katikati ya jiji</rdf:li>
    <rdf:li xml:lang="x-default">Minibuses queue on Moi Avenue in central Nairobi.</rdf:li>
   </rdf:Alt></dc:description>
   <dc:subject><rdf:Bag><rdf:li>transport</rdf:li><rdf:li>Kenya</rdf:li></rdf:Bag></dc:subject>
   <Iptc4xmpCore:AltTextAccessibility><rdf:Alt>
    <rdf:li xml:lang="x-default">Green minibuses in a queue on a wide street</rdf:li>
   </rdf:Alt></Iptc4xmpCore:AltTextAccessibility>
   <plus:Licensor><rdf:Seq><rdf:li rdf:parseType="Resource">
    <plus:LicensorURL>https://testwire.example/sales</plus:LicensorURL>
   </rdf:li></rdf:Seq></plus:Licensor>
   <Iptc4xmpExt:DigitalSourceType
     rdf:resource="http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"/>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def photo_with_metadata(name="matatu.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x013B] = "Someone Else"  # EXIF Artist: the XMP creator must win
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), (30, 140, 60)).save(
        buffer, "JPEG", xmp=XMP_PACKET, exif=exif.tobytes()
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("desk", "desk@example.com", "pw")
    client.force_login(user)
    return client


def add(client, upload, **fields):
    return client.post(ADD_URL, {"title": upload.name, "file": upload, **fields})


@pytest.mark.parametrize("kind", list(HOSTILE_FILES))
def test_it_shows_why_a_bad_file_is_refused_and_stores_nothing(admin_client, kind):
    name, content, reason = HOSTILE_FILES[kind]

    response = add(admin_client, SimpleUploadedFile(name, content()))

    assert response.status_code == 200
    assert escape(reason) in response.content.decode()
    assert Photo.objects.count() == 0


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=5000)
def test_it_refuses_an_upload_over_the_size_limit(admin_client):
    response = add(admin_client, SimpleUploadedFile("big.jpg", noisy_jpeg((100, 100))))

    assert response.status_code == 200
    assert "big.jpg is " in response.content.decode()
    assert "a photo may be." in response.content.decode()
    assert Photo.objects.count() == 0


def test_it_fills_the_fields_left_empty_from_the_files_metadata(admin_client):
    response = add(admin_client, photo_with_metadata(), title="Matatus")

    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Photo.objects.get()
    assert photo.title == "Matatus"
    assert photo.headline == "Matatu rush hour"
    assert photo.caption == "Minibuses queue on Moi Avenue in central Nairobi."
    assert photo.alt_text == "Green minibuses in a queue on a wide street"
    assert photo.photographer.name == "Wanjiru Kamau"
    assert photo.photographer.role == Person.Role.PHOTOGRAPHER
    assert photo.credit_text == "Testwire / Wanjiru Kamau"
    assert photo.copyright_notice == "© 2026 Testwire"
    assert photo.source == "Testwire Nairobi"
    assert photo.date_created == dt.datetime(2026, 2, 10, 5, 15, tzinfo=dt.UTC)
    assert (photo.city, photo.country, photo.country_code) == ("Nairobi", "Kenya", "KE")
    assert photo.licence_url == "https://testwire.example/licence"
    assert photo.licensor_url == "https://testwire.example/sales"
    assert photo.digital_source_type == "digitalCapture"
    assert set(photo.tags.names()) == {"transport", "Kenya"}


def test_it_keeps_what_the_editor_typed_over_the_file(admin_client):
    editor = Person.objects.create(name="Amani Otieno", role=Person.Role.PHOTOGRAPHER)

    response = add(
        admin_client,
        photo_with_metadata(),
        caption="Typed by the desk",
        photographer=editor.pk,
        city="Mombasa",
        tags="typed",
    )

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.caption == "Typed by the desk"
    assert photo.photographer == editor
    assert photo.city == "Mombasa"
    assert set(photo.tags.names()) == {"typed"}
    assert photo.headline == "Matatu rush hour"  # not typed: from the file
    assert not Person.objects.filter(name="Wanjiru Kamau").exists()


def test_it_leaves_an_existing_photos_fields_alone_when_its_file_is_replaced(admin_client):
    add(admin_client, photo_with_metadata(), caption="Typed")
    photo = Photo.objects.get()

    response = admin_client.post(
        f"/admin/images/{photo.pk}/",
        {"title": photo.title, "caption": "Typed", "file": photo_with_metadata("other.jpg")},
    )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.headline == ""  # cleared by the editor's form, not refilled from the file
    assert photo.caption == "Typed"


def test_it_refuses_a_bad_replacement_file_on_the_edit_page(admin_client):
    add(admin_client, photo_with_metadata())
    photo = Photo.objects.get()
    stored = photo.file.name
    name, content, reason = HOSTILE_FILES["html named jpg"]

    response = admin_client.post(
        f"/admin/images/{photo.pk}/",
        {"title": photo.title, "file": SimpleUploadedFile(name, content())},
    )

    assert response.status_code == 200
    assert escape(reason) in response.content.decode()
    photo.refresh_from_db()
    assert photo.file.name == stored


def test_it_refuses_a_bad_file_in_the_multiple_uploader(admin_client):
    name, content, reason = HOSTILE_FILES["decompression bomb"]

    response = admin_client.post(MULTIPLE_ADD_URL, {"files[]": SimpleUploadedFile(name, content())})

    data = json.loads(response.content)
    assert data["success"] is False
    assert reason in data["error_message"]
    assert Photo.objects.count() == 0


def test_it_fills_fields_from_the_metadata_in_the_multiple_uploader(admin_client):
    response = admin_client.post(MULTIPLE_ADD_URL, {"files[]": photo_with_metadata()})

    assert json.loads(response.content)["success"] is True
    photo = Photo.objects.get()
    assert photo.caption == "Minibuses queue on Moi Avenue in central Nairobi."
    assert photo.photographer.name == "Wanjiru Kamau"
