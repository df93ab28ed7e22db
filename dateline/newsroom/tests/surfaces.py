"""Every public surface a story can appear on, for the tests of embargo, expiry and withdrawal.

A surface that another app adds later (sitemaps, Atom feeds, the newsfeed's JSON) is checked as
soon as its address resolves to a view of its own, so these tests grow with the site."""

from django.urls import Resolver404, resolve
from wagtail.views import serve as wagtail_serve

from dateline.articles.models import ArticlePage


def story_for_surfaces(make_story, make_photo, headline, **fields):
    """Make a story that every surface could show: a unique headline, a tag, a byline, a
    further section and a lead photo with a unique caption."""
    return make_story(
        headline,
        section="world",
        further_sections=["science"],
        tags=["surfacetag"],
        bylines=["Surface Writer"],
        standfirst="Zanzibarian standfirst words.",
        photo=make_photo(caption=f"Caption of {headline}", photographer="Surface Snapper"),
        **fields,
    )


def _resolves_to_a_view(path: str) -> bool:
    try:
        return resolve(path.split("?")[0]).func is not wagtail_serve
    except Resolver404:
        return False


def public_surfaces(story: ArticlePage) -> list[str]:
    """Return the addresses of the lists, feeds and searches that could show ``story``."""
    edition = story.edition.slug
    # The date archives the story is filed in (Wagtail pages): year, month, day.
    day = story.get_parent().specific
    archives = [bucket.url for bucket in (*day.get_ancestors()[2:], day)]
    surfaces = [
        f"/{edition}/",
        f"/{edition}/world/",
        f"/{edition}/science/",
        f"/{edition}/archive/",
        f"/{edition}/corrections/",
        f"/{edition}/tags/surfacetag/",
        f"/{edition}/people/surface-writer/",
        f"/{edition}/search/?q={story.title.split()[0]}",
        f"/{edition}/search/?q=zanzibarian",
        f"/{edition}/feed/",
        f"/{edition}/world/feed/",
        f"/{edition}/science/feed/",
        "/mediabank/",
        "/mediabank/?q=caption",
        "/mediabank/photographers/surface-snapper/",
        *archives,
    ]
    # Surfaces that exist once their app does.
    optional = [
        f"/{edition}/feed/atom/",
        f"/{edition}/world/feed/atom/",
        f"/{edition}/tags/surfacetag/feed/",
        f"/{edition}/people/surface-writer/feed/",
        f"/{edition}/newsfeed.json",
        f"/{edition}/sitemaps/news.xml",
        f"/{edition}/sitemaps/stories-{day.year}-{day.month:02d}.xml",
        f"/api/stories?edition={edition}",
        "/api/stories?q=zanzibarian",
        f"/api/editions/{edition}/newsfeed",
    ]
    return surfaces + [path for path in optional if _resolves_to_a_view(path)]


def surfaces_showing(client, story: ArticlePage) -> list[str]:
    """Return the public surfaces that show ``story``: its headline (which the lead photo's
    caption repeats) or its address. Every surface must answer 200, except the photographer's,
    the tag's and the writer's pages (and their feeds), which are not found while none of
    their photos or stories is public."""
    story = ArticlePage.objects.get(pk=story.pk)
    needles = [story.title, story.url]
    showing = []
    for path in public_surfaces(story):
        response = client.get(path)
        if response.status_code == 404 and _absent_until_public(path):
            continue
        assert response.status_code == 200, (path, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if any(needle in body.decode() for needle in needles):
            showing.append(path)
    return showing


def story_addresses(client, story: ArticlePage) -> dict[str, int]:
    """Return the status code of each address of the story itself (its page, and its API
    representations where they exist) and of its lead photo (page and API), by address."""
    story = ArticlePage.objects.get(pk=story.pk)
    paths = [story.url, f"/mediabank/photos/{story.lead_photo_id}/"]
    paths += [
        path
        for path in (
            f"/api/stories/{story.pk}",
            f"/api/stories/{story.pk}.ninjs.json",
            f"/api/stories/{story.pk}.newsml.xml",
            f"/api/photos/{story.lead_photo_id}",
        )
        if _resolves_to_a_view(path)
    ]
    return {path: client.get(path).status_code for path in paths}


def answer(client, story: ArticlePage, status: int) -> bool:
    """Whether every address of the story and its photo answers ``status``."""
    statuses = story_addresses(client, story)
    assert set(statuses.values()) == {status}, statuses
    return True


def _absent_until_public(path: str) -> bool:
    return path.startswith("/mediabank/photographers/") or any(
        part in path for part in ("/tags/surfacetag/", "/people/surface-writer/")
    )
