"""The NewsArticle JSON-LD, checked against the schema.org vocabulary in ../shared."""

import json
import re

from tests.schemaorg import problems


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_the_validator_rejects_what_schema_org_does_not_define():
    assert problems({"@type": "NewsArticle", "headline": "x", "flavour": "y"})
    assert problems({"@type": "NewsArticle", "image": {"@type": "ImageObject", "dateline": "z"}})
    assert problems({"@type": "Newspiece"})


def test_a_story_carries_a_valid_news_article(client, make_story, make_photo):
    from dateline.articles.models import Correction

    photo = make_photo(
        caption="Harbour cranes",
        photographer="Kwame Asante",
        agency="Testwire",
        copyright_notice="© 2026 Testwire",
    )
    story = make_story(
        "Port Expansion Approved",
        section="world",
        further_sections=["business"],
        standfirst="The port will double.",
        place=("Mombasa", "KE"),
        bylines=["Daniel Mensah", "Amara Okafor"],
        photo=photo,
        tags=["trade", "ports"],
    )
    story.corrections.add(Correction(kind="correction", text="Fixed the port's capacity."))
    story.save_revision().publish()
    data = json_ld(client.get(story.url).content.decode())
    assert problems(data) == []
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Port Expansion Approved"
    assert data["dateline"] == "MOMBASA (Testwire)"
    assert data["articleSection"] == ["World", "Business"]
    assert [a["name"] for a in data["author"]] == ["Daniel Mensah", "Amara Okafor"]
    assert data["datePublished"] and data["dateModified"] >= data["datePublished"]
    image = data["image"]
    assert image["@type"] == "ImageObject"
    assert image["caption"] == "Harbour cranes"
    assert image["creditText"] == "Testwire / Kwame Asante"
    assert image["copyrightNotice"] == "© 2026 Testwire"
    assert image["url"].endswith(f"/mediabank/photos/{photo.pk}/")
    assert data["correction"][0]["text"] == "Fixed the port's capacity."


def test_text_in_json_ld_cannot_close_the_script(client, make_story):
    story = make_story("Headline </script><script>alert(1)</script>")
    html = client.get(story.url).content.decode()
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)["headline"].startswith("Headline </script>")
