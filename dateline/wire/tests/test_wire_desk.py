"""The wire desk in the newsroom: the list, an item, a draft in one click."""

import json

import pytest
from django.contrib.auth.models import User

from dateline.articles.models import ArticlePage
from dateline.wire.ingest import store_items
from dateline.wire.models import WireSource
from dateline.wire.parsers import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, edition):
    user = User.objects.create_superuser("desk", "desk@example.org", "pw")
    client.force_login(user)
    return client


def _item(source=None, **fields):
    data = {
        "uri": fields.pop("uri", "urn:wire:1"),
        "version": "1",
        "headline": "Harbour reopens",
        "language": "en",
        "urgency": 3,
        "by": "Ana Lobo",
        "located": "Porto Alto",
        "body_html": "<p>Ferries <b>sail</b> again.</p><blockquote>We waited.</blockquote>",
        "infosources": [{"name": "Herald Wire"}],
        **fields,
    }
    return store_items(parse(json.dumps(data).encode()), source=source).created[0]


def test_the_desk_lists_items_newest_first_with_filters(editor_client, edition):
    source = WireSource.objects.create(
        name="Herald", kind="ninjs", url="https://h.example/", edition=edition
    )
    _item(source, uri="a", headline="First in")
    _item(uri="b", headline="Second in", language="de", urgency=7)
    page = editor_client.get("/admin/wire/").content.decode()
    assert page.index("Second in") < page.index("First in")
    only_source = editor_client.get(f"/admin/wire/?source={source.pk}").content.decode()
    assert "First in" in only_source and "Second in" not in only_source
    urgent = editor_client.get("/admin/wire/?priority=3").content.decode()
    assert "First in" in urgent and "Second in" not in urgent
    german = editor_client.get("/admin/wire/?language=de").content.decode()
    assert "Second in" in german and "First in" not in german
    text = editor_client.get("/admin/wire/?q=second").content.decode()
    assert "Second in" in text and "First in" not in text


def test_the_desk_is_closed_to_readers(client, edition):
    User.objects.create_user("reader", password="pw")
    client.login(username="reader", password="pw")
    assert client.get("/admin/wire/").status_code in (302, 403)


def test_an_item_shows_its_original_and_provenance(editor_client):
    item = _item()
    page = editor_client.get(f"/admin/wire/items/{item.pk}/").content.decode()
    assert "urn:wire:1" in page
    assert "&quot;headline&quot;: &quot;Harbour reopens&quot;" in page  # the original, escaped
    assert "Create draft" in page


def test_create_draft_makes_a_draft_with_provenance_and_marks_the_item_used(editor_client, edition):
    item = _item()
    response = editor_client.post(f"/admin/wire/items/{item.pk}/draft/", {"edition": edition.pk})
    story = ArticlePage.objects.get()
    assert response.status_code == 302 and response.url == f"/admin/pages/{story.pk}/edit/"
    assert not story.live
    assert story.title == "Harbour reopens"
    assert story.dateline_place.name == "Porto Alto" and story.dateline_agency == "Herald Wire"
    assert [b.person.name for b in story.bylines.all()] == ["Ana Lobo"]
    assert [block.block_type for block in story.body] == ["paragraph", "quote"]
    assert story.body[0].value.source == "<p>Ferries <b>sail</b> again.</p>"
    item.refresh_from_db()
    assert item.used_in_id == story.pk
    listing = editor_client.get("/admin/wire/").content.decode()
    assert "wire-item--used" in listing
    history = editor_client.get(f"/admin/pages/{story.pk}/history/").content.decode()
    assert "Draft made from wire item" in history and "urn:wire:1" in history
    # The story's header links back to the wire item.
    assert (
        editor_client.get(f"/admin/wire/from-story/{story.pk}/").url
        == f"/admin/wire/items/{item.pk}/"
    )
