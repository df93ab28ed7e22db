"""An editor's newsroom shows the pages of the editions they hold rights on, and the pages above
them, never another edition's: in the page search and in the explorer."""

import pytest

from dateline.articles.generate import generate_archive
from dateline.articles.models import ArticlePage
from dateline.editions.actions import create_edition
from dateline.newsroom.roles import EDITORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_edition(staff):
    """A Russian edition made after the newsroom's roles were set up: the English edition's
    editors hold no right on it."""
    russian = create_edition(
        "ru", site_name="Вестник", agency="Агентство", time_zone="Europe/Moscow"
    )
    generate_archive(russian, 3, years=1)
    return russian


def test_an_editor_finds_only_their_editions_stories(client, staff, make_story, other_edition):
    theirs = ArticlePage.objects.filter(edition=other_edition).first()
    word = theirs.title.split()[0]
    make_story(f"{word.capitalize()} in the English edition")
    client.force_login(staff[EDITORS])

    html = client.get("/admin/pages/search/", {"q": word}).content.decode()

    assert f"{word.capitalize()} in the English edition" in html
    assert theirs.title not in html


def test_an_editor_explores_their_edition_and_no_other(
    client, staff, edition, make_story, other_edition
):
    story = make_story("Harbour reopens")
    day, month, year = story.get_ancestors().filter(depth__gt=2).reverse()[:3]
    client.force_login(staff[EDITORS])

    years = client.get(f"/admin/pages/{edition.pk}/").content.decode()
    stories = client.get(f"/admin/pages/{day.pk}/").content.decode()

    assert year.title in years and "Harbour reopens" in stories
    assert client.get(f"/admin/pages/{other_edition.pk}/").status_code in (302, 403, 404)
