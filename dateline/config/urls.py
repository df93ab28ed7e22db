from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.urls import include, path, re_path
from django.views.static import serve as serve_file
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from dateline.api.api import api
from dateline.api.api import not_found as api_not_found
from dateline.editions.views import choose_edition, serve_page
from dateline.fronts import views as fronts
from dateline.live import views as live
from dateline.search.views import search
from dateline.subscriptions import urls as subscription_urls
from dateline.syndication import views as syndication
from dateline.syndication.feeds import AuthorFeed, EditionFeed, SectionFeed, TagFeed, atom

# An edition is addressed by its language code; a section slug never starts with a digit, so
# section fronts (/en/world/) and date archives (/en/2026/…, served by Wagtail) do not collide.
EDITION = r"(?P<lang>[a-z]{2})"
SLUG = r"(?P<%s>[^\W\d_][\w-]*)"


def renditions_root() -> Path:
    """The folder of the public copies of photos (Wagtail's renditions), symlinks resolved."""
    return (Path(settings.MEDIA_ROOT) / "images").resolve()


def public_media_path(path: str) -> str:
    """Return ``path`` (as asked for under /media/images/, already percent-decoded once) when
    it names a file inside the renditions folder, relative to it; raise Http404 otherwise.

    Judged on the path the file system would open: normalised and with every symlink resolved,
    so that "..", doubled slashes, a second layer of percent-encoding, backslashes, NUL bytes,
    absolute paths and links placed in the folder that point out of it all end in a 404.
    """
    if not path or any(c in path for c in ("\\", "\x00", "%")) or path.startswith("/"):
        raise Http404
    if any(part in ("", ".", "..") for part in path.split("/")):
        raise Http404
    root = renditions_root()
    try:
        target = (root / path).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        raise Http404 from None
    if not target.is_relative_to(root) or target == root or not target.is_file():
        raise Http404
    return target.relative_to(root).as_posix()


edition_patterns = [
    re_path(rf"^{EDITION}/$", fronts.home_front, name="home_front"),
    re_path(rf"^{EDITION}/search/$", search, name="search"),
    re_path(rf"^{EDITION}/archive/$", fronts.archive, name="archive"),
    re_path(rf"^{EDITION}/", include(subscription_urls)),
    re_path(rf"^{EDITION}/corrections/$", fronts.corrections, name="corrections"),
    re_path(rf"^{EDITION}/feed/$", EditionFeed(), name="edition_feed"),
    re_path(rf"^{EDITION}/newsfeed\.json$", live.newsfeed_json, name="newsfeed_json"),
    re_path(rf"^{EDITION}/feed/atom/$", atom(EditionFeed), name="edition_atom"),
    re_path(rf"^{EDITION}/sitemaps/pages\.xml$", syndication.pages_sitemap, name="pages_sitemap"),
    re_path(rf"^{EDITION}/sitemaps/news\.xml$", syndication.news_sitemap, name="news_sitemap"),
    re_path(rf"^{EDITION}/sitemaps/tags-(?P<n>[0-9]+)\.xml$", syndication.tags_sitemap),
    re_path(
        rf"^{EDITION}/sitemaps/stories-(?P<year>[0-9]{{4}})-(?P<month>[0-9]{{2}})(?:-(?P<n>[0-9]+))?\.xml$",
        syndication.stories_sitemap,
    ),
    re_path(rf"^{EDITION}/tags/{SLUG % 'tag_slug'}/$", fronts.tag_page, name="tag"),
    re_path(rf"^{EDITION}/tags/{SLUG % 'tag_slug'}/feed/$", TagFeed(), name="tag_feed"),
    re_path(rf"^{EDITION}/tags/{SLUG % 'tag_slug'}/feed/atom/$", atom(TagFeed)),
    re_path(rf"^{EDITION}/people/{SLUG % 'person_slug'}/$", fronts.person_page, name="person"),
    re_path(rf"^{EDITION}/people/{SLUG % 'person_slug'}/feed/$", AuthorFeed(), name="author_feed"),
    re_path(rf"^{EDITION}/people/{SLUG % 'person_slug'}/feed/atom/$", atom(AuthorFeed)),
    re_path(rf"^{EDITION}/chats/", include("dateline.chats.urls")),
    re_path(rf"^{EDITION}/{SLUG % 'section_slug'}/feed/$", SectionFeed(), name="section_feed"),
    re_path(rf"^{EDITION}/{SLUG % 'section_slug'}/feed/atom/$", atom(SectionFeed)),
    re_path(rf"^{EDITION}/{SLUG % 'section_slug'}/$", fronts.section_front, name="section"),
]

urlpatterns = [
    path("", choose_edition, name="choose_edition"),
    path("robots.txt", syndication.robots_txt, name="robots_txt"),
    path("sitemap.xml", syndication.sitemap_index, name="sitemap_index"),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("dateline.accounts.urls")),
    path("discussion/", include("dateline.discussion.urls")),
    path("subscriptions/", include(subscription_urls.reader_urlpatterns)),
    path("api/", api.urls),
    re_path(r"^api/", api_not_found),
    path("events/", live.events, name="events"),
    path("mediabank/", include("dateline.mediabank.urls")),
    path("reads/<int:story_id>/", fronts.record_read, name="record_read"),
    *edition_patterns,
]

if settings.SERVE_MEDIA:
    # The embedded tier serves the public copies of photos itself (production lets nginx do it,
    # SERVE_MEDIA=0). Original files stay private: they carry the full metadata, GPS included,
    # and belong to stories that may not be published yet.
    def serve_public_media(request, path):
        return serve_file(request, public_media_path(path), document_root=renditions_root())

    urlpatterns.append(re_path(r"^media/images/(?P<path>.*)$", serve_public_media))

# Wagtail's pages of an edition are routed from the edition the request already has.
urlpatterns.append(re_path(r"^(?P<path>[a-z]{2}/(?:[\w\-]+/)*)$", serve_page))
urlpatterns.append(path("", include(wagtail_urls)))
