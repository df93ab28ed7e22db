from django.contrib.auth import get_user_model

from dateline.articles.models import ArticlePage
from dateline.chats.models import ChatRoom
from dateline.demo.content import EDITIONS, TRANSLATIONS
from dateline.editions.translations import translations_of
from dateline.live.models import LiveCoveragePage


def test_the_demo_has_three_editions_each_with_its_own_stories_coverage_and_room(
    loaded_demo, db, client
):
    for demo in EDITIONS:
        stories = ArticlePage.objects.visible().filter(edition__slug=demo.code)
        assert stories.count() >= 12, demo.code
        assert set(stories.values_list("kind", flat=True)) == {
            "news",
            "feature",
            "analysis",
            "opinion",
            "offbeat",
        }
        assert {s.edition.time_zone for s in stories[:1]} == {demo.time_zone}
        assert LiveCoveragePage.objects.live().filter(edition__slug=demo.code).count() == 1
        assert ChatRoom.objects.filter(edition__slug=demo.code, slug="general").exists()
        html = client.get(f"/{demo.code}/").content.decode()
        assert demo.site_name in html and demo.sections[1][1] in html

    for (code, slug), original in TRANSLATIONS.items():
        story = ArticlePage.objects.get(edition__slug=code, slug=slug)
        english = ArticlePage.objects.get(edition__slug="en", slug=original)
        assert translations_of(story) == translations_of(english)
        assert set(translations_of(story)) >= {"en", code}
    # The live coverage of the three editions is one group, too.
    coverage = LiveCoveragePage.objects.get(edition__slug="ru")
    assert set(translations_of(coverage)) == {"en", "ru", "ar"}


def test_the_newsroom_may_work_in_every_edition(loaded_demo, db, client):
    client.force_login(get_user_model().objects.get(username="editor"))
    for demo in EDITIONS:
        story = ArticlePage.objects.filter(edition__slug=demo.code).first()
        response = client.get(f"/admin/pages/{story.pk}/edit/")
        assert response.status_code == 200, demo.code
        assert 'id="id_embargo_until"' in response.content.decode()
