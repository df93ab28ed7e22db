import re

import feedparser
import pytest

LINK = re.compile(
    r'<link rel="alternate" type="application/(rss|atom)\+xml" title="([^"]*)" href="([^"]*)">'
)


def alternates(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    head = html[: html.index("</head>")]
    return [(kind, title, href) for kind, title, href in LINK.findall(head)]


@pytest.mark.parametrize(
    ("page", "feed", "title"),
    [
        ("/en/", None, None),
        ("/en/asia/", "/en/asia/feed/", "Asia — The Test Times"),
        ("/en/tags/ferries/", "/en/tags/ferries/feed/", "Ferries — The Test Times"),
        ("/en/people/aiko-sato/", "/en/people/aiko-sato/feed/", "Aiko Sato — The Test Times"),
        ("story", "/en/asia/feed/", "Asia — The Test Times"),
    ],
)
def test_pages_name_their_feeds_in_rss_and_atom(client, make_story, page, feed, title):
    story = make_story("Ferry Resumes", section="asia", tags=["Ferries"], bylines=["Aiko Sato"])
    links = alternates(client, story.url if page == "story" else page)
    expected = [
        ("rss", "The Test Times", "/en/feed/"),
        ("atom", "The Test Times", "/en/feed/atom/"),
    ]
    if feed:
        expected += [("rss", title, feed), ("atom", title, feed + "atom/")]
    assert set(expected) <= set(links)
    assert {href for _k, _t, href in links} == {href for _k, _t, href in expected}
    for _kind, _title, href in links:
        parsed = feedparser.parse(client.get(href).content)
        assert not parsed.bozo and parsed.entries[0].title == "Ferry Resumes", href
