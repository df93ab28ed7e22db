"""Sources set up in the newsroom are polled as background tasks when due."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from dateline.wire.models import WireItem, WireSource

pytestmark = pytest.mark.django_db


def _ninjs(uri, headline):
    return json.dumps({"uri": uri, "headline": headline, "body_text": "Text."}).encode()


def test_poll_wire_reads_due_drop_folders_and_files_what_it_read(edition, drop_root):
    folder = drop_root / "drop"
    folder.mkdir()
    (folder / "a.json").write_bytes(_ninjs("urn:a", "From the drop folder"))
    (folder / "b.json").write_bytes(b"{broken")
    due = WireSource.objects.create(name="Drop", kind="ninjs", folder=str(folder), edition=edition)
    later = WireSource.objects.create(
        name="Later",
        kind="ninjs",
        folder=str(drop_root / "missing"),
        edition=edition,
        last_polled_at=timezone.now() - dt.timedelta(minutes=1),
        poll_minutes=10,
    )
    call_command("poll-wire", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    due.refresh_from_db()
    later.refresh_from_db()
    assert list(WireItem.objects.values_list("headline", flat=True)) == ["From the drop folder"]
    assert WireItem.objects.get().source == due
    assert "b.json: not valid JSON" in due.last_error
    assert (folder / "done" / "a.json").exists() and (folder / "failed" / "b.json").exists()
    assert later.last_error == ""  # not due: not polled
    assert later.last_polled_at < due.last_polled_at


def test_a_switched_off_source_is_not_polled(edition, drop_root):
    (drop_root / "off").mkdir()
    WireSource.objects.create(name="Off", kind="ninjs", folder="off", edition=edition, active=False)
    (drop_root / "off" / "a.json").write_bytes(_ninjs("urn:a", "Never read"))
    call_command("poll-wire", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert WireItem.objects.count() == 0
