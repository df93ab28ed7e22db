"""Ingest: the `ingest` command, deduplication, versions and grouping of copies."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import shared_path
from dateline.wire.ingest import store_items
from dateline.wire.models import WireItem
from dateline.wire.parsers import parse

pytestmark = pytest.mark.django_db


def _ninjs(
    version="1",
    headline="Harbour reopens",
    body="<p>Ferries sail again today.</p>",
    uri="urn:example:harbour",
):
    return json.dumps(
        {"uri": uri, "version": version, "headline": headline, "body_html": body}
    ).encode()


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_prints_one_json_line_per_item_and_one_error_per_failed_input(tmp_path):
    good = tmp_path / "good.json"
    good.write_bytes(_ninjs())
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<newsItem guid='x'><itemMeta>")
    package = shared_path(
        "samples", "newsmlg2", "examples", "LISTING_6_Simple_NewsML-G2_Package.xml"
    )
    out, err = _run(str(good), str(bad), str(package), str(tmp_path / "missing.json"), "--dry-run")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line.get("headline") for line in lines] == [
        "Harbour reopens",
        None,
        "UK",
        "Obama annonce son équipe",
        "Barack Obama arrive à Washington",
        None,
    ]
    assert "not well-formed" in lines[1]["error"] and lines[1]["input"] == str(bad)
    assert "cannot be read" in lines[5]["error"]
    assert "[2/4]" in err
    assert WireItem.objects.count() == 0


def test_it_stores_items_once_and_prints_a_summary(tmp_path):
    path = tmp_path / "item.json"
    path.write_bytes(_ninjs())
    _run(str(path))
    _out, err = _run(str(path))
    assert WireItem.objects.count() == 1
    assert "0 new, 0 updated, 1 already known" in err
    item = WireItem.objects.get()
    assert item.original_id == "urn:example:harbour"
    assert item.origin == str(path)
    assert item.raw.startswith("{")


def test_a_newer_version_updates_the_item_and_keeps_the_history():
    store_items(parse(_ninjs(version="1")))
    store_items(parse(_ninjs(version="2", headline="Harbour reopens fully")))
    store_items(parse(_ninjs(version="1")))  # an older version arriving late changes nothing
    item = WireItem.objects.get()
    assert item.headline == "Harbour reopens fully" and item.version == "2"
    assert item.revision == 2
    [old] = item.history.all()
    assert old.version == "1" and old.headline == "Harbour reopens"


def test_near_identical_copies_from_two_sources_are_grouped(edition):
    from dateline.wire.models import WireSource

    body = "<p>" + "The ferry service to the islands resumed at dawn after the storm. " * 3 + "</p>"
    first_source = WireSource.objects.create(
        name="A", kind="ninjs", url="https://a.example/", edition=edition
    )
    second_source = WireSource.objects.create(
        name="B", kind="ninjs", url="https://b.example/", edition=edition
    )
    other = "<p>Parliament voted on the budget today after a long debate over taxes.</p>"
    first = store_items(parse(_ninjs(body=body, uri="a:1")), source=first_source).created[0]
    copy = store_items(
        parse(_ninjs(body=body.replace("dawn", "dawn on Monday"), uri="b:7")), source=second_source
    ).created[0]
    unrelated = store_items(
        parse(_ninjs(headline="Budget passes", body=other, uri="b:8")), source=second_source
    ).created[0]
    assert copy.duplicate_of == first
    assert unrelated.duplicate_of is None
    assert first.duplicate_of is None


def test_an_unknown_input_fails_the_command():
    with pytest.raises(CommandError, match="no input could be ingested"):
        _run("/nonexistent/file.xml")
