import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from conftest import shared_path
from dateline.syndication import sitemaps

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
SITE = "http://127.0.0.1:8000"
EXTENSIONS = Path(__file__).parent / "xsd"


def schema(name: str) -> etree.XMLSchema:
    """Return the sitemaps.org schema ``name`` from ../shared, with the extension schemas
    that its strict wildcard needs for news, image and hreflang elements."""
    imports = [
        (NS["s"], shared_path("standards", "sitemap", "sitemaps.org-xsd", name)),
        (NS["news"], EXTENSIONS / "news.xsd"),
        (NS["image"], EXTENSIONS / "image.xsd"),
        (NS["xhtml"], EXTENSIONS / "xhtml.xsd"),
    ]
    body = "".join(
        f'<xsd:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>' for ns, path in imports
    )
    wrapper = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{body}</xsd:schema>'
    return etree.XMLSchema(etree.fromstring(wrapper))


def fetch(client, url, xsd="sitemap.xsd"):
    response = client.get(url.removeprefix(SITE))
    assert response.status_code == 200, (url, response.status_code)
    assert response.headers["Content-Type"].startswith("application/xml")
    tree = etree.fromstring(response.content)
    validator = schema(xsd)
    assert validator.validate(tree), (url, validator.error_log)
    return tree


def locs(tree):
    return tree.xpath("//s:loc/text()", namespaces=NS)


def ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


def test_robots_txt_points_to_the_sitemap_index(client, edition):
    response = client.get("/robots.txt")
    assert response.headers["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {SITE}/sitemap.xml" in response.content.decode().splitlines()


def test_the_index_lists_valid_sitemaps_for_pages_tags_news_and_each_month(client, make_story):
    make_story("Fresh Story", tags=["Floods"])
    old = make_story("Old Story", published_at=timezone.now() - dt.timedelta(days=70))
    index = fetch(client, "/sitemap.xml", xsd="siteindex.xsd")
    listed = locs(index)
    month = old.published_at.astimezone(edition_tz(old)).strftime("%Y-%m")
    for expected in ["pages.xml", "news.xml", "tags-1.xml", f"stories-{month}.xml"]:
        assert f"{SITE}/en/sitemaps/{expected}" in listed
    everything = set()
    for url in listed:
        everything |= set(locs(fetch(client, url)))
    assert {f"{SITE}/en/", f"{SITE}/en/world/", f"{SITE}/en/tags/floods/"} <= everything
    assert {SITE + old.url} <= everything


def edition_tz(story):
    return story.edition.tzinfo


def test_a_month_sitemap_lists_its_stories_with_date_and_existing_photo(client, make_story):
    story = make_story("Harbour Reopens")
    client.get(story.url)  # a reader's visit makes the photo's public copy
    month = story.published_at.astimezone(edition_tz(story)).strftime("%Y-%m")
    tree = fetch(client, f"/en/sitemaps/stories-{month}.xml")
    [url] = tree.xpath("//s:url", namespaces=NS)
    assert url.findtext("s:loc", namespaces=NS) == SITE + story.url
    assert url.findtext("s:lastmod", namespaces=NS).startswith(str(story.published_at.year))
    [image] = url.xpath("image:image/image:loc/text()", namespaces=NS)
    assert client.get(image.removeprefix(SITE)).status_code == 200


def test_a_big_month_is_split_into_several_sitemaps(client, make_story, monkeypatch):
    monkeypatch.setattr(sitemaps, "STORIES_PER_SITEMAP", 2)
    stories = [make_story(f"Story {n}", published_at=ago(n + 1)) for n in range(3)]
    month = stories[0].published_at.astimezone(edition_tz(stories[0])).strftime("%Y-%m")
    listed = locs(fetch(client, "/sitemap.xml", xsd="siteindex.xsd"))
    assert f"{SITE}/en/sitemaps/stories-{month}-2.xml" in listed
    assert f"{SITE}/en/sitemaps/stories-{month}-3.xml" not in listed
    first = locs(fetch(client, f"/en/sitemaps/stories-{month}.xml"))
    second = locs(fetch(client, f"/en/sitemaps/stories-{month}-2.xml"))
    assert len(first) == 2 and len(second) == 1
    assert set(first + second) == {SITE + s.url for s in stories}
    assert client.get(f"/en/sitemaps/stories-{month}-3.xml").status_code == 404


def test_the_news_sitemap_follows_google_rules(client, make_story):
    make_story("Breaking Now", published_at=ago(1))
    make_story("Yesterday's News", published_at=ago(30))
    make_story("Last Week", published_at=ago(24 * 7))
    tree = fetch(client, "/en/sitemaps/news.xml")
    titles = tree.xpath("//news:title/text()", namespaces=NS)
    assert titles == ["Breaking Now", "Yesterday's News"]
    [first, _second] = tree.xpath("//s:url", namespaces=NS)
    assert first.xpath("news:news/news:publication/news:name/text()", namespaces=NS) == [
        "The Test Times"
    ]
    assert first.xpath("news:news/news:publication/news:language/text()", namespaces=NS) == ["en"]
    published = first.xpath("news:news/news:publication_date/text()", namespaces=NS)[0]
    assert timezone.now() - dt.datetime.fromisoformat(published) < dt.timedelta(hours=2)
    assert first.xpath("image:image/image:loc/text()", namespaces=NS)


def test_the_news_sitemap_holds_at_most_its_limit_newest_first(client, make_story, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_MAX_ENTRIES", 2)
    for n in range(3):
        make_story(f"Story {n}", published_at=ago(n + 1), photo=False)
    titles = fetch(client, "/en/sitemaps/news.xml").xpath("//news:title/text()", namespaces=NS)
    assert titles == ["Story 0", "Story 1"]


def test_without_recent_stories_the_index_does_not_list_the_news_sitemap(client, make_story):
    make_story("Last Week", published_at=ago(24 * 7))
    assert f"{SITE}/en/sitemaps/news.xml" not in locs(
        fetch(client, "/sitemap.xml", xsd="siteindex.xsd")
    )


def test_scheduled_and_draft_stories_are_in_no_sitemap(client, make_story):
    make_story("Visible Story", tags=["Visible"])
    make_story(
        "Scheduled Story", tags=["Secret"], published_at=timezone.now() + dt.timedelta(hours=2)
    )
    make_story("Draft Story", tags=["Draft"], publish=False)
    bodies = []
    for url in locs(fetch(client, "/sitemap.xml", xsd="siteindex.xsd")):
        bodies.append(client.get(url.removeprefix(SITE)).content.decode())
    text = "".join(bodies)
    assert "visible-story" in text
    assert "scheduled-story" not in text and "draft-story" not in text
    assert "/tags/secret/" not in text and "/tags/draft/" not in text


def test_several_editions_name_each_other_as_hreflang_alternates(client, edition, make_story):
    from dateline.articles.actions import file_story, publish_story
    from dateline.articles.models import ArticlePage
    from dateline.editions.actions import create_edition
    from dateline.sections.models import Section

    russian = create_edition("ru", site_name="Тестовые новости", agency="Тествайр")
    mir = Section.objects.create(edition=russian, slug="mir", name="Мир")
    english = make_story("Ferry Returns", photo=False)
    translation = ArticlePage(
        title="Паром вернулся",
        slug="parom",
        locale_id=russian.locale_id,
        translation_key=english.translation_key,
        primary_section=mir,
        live=False,
    )
    file_story(russian, english.published_at).add_child(instance=translation)
    translation = publish_story(translation, at=english.published_at)

    pages = fetch(client, "/en/sitemaps/pages.xml")
    [home] = pages.xpath(f"//s:url[s:loc='{SITE}/en/']", namespaces=NS)
    alternates = {
        link.get("hreflang"): link.get("href") for link in home.xpath("xhtml:link", namespaces=NS)
    }
    assert alternates == {"en": f"{SITE}/en/", "ru": f"{SITE}/ru/"}

    news = fetch(client, "/ru/sitemaps/news.xml")
    [url] = news.xpath("//s:url", namespaces=NS)
    alternates = {
        link.get("hreflang"): link.get("href") for link in url.xpath("xhtml:link", namespaces=NS)
    }
    assert alternates == {"en": SITE + english.url, "ru": SITE + translation.url}
    assert url.xpath("news:news/news:publication/news:language/text()", namespaces=NS) == ["ru"]


def test_a_month_sitemap_takes_the_same_queries_for_few_and_many_stories(
    client, make_story, django_assert_max_num_queries
):
    story = make_story("One", published_at=ago(1))
    month = story.published_at.astimezone(edition_tz(story)).strftime("%Y-%m")
    url = f"/en/sitemaps/stories-{month}.xml"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        make_story(f"More {n}", published_at=ago(n + 2))
    with django_assert_max_num_queries(len(few)):
        assert len(locs(fetch(client, url))) == 5


@pytest.mark.parametrize(
    "url",
    ["/en/sitemaps/stories-1999-01.xml", "/en/sitemaps/tags-9.xml", "/xx/sitemaps/pages.xml"],
)
def test_sitemaps_that_do_not_exist_answer_404(client, edition, url):
    assert client.get(url).status_code == 404
