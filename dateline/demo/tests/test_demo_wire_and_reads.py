"""A fresh demo's wire desk has items from named agencies, read through the wire's own
ingest, and its fronts have a most-read list, counted through record_read."""

from django.core.management import call_command

from dateline.fronts.models import ReadCount
from dateline.fronts.queries import MOST_READ_COUNT, section_stories
from dateline.sections.models import Section
from dateline.wire.models import WireItem, WireSource


def test_load_demo_fills_the_wire_desk_and_most_read(loaded_demo, db, client, admin_user):
    sources = {source.name: source for source in WireSource.objects.all()}
    assert {"Meridian Press", "Harbour Wire"} <= set(sources)
    items = WireItem.objects.select_related("source")
    assert {item.format for item in items} == {"feed", "ninjs", "newsml"}
    assert all(item.source_id for item in items)
    # Every item carries a language and a priority, feed items included.
    assert all(item.language and item.priority for item in items)
    assert {item.language[:2] for item in items} == {"en", "ru", "ar"}
    assert not any(source.last_error for source in sources.values())

    client.force_login(admin_user)
    desk = client.get("/admin/wire/").content.decode()
    assert "<bdi>Meridian Press</bdi>" in desk and "<bdi>Harbour Wire</bdi>" in desk
    assert "Tokyo commuter rail halts" in desk
    assert "harbour-wire" not in desk  # the source's name, never its folder

    for front in ("/en/", "/ru/", "/ar/"):
        html = client.get(front).content.decode()
        assert 'id="most-read-heading"' in html, front
        most_read = html[html.index('<ol class="most-read') :]
        most_read = most_read[: most_read.index("</ol>")]
        assert most_read.count("<li>") == MOST_READ_COUNT, front
    # A section's most read keeps room for a story a reader opens on the demo.
    read = ReadCount.objects.values_list("story", flat=True).distinct()
    for section in Section.objects.all():
        assert section_stories(section).filter(pk__in=read).count() <= 3, section.slug


def test_running_it_again_delivers_nothing_twice(loaded_demo, db):
    count = WireItem.objects.count()
    call_command("load-demo", verbosity=0)
    assert WireItem.objects.count() == count
