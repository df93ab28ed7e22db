import datetime as dt

from django.utils import timezone
from lxml import etree

from dateline.syndication.tests.exports import newsml_errors
from dateline.syndication.tests.test_ninjs import story_with_everything

NS = {"n": "http://iptc.org/std/nar/2006-10-01/", "h": "http://www.w3.org/1999/xhtml"}


def get_newsml(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.headers["Content-Type"].startswith("application/vnd.iptc.g2.newsitem+xml")
    return response.content


def test_a_story_with_photos_corrections_and_bylines_is_a_valid_news_item(
    client, make_story, make_photo
):
    story = story_with_everything(make_story, make_photo)
    document = get_newsml(client, f"/api/stories/{story.pk}.newsml.xml")
    assert newsml_errors(document) == []
    item = etree.fromstring(document)
    assert item.get("standardversion") == "2.35"
    assert item.xpath("n:contentMeta/n:headline/text()", namespaces=NS) == ["Ferry Service Resumes"]
    assert item.xpath("n:contentMeta/n:creator/n:name/text()", namespaces=NS) == [
        "Aiko Sato",
        "Tom Reed",
    ]
    assert item.xpath("n:contentMeta/n:located/n:name/text()", namespaces=NS) == ["Tokyo"]
    assert "An earlier version gave the wrong day." in item.xpath(
        "string(n:itemMeta/n:edNote)", namespaces=NS
    )
    body = item.xpath("n:contentSet/n:inlineXML/h:html/h:body", namespaces=NS)[0]
    assert body.xpath("string(h:p/h:b)", namespaces=NS) == "dawn"
    photos = item.xpath("n:itemMeta/n:link[@rel='irel:associatedWith']", namespaces=NS)
    assert len(photos) == 2
    lead = photos[0]
    assert lead.xpath("n:itemClass/@qcode", namespaces=NS) == ["ninat:picture"]
    assert lead.xpath("n:rightsInfo/n:copyrightNotice/text()", namespaces=NS) == ["© 2026 Testwire"]
    # The linked picture item is itself valid and carries the renditions and the credit.
    picture = get_newsml(client, lead.get("href").removeprefix("http://127.0.0.1:8000"))
    assert newsml_errors(picture) == []
    picture_item = etree.fromstring(picture)
    assert picture_item.xpath("n:contentMeta/n:creditline/text()", namespaces=NS) == [
        "© Testwire / Ines Duarte"
    ]
    hrefs = picture_item.xpath("n:contentSet/n:remoteContent/@href", namespaces=NS)
    assert hrefs and all(h.endswith(".jpg") for h in hrefs)


def test_a_plain_story_without_photo_is_a_valid_news_item(client, make_story):
    story = make_story("Words Only", photo=False)
    document = get_newsml(client, f"/api/stories/{story.pk}.newsml.xml")
    assert newsml_errors(document) == []
    assert b"irel:associatedWith" not in document


def test_the_validator_rejects_a_broken_item(client, make_story):
    story = make_story("Words Only", photo=False)
    item = etree.fromstring(get_newsml(client, f"/api/stories/{story.pk}.newsml.xml"))
    meta = item.find("n:itemMeta", namespaces=NS)
    meta.remove(meta.find("n:itemClass", namespaces=NS))
    assert newsml_errors(etree.tostring(item))


def test_scheduled_stories_have_no_news_item(client, make_story):
    story = make_story("Later", published_at=timezone.now() + dt.timedelta(hours=1))
    assert client.get(f"/api/stories/{story.pk}.newsml.xml").status_code == 404
