import datetime as dt
import json

import pytest
from django.utils import timezone

from dateline.syndication.tests.exports import ninjs_errors

BODY = [
    {"type": "paragraph", "value": "<p>The ferry left at <b>dawn</b>.</p>"},
    {"type": "quote", "value": {"text": "We are back.", "attribution": "The captain"}},
]


def get_ninjs(client, story, suffix=".ninjs.json"):
    response = client.get(f"/api/stories/{story.pk}{suffix}")
    assert response.status_code == 200, response.content
    assert response.headers["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def story_with_everything(make_story, make_photo):
    from dateline.articles.models import Correction

    body_photo = make_photo(caption="The quay at noon", photographer="Li Wei", agency="")
    story = make_story(
        "Ferry Service Resumes",
        standfirst="Crossings restart after a storm.",
        section="asia",
        further_sections=["business"],
        tags=["Ferries", "Weather"],
        bylines=["Aiko Sato", "Tom Reed"],
        place=("Tokyo", "JP"),
        body=[*BODY, {"type": "image", "value": {"photo": body_photo.pk, "caption": ""}}],
    )
    story.corrections.add(
        Correction(kind="correction", text="An earlier version gave the wrong day.")
    )
    story.save_revision().publish()
    return story


@pytest.mark.parametrize(("suffix", "version"), [(".ninjs.json", "2.2"), (".ninjs3.json", "3.1")])
def test_a_story_with_photos_corrections_and_bylines_is_valid_ninjs(
    client, make_story, make_photo, suffix, version
):
    story = story_with_everything(make_story, make_photo)
    document = get_ninjs(client, story, suffix)
    assert ninjs_errors(document, version) == []
    assert document["standard"]["version"] == version
    assert document["headlines"] == [{"role": "main", "value": "Ferry Service Resumes"}]
    assert document["by"] == "Aiko Sato, Tom Reed"
    assert document["located"] == "Tokyo"
    assert "<b>dawn</b>" in document["bodies"][0]["value"]
    assert "<blockquote>" in document["bodies"][0]["value"]
    assert {s["name"] for s in document["subjects"]} == {"Asia", "Business", "Ferries", "Weather"}
    notes = document["ednote" if version == "2.2" else "edNote"]
    assert "An earlier version gave the wrong day." in notes
    lead, body_photo = document["associations"]
    assert lead["name"] == "featureimage" and lead["type"] == "picture"
    assert lead["by"] == "Ines Duarte"
    assert lead["copyrightholder" if version == "2.2" else "copyrightHolder"] == "Testwire"
    assert lead["copyrightnotice" if version == "2.2" else "copyrightNotice"] == "© 2026 Testwire"
    assert body_photo["descriptions"][0] == {"role": "caption", "value": "The quay at noon"}
    web = next(r for r in lead["renditions"] if r["name"] == "web")
    assert client.get(web["href"].removeprefix("http://127.0.0.1:8000")).status_code == 200
    dt.datetime.fromisoformat(document["firstcreated" if version == "2.2" else "firstCreated"])


@pytest.mark.parametrize(("suffix", "version"), [(".ninjs.json", "2.2"), (".ninjs3.json", "3.1")])
def test_a_plain_story_without_photo_is_valid_ninjs(client, make_story, suffix, version):
    document = get_ninjs(client, make_story("Words Only", photo=False), suffix)
    assert ninjs_errors(document, version) == []
    assert "associations" not in document


def test_the_validator_rejects_a_broken_document(client, make_story):
    document = get_ninjs(client, make_story("Anything", photo=False))
    document["pubstatus"] = "maybe"
    del document["uri"]
    assert len(ninjs_errors(document, "2.2")) == 2


def test_a_photo_is_valid_ninjs_with_its_credit(client, make_story):
    story = make_story("Harbour")
    document = json.loads(client.get(f"/api/photos/{story.lead_photo_id}.ninjs.json").content)
    assert ninjs_errors(document, "2.2") == []
    assert document["type"] == "picture" and document["by"] == "Ines Duarte"


def test_scheduled_stories_have_no_ninjs(client, make_story):
    story = make_story("Later", published_at=timezone.now() + dt.timedelta(hours=1))
    assert client.get(f"/api/stories/{story.pk}.ninjs.json").status_code == 404
    assert client.get(f"/api/stories/{story.pk}.ninjs3.json").status_code == 404
