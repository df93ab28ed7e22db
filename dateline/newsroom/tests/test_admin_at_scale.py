"""The newsroom's admin pages stay fast however many stories the archive holds.

Two checks, each on a small and a larger set of stories:

- the dashboard and the explorer of the tree (an edition, a year, a month, a day bucket) make
  an exact number of SQL queries, the same with more stories (a query per story, an N+1, fails
  here; so does any new query, which should then be a deliberate change of the number below);
- none of their queries reads every story: on SQLite, the plan of each query (EXPLAIN QUERY
  PLAN) has no SCAN of the page tree or of the stories table (``plans.py``). Without ANALYZE
  statistics SQLite's planner picks its plans from the schema and the query alone, so the
  plans found here are those of an archive of a million stories.

Measured at scale in docs/performance.md ("Scale of content").
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dateline.articles.actions import publish_story, withdraw_story
from dateline.articles.models import ArchivePage, ArticlePage
from dateline.newsroom.roles import EDITORS
from dateline.newsroom.tests.plans import scans_in

pytestmark = pytest.mark.django_db

DASHBOARD = {"superuser": 19, EDITORS: 22}
EXPLORER_OF_A_MONTH = 33
EXPLORER_OF_A_DAY = 33


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.com", "pw")


@pytest.fixture
def users(superuser, staff):
    return {"superuser": superuser, EDITORS: staff[EDITORS]}


@pytest.fixture
def archive(make_story):
    """Return a function that adds ``n`` stories to the desk's every list (published today,
    earlier, embargoed, coming down, withdrawn) and to today's and older date buckets."""
    made = []

    def add(n: int) -> list[ArticlePage]:
        now = timezone.now()
        for _ in range(n):
            i = len(made)
            kind = i % 5
            if kind == 0:  # under embargo
                story = make_story(f"Embargoed story {i}", publish=False)
                story.embargo_until = now + dt.timedelta(hours=i + 1)
                story = publish_story(story)
            else:
                story = make_story(
                    f"Desk story {i}",
                    # Today's day bucket, and a day of last month.
                    published_at=now - dt.timedelta(minutes=i + 1)
                    if kind in (1, 2)
                    else now - dt.timedelta(days=35, minutes=i),
                )
                if kind == 2:
                    ArticlePage.objects.filter(pk=story.pk).update(
                        expire_at=now + dt.timedelta(hours=i + 1)
                    )
                elif kind == 3:
                    withdraw_story(story)
            made.append(story)
        return made

    return add


def get(client, url):
    """Return the captured queries of ``url``'s second view, with the cache emptied."""
    assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return queries.captured_queries


def buckets(story):
    """Return the day, month and year buckets and the edition of ``story``."""
    return [page.specific for page in story.get_ancestors().filter(depth__gte=2).reverse()]


@pytest.mark.parametrize("who", ["superuser", EDITORS])
def test_the_dashboard_makes_as_many_queries_with_more_stories(client, users, archive, who):
    client.force_login(users[who])
    archive(5)
    assert len(get(client, "/admin/")) == DASHBOARD[who]
    archive(15)
    html = client.get("/admin/").content.decode()
    assert "Desk story 16" in html and "Embargoed story 15" in html  # the desk lists them
    assert len(get(client, "/admin/")) == DASHBOARD[who]


def test_the_explorer_of_a_month_makes_as_many_queries_with_more_days(
    client, superuser, make_story
):
    client.force_login(superuser)
    first = (timezone.now() - dt.timedelta(days=60)).replace(day=1, hour=12)

    def stories_on_days(days):
        return [
            make_story(f"Day {d} story", published_at=first + dt.timedelta(days=d)) for d in days
        ]

    month = buckets(stories_on_days([0, 1])[0])[1]
    url = f"/admin/pages/{month.pk}/"
    assert len(get(client, url)) == EXPLORER_OF_A_MONTH
    stories_on_days([2, 3, 5, 8, 13, 21])
    assert ArchivePage.objects.child_of(month).count() == 8
    assert len(get(client, url)) == EXPLORER_OF_A_MONTH


def test_the_explorer_of_a_day_makes_as_many_queries_with_more_stories(client, superuser, archive):
    client.force_login(superuser)
    stories = archive(2)
    day = buckets(stories[-1])[0]
    url = f"/admin/pages/{day.pk}/"
    assert len(get(client, url)) == EXPLORER_OF_A_DAY
    archive(8)
    assert ArticlePage.objects.child_of(day).count() > 2
    assert len(get(client, url)) == EXPLORER_OF_A_DAY


def admin_urls(stories) -> dict[str, list[str]]:
    day, month, year, edition = buckets(stories[-1])
    return {
        "dashboard": ["/admin/"],
        "edition": [f"/admin/pages/{edition.pk}/"],
        "explorer": [
            *(f"/admin/pages/{page.pk}/" for page in (year, month, day)),
            f"/admin/pages/{day.pk}/?ordering=-latest_revision_created_at",
            f"/admin/pages/{day.pk}/?ordering=title",
        ],
        "editor": [f"/admin/pages/{stories[-1].pk}/edit/"],
        "chooser": [
            "/admin/choose-page/",
            *(f"/admin/choose-page/{page.pk}/" for page in (edition, day)),
        ],
    }


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's plans")


@sqlite_only
@pytest.mark.parametrize("who", ["superuser", EDITORS])
@pytest.mark.parametrize("pages", ["dashboard", "edition", "explorer", "editor", "chooser"])
def test_no_query_of_the_main_admin_pages_reads_every_story(client, users, archive, who, pages):
    client.force_login(users[who])
    urls = admin_urls(archive(10))[pages]
    scans = {url: scans_in(get(client, url)) for url in urls}
    assert scans == dict.fromkeys(urls, {})


def vm_steps(client, url) -> int:
    """Return how many instructions SQLite's virtual machine ran for ``url``'s second view:
    the work of its queries, rows read included."""
    assert client.get(url).status_code == 200
    cache.clear()
    connection.ensure_connection()
    steps = 0

    def count():
        nonlocal steps
        steps += 1
        return 0

    connection.connection.set_progress_handler(count, 1)
    try:
        assert client.get(url).status_code == 200
    finally:
        connection.connection.set_progress_handler(None, 1)
    return steps


@sqlite_only
@pytest.mark.parametrize("pages", ["dashboard", "edition", "explorer", "editor", "chooser"])
def test_more_stories_elsewhere_in_the_archive_add_no_work_to_the_main_admin_pages(
    client, superuser, archive, make_story, pages, request
):
    """A query that reads every story does more work with more stories, whatever its plan
    says: SQLite's virtual machine runs at least an instruction per row it reads. 30 more
    stories in a day of last year must not add as many to the pages' work."""
    client.force_login(superuser)
    long_ago = timezone.now() - dt.timedelta(days=400)
    make_story("Long ago", published_at=long_ago)
    urls = admin_urls(archive(10))[pages]
    before = {url: vm_steps(client, url) for url in urls}
    for i in range(30):
        make_story(f"Also long ago {i}", published_at=long_ago + dt.timedelta(minutes=i + 1))
    more_work = {url: vm_steps(client, url) - before[url] for url in urls}
    assert {url: work for url, work in more_work.items() if work >= 10} == {}
