"""Each parser against the shared samples and against small fixtures written here,
including each format's malformed cases."""

import json

import pytest

from conftest import shared_path
from dateline.wire.parsers import ParseError, detect_format, parse

SAMPLES = ("samples",)


def _sample(*parts):
    return shared_path(*SAMPLES, *parts).read_bytes()


# --- ninjs


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_it_reads_the_dpa_text_item_in_ninjs_2_and_3(version):
    [item] = parse(_sample("ninjs", "examples", version, "dpa_text.json"))
    assert item.format == "ninjs"
    assert item.headline == "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    assert item.original_id == "urn:newsml:dpa.com:20090101:190510-99-167362"
    assert item.version == "2"
    assert item.priority == 4
    assert item.byline == "Von Christian Hollmann, dpa"
    assert item.body_html.startswith("<p>Für Lucien Favre")
    assert item.copyright_holder == "dpa"
    assert item.language == "de"


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_it_reads_every_shared_ninjs_example(version):
    folder = shared_path(*SAMPLES, "ninjs", "examples", version)
    for path in sorted(folder.glob("*.json")):
        [item] = parse(path.read_bytes())
        assert item.headline, path.name
        assert item.original_id, path.name


def test_it_reads_a_ninjs_picture_with_its_caption_and_credit():
    [item] = parse(_sample("ninjs", "examples", "3.0", "ap_image.json"))
    assert item.kind == "picture"
    assert item.headline == "Turkey Islamic State"
    assert item.photos and item.photos[0].credit == "ASSOCIATED PRESS"
    assert item.photos[0].caption.startswith("FILE - In this Monday")


def test_it_reads_tt_photos_as_associations():
    [item] = parse(_sample("ninjs", "examples", "2.1", "tt_text_image_2.json"))
    assert item.slugline == "militärövning"
    assert item.photos[0].photographer == "Karl Melander/TT"
    assert "Krig, konflikter och oroligheter" in item.subjects


def test_it_reads_ninjs_1_single_values():
    document = {
        "uri": "urn:example:1",
        "version": "3",
        "type": "text",
        "headline": "Harbour reopens",
        "byline": "Ana Lobo",
        "located": "Porto Alto",
        "body_html": "<p>Ferries <script>alert(1)</script>sail again.</p>",
        "subject": [{"code": "medtop:1", "name": "transport"}],
        "urgency": 2,
        "associations": {
            "featureimage": {
                "type": "picture",
                "body_text": "The terminal at dawn",
                "renditions": {"original": {"href": "https://example.org/a.jpg", "width": 800}},
            }
        },
    }
    [item] = parse(json.dumps(document).encode())
    assert item.headline == "Harbour reopens"
    assert item.byline == "Ana Lobo"
    assert item.located == "Porto Alto"
    assert item.body_html == "<p>Ferries sail again.</p>"
    assert item.subjects == ["transport"]
    assert item.priority == 2
    assert item.photos[0].url == "https://example.org/a.jpg"
    assert item.photos[0].caption == "The terminal at dawn"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b'{"uri": "x", "headline": "A"', "not valid JSON"),
        (b'{"uri": "x", "pubstatus": "usable"}', "no headline, body or description"),
        (b"[1, 2]", "must be a JSON object"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_it_refuses_malformed_ninjs_with_the_reason(data, reason):
    with pytest.raises(ParseError, match=reason):
        parse(data, format="ninjs")


# --- NewsML-G2


def test_it_reads_a_newsml_text_item_with_its_nitf_body():
    [item] = parse(_sample("newsmlg2", "examples", "LISTING_2_NewsML-G2_Text_Document.xml"))
    assert item.format == "newsml"
    assert item.original_id == "urn:newsml:acmenews.com:20161121:US-FINANCE-FED"
    assert item.version == "11"
    assert item.headline == 'Fed to halt QE to avert "bubble"'
    assert item.slugline == "US-Finance-Fed"
    assert item.byline == "Meredith Jameson"
    assert item.located == "New York, NY"
    assert item.agency == "Associated Press"
    assert "central bank" in item.subjects
    assert item.body_html.startswith("<p>(New York, NY - October 21) Et, sent luptat")
    assert item.body_html.count("<p>") == 2
    assert item.copyright_holder == "Acme News and Media LLC"
    assert item.language == "en-US"


def test_it_reads_a_newsml_news_item_with_rights_and_located_country():
    [item] = parse(_sample("newsmlg2", "examples", "LISTING_1_A_NewsML-G2_News_Item.xml"))
    assert item.located == "Berlin, Germany"
    assert item.usage_terms == "Not for use outside the United States"
    assert item.version_created.isoformat() == "2018-10-21T16:25:32-05:00"


def test_it_reads_a_newsml_photo_with_its_renditions_and_credits():
    [item] = parse(_sample("newsmlg2", "examples", "LISTING_3_Photo_in_NewsML-G2.xml"))
    assert item.kind == "picture"
    assert item.headline.startswith("Variety Of Recessionary Forces")
    [photo] = item.photos
    assert photo.width == 1500 and photo.url == "./GYI0062134533.jpg"
    assert photo.credit == "Getty Images"
    assert photo.photographer == "Spencer Platt"
    assert photo.caption.startswith("A general view of part of downtown")


def test_it_reads_a_newsml_package_and_the_items_it_references():
    items = parse(_sample("newsmlg2", "examples", "LISTING_6_Simple_NewsML-G2_Package.xml"))
    package, text, picture = items
    assert package.kind == "composite" and package.headline == "UK"
    assert "Obama annonce son équipe" in package.body_html
    assert text.original_id == "urn:newsml:iptc.org:20081007:tutorial-item-A"
    assert text.headline == "Obama annonce son équipe"
    assert picture.kind == "picture"


def test_it_reads_the_dateline_and_located_of_a_content_meta_fragment():
    fragment = _sample(
        "newsmlg2", "examples", "LISTING_28_Illustrating_Located_Subject_and_Dateline.xml"
    )
    wrapped = (
        b'<newsItem guid="urn:test:1" version="1"><itemMeta><itemClass qcode="ninat:text"/>'
        b"</itemMeta>" + fragment + b"<contentSet><inlineXML><html><body><p>Text.</p></body>"
        b"</html></inlineXML></contentSet></newsItem>"
    )
    with pytest.raises(ParseError, match="root element is <contentMeta>"):
        parse(fragment, format="newsml")
    [item] = parse(wrapped, format="newsml")
    assert item.dateline == "MOSCOW, Monday (Reuters)"
    assert item.located == "Moscow, Russia"
    assert item.body_html == "<p>Text.</p>"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"<newsItem guid='x'><itemMeta>", "not well-formed"),
        (b"<rss><channel/></rss>", "not a NewsML-G2 item"),
        (b"<newsItem guid='x'/>", "neither itemMeta nor contentMeta"),
        (b"<newsMessage><itemSet/></newsMessage>", "holds no items"),
    ],
)
def test_it_refuses_malformed_newsml_with_the_reason(data, reason):
    with pytest.raises(ParseError, match=reason):
        parse(data, format="newsml")


# --- Feeds


def test_it_reads_every_well_formed_shared_feed():
    folder = shared_path(*SAMPLES, "feeds", "feedparser", "tests", "wellformed")
    for path in sorted(folder.rglob("*.xml")):
        parse(path.read_bytes(), format="feed")  # no error


def test_it_reads_feed_categories_as_subjects():
    data = _sample(
        "feeds", "feedparser", "tests", "wellformed", "rss", "item_category_multiple.xml"
    )
    # The entry has categories only: no title or body, so no item.
    assert parse(data, format="feed") == []
    fixture = data.replace(b"<item>", b"<item><title>Storm</title><guid>g1</guid>")
    [item] = parse(fixture, format="feed")
    assert item.subjects == ["Example category 1", "Example category 2"]


def test_it_reads_the_shared_encodings():
    folder = shared_path(*SAMPLES, "feeds", "feedparser", "tests", "encoding")
    for path in sorted(folder.glob("*.xml")):
        parse(path.read_bytes(), format="feed")


def test_it_sanitises_feed_html():
    folder = shared_path(*SAMPLES, "feeds", "feedparser", "tests", "wellformed", "sanitize")
    for path in folder.glob("*.xml"):
        for item in parse(path.read_bytes(), format="feed"):
            assert "<script" not in item.body_html and "onclick" not in item.body_html


@pytest.mark.parametrize(
    "data",
    [
        b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Herald</title>
        <item><title>Ferry resumes</title><link>https://example.org/ferry</link>
        <guid>ferry-1</guid><description>&lt;p&gt;Crossings resume.&lt;/p&gt;</description>
        <category>transport</category><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate>
        </item></channel></rss>""",
        b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Herald</title>
        <entry><id>ferry-1</id><title>Ferry resumes</title>
        <link href="https://example.org/ferry"/><updated>2026-03-02T08:00:00Z</updated>
        <content type="html">&lt;p&gt;Crossings resume.&lt;/p&gt;</content>
        <category term="transport"/></entry></feed>""",
        b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>Herald</title></channel>
        <item rdf:about="ferry-1"><title>Ferry resumes</title><link>https://example.org/ferry</link>
        <description>&lt;p&gt;Crossings resume.&lt;/p&gt;</description></item></rdf:RDF>""",
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "Herald",
                "items": [
                    {
                        "id": "ferry-1",
                        "url": "https://example.org/ferry",
                        "title": "Ferry resumes",
                        "content_html": "<p>Crossings resume.</p>",
                        "tags": ["transport"],
                    }
                ],
            }
        ).encode(),
    ],
    ids=["rss2", "atom", "rss1", "jsonfeed"],
)
def test_it_reads_each_feed_kind(data):
    assert detect_format(data) == "feed"
    [item] = parse(data)
    assert item.headline == "Ferry resumes"
    assert item.url == "https://example.org/ferry"
    assert item.body_html == "<p>Crossings resume.</p>"
    assert item.agency == "Herald"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"<html><body>no feed</body></html>", "not a feed"),
        (b'{"version": "1", "items": []}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": 3}', "no 'items' list"),
    ],
)
def test_it_refuses_what_is_not_a_feed(data, reason):
    with pytest.raises(ParseError, match=reason):
        parse(data, format="feed")


def test_it_still_reads_an_ill_formed_feed_as_feedparser_does():
    data = b"<rss version='2.0'><channel><item><title>A & B</title><guid>1</guid></item>"
    [item] = parse(data, format="feed")
    assert item.headline == "A & B"


# --- Pages


def test_it_reads_an_html_article_page():
    html = b"""<html><head><title>Ferry resumes - Herald</title>
    <meta property="og:site_name" content="Herald"></head><body><nav>Home World Sport</nav>
    <article><h1>Ferry resumes after storm</h1>
    <figure><img src="/f.jpg" alt="A ferry"><figcaption>The ferry leaves port.
    <span class="credit">Photo: Rui Fontes</span></figcaption></figure>
    <p>PORTO ALTO (Herald Wire) - The first crossing in eight days left at dawn, carrying
    medical supplies and 140 passengers across the strait to the islands.</p>
    <p>The harbour authority said the crossing would run twice a day from now on, weather
    permitting, and that tickets bought for the cancelled sailings would remain valid.</p>
    <p>Islanders had been without fresh supplies for most of the week, and the regional
    government had flown in medicine by helicopter on two occasions since Sunday.</p>
    <p>The harbour authority reopened the route at six in the morning after the waves fell
    below two metres, the first time in more than a week that it has done so.</p>
    <blockquote>We waited for the sea, not the timetable, said the captain.</blockquote>
    <p>READ MORE: Storm damage estimate rises again</p>
    </article><footer>Subscribe to our newsletter</footer></body></html>"""
    [item] = parse(html)
    assert item.format == "html"
    assert item.headline == "Ferry resumes after storm"
    assert item.dateline == "PORTO ALTO (Herald Wire)"
    assert item.body_html.startswith("<p>The first crossing in eight days")
    assert "Subscribe" not in item.body_html and "Home World" not in item.body_html


def test_it_reads_every_shared_article_page():
    import gzip

    folder = shared_path(*SAMPLES, "articles", "scrapinghub-aeb", "html")
    for path in sorted(folder.glob("*.html.gz"))[:10]:
        [item] = parse(gzip.decompress(path.read_bytes()), format="html")
        assert item.headline and item.body_html, path.name


def test_it_reads_page_text_and_drops_the_chrome():
    text = (
        b"Herald\nHome\nWorld\nFerry Resumes After Storm\nSubscribe\n"
        b"PORTO ALTO (Herald Wire) - The first crossing in eight days left at dawn, carrying "
        b"medical supplies and 140 passengers.\n"
        b"The harbour authority reopened the route at six after the waves fell below two metres.\n"
        b"Share\n12\nLog in\n"
    )
    [item] = parse(text, format="page-text")
    assert item.headline == "Ferry Resumes After Storm"
    assert item.dateline == "PORTO ALTO (Herald Wire)"
    assert item.body_html.count("<p>") == 2
    assert "Share" not in item.body_html and "Log in" not in item.body_html


@pytest.mark.parametrize("data", [b"", b"Home\nWorld\nShare\n", b"\xff\xfe\x00bad"])
def test_it_refuses_page_text_without_an_article(data):
    with pytest.raises(ParseError):
        parse(data, format="page-text")


def test_it_refuses_an_html_page_without_an_article():
    with pytest.raises(ParseError, match="no article body"):
        parse(b"<html><body><nav>Home</nav></body></html>", format="html")
