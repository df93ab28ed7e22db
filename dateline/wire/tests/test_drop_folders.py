"""Drop folders live under WIRE_DROP_ROOT, are reached without symbolic links, and only wire
material is read from them: nothing else is moved, stored or shown."""

import io
import os
import sqlite3

import pytest
from django.core.management import call_command
from django.urls import reverse

from dateline.wire.ingest import ingest_source
from dateline.wire.models import WireItem, WireSource

pytestmark = pytest.mark.django_db

NINJS = b'{"uri": "urn:drop:1", "headline": "Ferries sail again", "body_text": "They do."}'


def _poll() -> str:
    out = io.StringIO()
    call_command("poll-wire", "--once", stdout=out)
    return out.getvalue()


def _add_form(client, edition, folder):
    return client.post(
        reverse("wagtailsnippets_wire_wiresource:add"),
        {
            "name": "Agency",
            "kind": "ninjs",
            "url": "",
            "folder": folder,
            "edition": edition.pk,
            "poll_minutes": 5,
            "active": "on",
        },
    )


@pytest.fixture
def var_dir(tmp_path):
    """A var folder as the site keeps it: a database and a secret key beside the uploads."""
    var = tmp_path / "var"
    var.mkdir()
    sqlite3.connect(var / "dateline.sqlite3").execute("create table t (x)").connection.commit()
    (var / "secret-key").write_text("Zq0mXz7-3hTfP1vGsY8bWcJkLu2nRe5aQd9oHi6tV4yMxF_gNp")
    return var


@pytest.mark.parametrize(
    "folder",
    ["{var}", "{root}/../var", "../var", "/etc", "{root}", "", "agency/../../var", "{root}/link"],
)
def test_the_admin_form_refuses_a_folder_outside_the_root_naming_the_root(
    client, admin_user, edition, drop_root, var_dir, folder
):
    (drop_root / "link").symlink_to(var_dir)
    client.force_login(admin_user)
    response = _add_form(client, edition, folder.format(var=var_dir, root=drop_root))
    assert response.status_code == 200  # the form again, with the error
    page = response.content.decode()
    assert str(drop_root) in page or "Give either an address or a drop folder" in page
    assert not WireSource.objects.exists()


def test_the_admin_form_refuses_a_folder_that_passes_through_a_link(
    client, admin_user, edition, drop_root, tmp_path
):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "inbox").mkdir(parents=True)
    (drop_root / "agency").symlink_to(elsewhere)
    client.force_login(admin_user)
    page = _add_form(client, edition, "agency/inbox").content.decode()
    assert "symbolic link" in page
    assert not WireSource.objects.exists()


def test_the_admin_form_takes_a_subfolder_of_the_root(client, admin_user, edition, drop_root):
    client.force_login(admin_user)
    _add_form(client, edition, "agencies/harbour")
    _add_form(client, edition, str(drop_root / "agencies" / "meridian"))
    assert set(WireSource.objects.values_list("folder", flat=True)) == {
        "agencies/harbour",
        str(drop_root / "agencies" / "meridian"),
    }


def test_a_source_that_predates_the_rule_touches_nothing(edition, var_dir):
    # Saved before drop folders were checked (or the root moved since): the poller checks too.
    source = WireSource.objects.create(
        name="Old", kind="ninjs", folder=str(var_dir), edition=edition
    )
    (var_dir / "story.json").write_bytes(NINJS)
    before = sorted(p.name for p in var_dir.iterdir())
    output = _poll()
    assert sorted(p.name for p in var_dir.iterdir()) == before  # no done/, no failed/
    source.refresh_from_db()
    assert "must be under" in source.last_error and "must be under" in output
    assert not WireItem.objects.exists()


def test_a_folder_reached_through_a_link_is_not_read(edition, drop_root, var_dir):
    (drop_root / "agency").symlink_to(var_dir)
    (var_dir / "story.json").write_bytes(NINJS)
    source = WireSource.objects.create(
        name="Linked", kind="ninjs", folder="agency", edition=edition
    )
    ingest_source(source)
    source.refresh_from_db()
    assert "symbolic link" in source.last_error
    assert (var_dir / "story.json").exists() and not (var_dir / "done").exists()
    assert not WireItem.objects.exists()


def test_files_that_are_not_wire_material_are_left_and_reported(edition, drop_root, var_dir):
    folder = drop_root / "agency"
    folder.mkdir()
    (folder / "story.json").write_bytes(NINJS)
    (folder / "story.xml").write_bytes((var_dir / "dateline.sqlite3").read_bytes())
    (folder / "notes.txt").write_text((var_dir / "secret-key").read_text())
    (folder / "photo.rss").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    (folder / "key.json").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "secret.txt").symlink_to(var_dir / "secret-key")
    source = WireSource.objects.create(
        name="Agency", kind="ninjs", folder="agency", edition=edition
    )
    output = _poll()
    source.refresh_from_db()
    assert list(WireItem.objects.values_list("headline", flat=True)) == ["Ferries sail again"]
    assert sorted(p.name for p in (folder / "done").iterdir()) == ["story.json"]
    assert not (folder / "failed").exists()
    left = {"story.xml", "notes.txt", "photo.rss", "key.json", "passwd.txt", "secret.txt"}
    assert left <= {p.name for p in folder.iterdir()}
    assert (folder / "passwd.txt").is_symlink() and (var_dir / "secret-key").exists()
    for name in left:
        assert f"{name}: left in the folder" in source.last_error
        assert f"Agency: {name}: left in the folder" in output
    # Nothing of their content is shown anywhere.
    secret = (var_dir / "secret-key").read_text()
    assert secret not in source.last_error and "root:" not in source.last_error
    assert not WireItem.objects.filter(raw__contains=secret).exists()


def test_a_wire_file_in_a_bad_format_is_still_filed_as_failed(edition, drop_root):
    folder = drop_root / "agency"
    folder.mkdir()
    (folder / "broken.json").write_bytes(b'{"uri": "urn:x", "headline": ')
    source = WireSource.objects.create(
        name="Agency", kind="ninjs", folder="agency", edition=edition
    )
    ingest_source(source)
    source.refresh_from_db()
    assert (folder / "failed" / "broken.json").exists()
    assert "broken.json: not valid JSON" in source.last_error


def test_a_folder_swapped_for_a_link_after_its_check_is_not_followed(
    edition, drop_root, var_dir, monkeypatch
):
    from dateline.wire import ingest

    (drop_root / "agency").mkdir()
    source = WireSource.objects.create(
        name="Agency", kind="ninjs", folder="agency", edition=edition
    )
    checked = ingest.resolve_drop_folder

    def check_then_swap(folder):
        path = checked(folder)  # a real folder when checked…
        path.rmdir()
        path.symlink_to(var_dir)  # …and a link to the var folder a moment later
        return path

    monkeypatch.setattr(ingest, "resolve_drop_folder", check_then_swap)
    (var_dir / "story.json").write_bytes(NINJS)
    ingest_source(source)
    source.refresh_from_db()
    assert "symbolic link" in source.last_error
    assert sorted(p.name for p in var_dir.iterdir()) == [
        "dateline.sqlite3",
        "secret-key",
        "story.json",
    ]
    assert not WireItem.objects.exists()
