"""The main public pages make a fixed number of SQL queries, however much they show.

Each test builds a small and a larger version of what a page lists (stories with photos, tags,
bylines, further sections; an article with 2 and with 6 related cards, photos and tags) and
holds both to the same exact count: a query per card, tag, photo or byline (an N+1) fails here,
and so does any new query on these pages, which should then be a deliberate change of the
number below.

The count is taken after a first view (which makes photo renditions) and with the cache
emptied, so that neither a page cache nor a cached lookup hides the queries of a render.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

pytestmark = pytest.mark.django_db

HOME_FRONT = 15
SECTION_FRONT = 15  # page 1 is laid out from the page of stories it shows: no second query
TAG_PAGE = 13
AUTHOR_PAGE = 13
ARTICLE = 20
ARCHIVE = 11
DATE_ARCHIVE = 18
SEARCH = 18
FEED = 9
STORY_SITEMAP = 7
SITEMAP_INDEX = 5


@pytest.fixture
def assert_queries(client, django_assert_num_queries):
    def check(url: str, expected: int) -> None:
        assert client.get(url).status_code == 200  # renditions are made on first view
        cache.clear()
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert response.status_code == 200

    return check


@pytest.fixture
def newsroom(make_story, make_photo):
    """Return a function that adds ``n`` stories of every kind, spread over two sections, each
    with a lead photo from a pool of three, two or three tags, one or two bylines and, for
    every other story, a further section."""
    photos = [make_photo(caption=f"Pool photo {n}") for n in range(3)]
    kinds = ["news", "feature", "analysis", "opinion", "offbeat"]
    made = []

    def add(n: int) -> list:
        for _ in range(n):
            i = len(made)
            made.append(
                make_story(
                    f"Harbour story number {i}",
                    section=("world", "asia")[i % 2],
                    further_sections=("europe",) if i % 2 else (),
                    kind=kinds[i % len(kinds)],
                    standfirst=f"What happened at the harbour, part {i}.",
                    published_at=timezone.now() - dt.timedelta(hours=i + 1),
                    photo=photos[i % 3],
                    tags=["harbour", f"topic {i % 4}"] + (["ports"] if i % 3 == 0 else []),
                    bylines=["Ada Reporter"] + (["Ben Writer"] if i % 2 else []),
                )
            )
        return made

    return add


def test_it_renders_the_home_front_in_a_fixed_number_of_queries(
    newsroom, make_story, assert_queries
):
    newsroom(8)
    assert_queries("/en/", HOME_FRONT)
    newsroom(17)
    assert_queries("/en/", HOME_FRONT)
    make_story("The top story", top=True, published_at=timezone.now() - dt.timedelta(hours=30))
    assert_queries("/en/", HOME_FRONT)  # led by a top story rather than by the newest


def test_it_renders_a_section_front_in_a_fixed_number_of_queries(newsroom, assert_queries):
    newsroom(8)
    assert_queries("/en/world/", SECTION_FRONT)
    assert_queries("/en/europe/", SECTION_FRONT)  # stories there by further section
    newsroom(17)
    assert_queries("/en/world/", SECTION_FRONT)
    assert_queries("/en/europe/", SECTION_FRONT)


def test_it_renders_a_tag_page_in_a_fixed_number_of_queries(newsroom, assert_queries):
    newsroom(8)
    assert_queries("/en/tags/harbour/", TAG_PAGE)
    newsroom(15)
    assert_queries("/en/tags/harbour/", TAG_PAGE)


def test_it_renders_an_author_page_in_a_fixed_number_of_queries(newsroom, assert_queries):
    newsroom(8)
    assert_queries("/en/people/ada-reporter/", AUTHOR_PAGE)
    newsroom(15)
    assert_queries("/en/people/ada-reporter/", AUTHOR_PAGE)


def test_it_renders_the_archives_in_a_fixed_number_of_queries(newsroom, assert_queries):
    stories = newsroom(8)
    month = timezone.localtime(stories[0].published_at, stories[0].edition.tzinfo)
    month_url = f"/en/{month.year}/{month.month:02d}/"
    assert_queries("/en/archive/", ARCHIVE)
    assert_queries(month_url, DATE_ARCHIVE)
    newsroom(15)
    assert_queries("/en/archive/", ARCHIVE)
    assert_queries(month_url, DATE_ARCHIVE)


def test_it_answers_a_search_in_a_fixed_number_of_queries(newsroom, assert_queries):
    newsroom(8)
    assert_queries("/en/search/?q=harbour", SEARCH)
    newsroom(15)
    assert_queries("/en/search/?q=harbour", SEARCH)


def test_it_serves_a_feed_in_a_fixed_number_of_queries(newsroom, assert_queries):
    newsroom(8)
    assert_queries("/en/feed/", FEED)
    newsroom(15)
    assert_queries("/en/feed/", FEED)


def test_it_serves_a_story_sitemap_in_a_fixed_number_of_queries(newsroom, assert_queries):
    stories = newsroom(8)
    month = timezone.localtime(stories[0].published_at, stories[0].edition.tzinfo)
    url = f"/en/sitemaps/stories-{month.year}-{month.month:02d}.xml"
    assert_queries(url, STORY_SITEMAP)
    newsroom(15)
    assert_queries(url, STORY_SITEMAP)


def test_the_sitemap_index_takes_as_many_queries_for_many_months_as_for_one(
    make_story, assert_queries
):
    make_story("This month's story", published_at=timezone.now() - dt.timedelta(hours=2))
    assert_queries("/sitemap.xml", SITEMAP_INDEX)
    for n in range(1, 7):
        make_story(
            f"Story of {n} months ago", published_at=timezone.now() - dt.timedelta(days=31 * n)
        )
    assert_queries("/sitemap.xml", SITEMAP_INDEX)


def test_an_article_takes_as_many_queries_with_six_cards_photos_and_tags_as_with_two(
    make_story, make_photo, assert_queries
):
    targets = [
        make_story(f"Card story {n}", photo=make_photo(caption=f"Card photo {n}")) for n in range(6)
    ]
    inline = [make_photo(caption=f"Inline photo {n}") for n in range(6)]

    def story_with(n: int):
        body = [{"type": "paragraph", "value": "<p>Intro.</p>"}]
        for i in range(n):
            body += [
                {"type": "related", "value": {"story": targets[i].pk}},
                {"type": "image", "value": {"photo": inline[i].pk, "caption": ""}},
                {"type": "paragraph", "value": f"<p>Paragraph {i}.</p>"},
            ]
        body.append({"type": "read_more", "value": {"story": targets[0].pk, "label": ""}})
        return make_story(
            f"Story with {n} of everything",
            body=body,
            tags=[f"tag {i}" for i in range(n)],
            bylines=[f"Writer {i}" for i in range(n)],
            further_sections=("asia", "europe", "business", "science", "offbeat")[: n - 1],
        )

    few, many = story_with(2), story_with(6)
    assert_queries(few.url, ARTICLE)
    assert_queries(many.url, ARTICLE)
