"""Importing photos from files: the metadata they carry lands in the photo's fields, a file
already in the archive is not added twice, and the import-photos command reports each file."""

import datetime as dt
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from dateline.mediabank.actions import import_photo
from dateline.mediabank.models import Photo
from dateline.people.models import Person

GPS_IFD = 0x8825
LISBON = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture
def exiftool():
    """Return a function writing metadata into an image with exiftool (tags as exiftool's
    -GROUP:TAG=VALUE arguments, text in UTF-8 unless told otherwise)."""
    command = shutil.which("exiftool")
    if command is None:
        message = "exiftool is missing: install the Debian package libimage-exiftool-perl"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)

    def write(path: Path, *tags: str, iptc_charset: str = "UTF8") -> Path:
        subprocess.run(
            [
                command,
                "-q",
                "-overwrite_original",
                "-charset",
                f"iptc={iptc_charset}",
                *tags,
                str(path),
            ],
            check=True,
            capture_output=True,
        )
        return path

    return write


def jpeg(path: Path, colour=(200, 120, 40), size=(320, 240)) -> Path:
    """Write a JPEG whose content (and so hash) differs by colour."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, "JPEG", quality=90)
    return path


IIM_TAGS = (
    "-IPTC:CodedCharacterSet=UTF8",
    "-IPTC:By-line=Inês Duarte",
    "-IPTC:Credit=Testwire / Inês Duarte",
    "-IPTC:CopyrightNotice=© 2026 Testwire",
    "-IPTC:Caption-Abstract=Fishermen mend nets at dawn in Peniche, Portugal.",
    "-IPTC:Headline=Nets at dawn",
    "-IPTC:DateCreated=2026:03:14",
    "-IPTC:TimeCreated=09:30:00+01:00",
    "-IPTC:City=Peniche",
    "-IPTC:Country-PrimaryLocationName=Portugal",
    "-IPTC:Country-PrimaryLocationCode=PRT",
    "-IPTC:Keywords=fishing",
    "-IPTC:Keywords=Portugal",
    "-IPTC:Keywords=pescadores açorianos",
    "-IPTC:Source=Testwire Lisboa",
)

XMP_TAGS = (
    "-XMP-dc:Creator=Zoë Kowalczyk",
    "-XMP-dc:Rights=© 2026 Zoë Kowalczyk",
    "-XMP-dc:Description=A fisherman holds up a carp at the market in Łódź.",
    "-XMP-dc:Subject=markets",
    "-XMP-dc:Subject=Łódź",
    "-XMP-photoshop:Headline=Christmas carp",
    "-XMP-photoshop:Credit=Northwire",
    "-XMP-photoshop:City=Łódź",
    "-XMP-photoshop:Country=Poland",
    "-XMP-photoshop:Source=Northwire Warsaw",
    "-XMP-photoshop:DateCreated=2025:12:20 07:45:00+01:00",
    "-XMP-iptcCore:CountryCode=PL",
    "-XMP-iptcCore:AltTextAccessibility=A man in a woollen hat holds a large carp",
    "-XMP-xmpRights:WebStatement=https://northwire.example/licence",
    "-XMP-plus:LicensorURL=https://northwire.example/buy",
    "-XMP-iptcExt:DigitalSourceType=http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
)

EXIF_TAGS = (
    "-EXIF:Artist=Jürgen Weiß",
    "-EXIF:Copyright=© Jürgen Weiß",
    "-EXIF:ImageDescription=Straßenbahn im Regen, München",
    "-EXIF:DateTimeOriginal=2026:01:05 17:02:03",
    "-EXIF:OffsetTimeOriginal=+01:00",
    "-GPSLatitude=48.137",
    "-GPSLatitudeRef=N",
    "-GPSLongitude=11.575",
    "-GPSLongitudeRef=E",
)


def tag_names(photo: Photo) -> set[str]:
    return set(photo.tags.names())


def test_it_fills_every_field_from_iptc_iim(db, tmp_path, exiftool):
    path = exiftool(jpeg(tmp_path / "peniche.jpg"), *IIM_TAGS)

    result = import_photo(path)

    photo = Photo.objects.get(pk=result.photo.pk)
    assert result.created
    assert photo.photographer.name == "Inês Duarte"
    assert photo.photographer.role == Person.Role.PHOTOGRAPHER
    assert photo.credit_text == "Testwire / Inês Duarte"
    assert photo.copyright_notice == "© 2026 Testwire"
    assert photo.caption == "Fishermen mend nets at dawn in Peniche, Portugal."
    assert photo.headline == "Nets at dawn"
    assert photo.title == "Nets at dawn"
    assert photo.date_created == dt.datetime(2026, 3, 14, 9, 30, tzinfo=LISBON)
    assert (photo.city, photo.country, photo.country_code) == ("Peniche", "Portugal", "PRT")
    assert tag_names(photo) == {"fishing", "Portugal", "pescadores açorianos"}
    assert photo.source == "Testwire Lisboa"


def test_it_reads_iim_text_written_in_latin_1(db, tmp_path, exiftool):
    # No 1:90 character set: older software writes Latin-1, which is not valid UTF-8.
    path = exiftool(
        jpeg(tmp_path / "old.jpg"),
        "-IPTC:By-line=Inês Duarte",
        "-IPTC:City=Besançon",
        iptc_charset="Latin",
    )

    photo = import_photo(path).photo

    assert photo.photographer.name == "Inês Duarte"
    assert photo.city == "Besançon"


def test_it_fills_every_field_from_xmp(db, tmp_path, exiftool):
    path = exiftool(jpeg(tmp_path / "lodz.jpg"), *XMP_TAGS)

    photo = Photo.objects.get(pk=import_photo(path).photo.pk)

    assert photo.photographer.name == "Zoë Kowalczyk"
    assert photo.copyright_notice == "© 2026 Zoë Kowalczyk"
    assert photo.caption == "A fisherman holds up a carp at the market in Łódź."
    assert tag_names(photo) == {"markets", "Łódź"}
    assert photo.headline == "Christmas carp"
    assert photo.credit_text == "Northwire"
    assert (photo.city, photo.country, photo.country_code) == ("Łódź", "Poland", "PL")
    assert photo.source == "Northwire Warsaw"
    assert photo.date_created == dt.datetime(2025, 12, 20, 6, 45, tzinfo=dt.UTC)
    assert photo.alt_text == "A man in a woollen hat holds a large carp"
    assert photo.licence_url == "https://northwire.example/licence"
    assert photo.licensor_url == "https://northwire.example/buy"
    assert photo.digital_source_type == "digitalCapture"


def test_it_reads_an_ai_generated_images_digital_source_type_from_a_png(db, tmp_path, exiftool):
    path = tmp_path / "generated.png"
    Image.new("RGB", (64, 64), (10, 200, 90)).save(path)
    exiftool(
        path,
        "-XMP-dc:Description=An illustration of a city in 2050",
        "-XMP-iptcExt:DigitalSourceType="
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
    )

    result = import_photo(path)

    assert result.metadata.digital_source_type == "trainedAlgorithmicMedia"
    assert result.photo.digital_source_type == "trainedAlgorithmicMedia"
    assert result.photo.caption == "An illustration of a city in 2050"


def test_it_fills_fields_from_exif_and_notices_the_gps_position(db, tmp_path, exiftool):
    path = exiftool(jpeg(tmp_path / "tram.jpg"), *EXIF_TAGS)

    result = import_photo(path)

    photo = Photo.objects.get(pk=result.photo.pk)
    assert photo.photographer.name == "Jürgen Weiß"
    assert photo.copyright_notice == "© Jürgen Weiß"
    assert photo.caption == "Straßenbahn im Regen, München"
    assert photo.title == "Straßenbahn im Regen, München"
    assert photo.date_created == dt.datetime(2026, 1, 5, 16, 2, 3, tzinfo=dt.UTC)
    assert result.metadata.has_gps is True


def test_it_prefers_xmp_to_iim_and_iim_to_exif(db, tmp_path, exiftool):
    path = exiftool(
        jpeg(tmp_path / "all.jpg"),
        "-XMP-dc:Creator=From XMP",
        "-IPTC:By-line=From IIM",
        "-EXIF:Artist=From EXIF",
        "-IPTC:Caption-Abstract=Caption from IIM",
        "-EXIF:ImageDescription=Caption from EXIF",
        "-EXIF:Copyright=Copyright from EXIF",
        "-XMP-dc:Subject=xmp keyword",
        "-IPTC:Keywords=iim keyword",
    )

    photo = import_photo(path).photo

    assert photo.photographer.name == "From XMP"
    assert photo.caption == "Caption from IIM"
    assert photo.copyright_notice == "Copyright from EXIF"
    assert tag_names(photo) == {"xmp keyword"}


def test_it_lets_what_the_editor_typed_win_over_the_file(db, tmp_path, exiftool):
    path = exiftool(jpeg(tmp_path / "peniche.jpg"), *IIM_TAGS)
    editor = Person.objects.create(name="Desk Editor", role=Person.Role.EDITOR)

    photo = import_photo(
        path,
        fields={"caption": "Typed caption", "photographer": editor, "tags": ["typed"], "city": ""},
    ).photo

    photo.refresh_from_db()
    assert photo.caption == "Typed caption"
    assert photo.photographer == editor
    assert tag_names(photo) == {"typed"}
    assert photo.city == "Peniche"  # left empty by the editor: the file's value stays
    assert photo.headline == "Nets at dawn"


def test_it_finds_the_photographer_by_name_instead_of_adding_them_again(db, tmp_path, exiftool):
    person = Person.objects.create(name="Inês Duarte", role=Person.Role.PHOTOGRAPHER)
    first = exiftool(jpeg(tmp_path / "a.jpg", colour=(1, 2, 3)), "-IPTC:By-line=Inês Duarte")
    second = exiftool(jpeg(tmp_path / "b.jpg", colour=(90, 2, 3)), "-XMP-dc:Creator=Inês Duarte")

    assert import_photo(first).photo.photographer == person
    assert import_photo(second).photo.photographer == person
    assert Person.objects.filter(name="Inês Duarte").count() == 1


def test_it_titles_a_photo_without_headline_or_caption_by_its_file_name(db, tmp_path):
    photo = import_photo(jpeg(tmp_path / "harbour-at-dawn.jpg")).photo

    assert photo.title == "harbour-at-dawn"
    assert photo.photographer is None
    assert (photo.width, photo.height) == (320, 240)


def test_it_imports_a_file_object_under_the_name_given(db):
    buffer = io.BytesIO()
    Image.new("RGB", (50, 40), (5, 5, 5)).save(buffer, "PNG")

    photo = import_photo(buffer, name="scan.png").photo

    assert photo.title == "scan"
    assert photo.file.name.endswith(".png")


def test_it_returns_the_stored_photo_when_the_same_file_comes_again(db, tmp_path, exiftool):
    path = exiftool(jpeg(tmp_path / "peniche.jpg"), *IIM_TAGS)
    first = import_photo(path)
    copy = tmp_path / "copy-with-another-name.jpg"
    shutil.copy(path, copy)

    second = import_photo(copy)

    assert first.created and not second.created
    assert second.photo.pk == first.photo.pk
    assert Photo.objects.count() == 1
    assert second.metadata.headline == "Nets at dawn"


def test_it_keeps_the_gps_position_out_of_public_renditions(db, tmp_path, exiftool):
    path = exiftool(jpeg(tmp_path / "tram.jpg", size=(800, 600)), *EXIF_TAGS)
    with Image.open(path) as original:
        assert original.getexif().get_ifd(GPS_IFD), "the test file must carry a GPS position"
    photo = import_photo(path).photo

    for spec in ("width-400|format-jpeg", "width-400", "fill-200x200|format-webp"):
        rendition = photo.get_rendition(spec)
        with rendition.file.open("rb") as handle, Image.open(handle) as image:
            assert not image.getexif().get_ifd(GPS_IFD), f"{spec} carries a GPS position"


def command(*args) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("import-photos", *map(str, args), stdout=out, stderr=io.StringIO())
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_it_imports_a_folder_reporting_each_file_and_fails_after_a_rejection(
    db, tmp_path, exiftool
):
    folder = tmp_path / "shoot"
    exiftool(jpeg(folder / "a-nets.jpg", colour=(10, 20, 30)), *IIM_TAGS)
    exiftool(jpeg(folder / "day2" / "b-carp.jpg", colour=(40, 50, 60)), *XMP_TAGS)
    (folder / "c-notes.jpg").write_text("<html><body>not a photo</body></html>")
    shutil.copy(folder / "a-nets.jpg", folder / "day2" / "a-again.jpg")

    out, error = command(folder)

    lines = out.splitlines()
    nets = Photo.objects.get(headline="Nets at dawn")
    carp = Photo.objects.get(headline="Christmas carp")
    assert lines[0].startswith(f"[1/4] {folder / 'a-nets.jpg'}: read creator Inês Duarte")
    assert "keywords fishing, Portugal, pescadores açorianos" in lines[0]
    assert lines[0].endswith(f"imported as photo {nets.pk}")
    assert lines[1] == (
        f"[2/4] {folder / 'c-notes.jpg'}: rejected: "
        "c-notes.jpg is an HTML page, not a JPEG, PNG, WebP, AVIF or GIF image."
    )
    assert lines[2].startswith(f"[3/4] {folder / 'day2' / 'a-again.jpg'}: read creator")
    assert lines[2].endswith(f"duplicate of photo {nets.pk}, not imported again")
    assert lines[3].startswith(f"[4/4] {folder / 'day2' / 'b-carp.jpg'}: read creator Zoë")
    assert lines[3].endswith(f"imported as photo {carp.pk}")
    assert lines[4] == "Imported 2 photos, 1 duplicate, 1 rejected."
    assert error is not None and "1 file was rejected" in str(error)
    assert Photo.objects.count() == 2


def test_it_reports_a_gps_position_and_succeeds_when_nothing_is_rejected(db, tmp_path, exiftool):
    tram = exiftool(jpeg(tmp_path / "tram.jpg"), *EXIF_TAGS)
    plain = jpeg(tmp_path / "plain.jpg", colour=(0, 0, 0))

    out, error = command(tram, plain, tram)

    lines = out.splitlines()
    assert error is None
    assert "a GPS position" in lines[0]
    assert lines[1].startswith(f"[2/3] {plain}: no metadata; imported as photo")
    assert "duplicate of photo" in lines[2]
    assert lines[3] == "Imported 2 photos, 1 duplicate, 0 rejected."


def test_it_reports_a_path_that_does_not_exist_as_rejected(db, tmp_path):
    good = jpeg(tmp_path / "good.jpg")

    out, error = command(tmp_path / "missing.jpg", good)

    assert "[1/2]" in out and "missing.jpg: rejected: No such file or directory" in out
    assert "Imported 1 photo, 0 duplicates, 1 rejected." in out
    assert error is not None
    assert Photo.objects.count() == 1
