"""Linked translations: the newsroom's "Translate into …" action, the language switcher, "Also in"
and the hreflang links a reader's page carries."""

import re

import pytest
from django.contrib.auth import get_user_model

from dateline.articles.actions import publish_story
from dateline.articles.models import ArticlePage
from dateline.articles.translations import TranslationRefused, translate_story
from dateline.editions.actions import create_edition
from dateline.sections.models import Section

SITE = "http://testserver"


@pytest.fixture
def russian(edition):
    russian = create_edition(
        "ru", site_name="Тестовые новости", agency="Тестваир", time_zone="Europe/Moscow"
    )
    Section.objects.create(edition=russian, slug="world", name="Мир", sort_order=0)
    Section.objects.create(edition=russian, slug="nauka", name="Наука", sort_order=1)
    return russian


@pytest.fixture
def arabic(edition):
    arabic = create_edition(
        "ar", site_name="أخبار الاختبار", agency="وكالة", time_zone="Asia/Dubai"
    )
    Section.objects.create(edition=arabic, slug="world", name="العالم", sort_order=0)
    return arabic


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("chief", "chief@example.com", "pw")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def switcher(html: str) -> dict[str, str]:
    """Return {language code: href} of the switcher's links (the current edition has none)."""
    nav = re.search(r'<nav class="edition-switcher".*?</nav>', html, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="\w+"', nav)
    return {code: href for href, code in links}


def alternates(html: str) -> dict[str, str]:
    links = re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', html)
    return dict(links)


def test_it_starts_a_draft_translation_in_the_other_edition(russian, make_story, editor):
    story = make_story(
        "Ferry Returns",
        section="science",
        further_sections=["world"],
        tags=["ferries"],
        bylines=["Ines Duarte"],
    )
    copy = translate_story(story, russian, user=editor)

    assert copy.translation_key == story.translation_key
    assert copy.locale_id == russian.locale_id and copy.edition_id == russian.pk
    assert not copy.live and copy.published_at is None
    # Filed in the Russian edition's date bucket for today, under its own address.
    assert copy.get_parent().get_parent().get_parent().get_parent().pk == russian.pk
    assert copy.url is None or copy.url.startswith("/ru/")
    # "science" has no Russian section of that slug: the edition's first section; "world" is kept.
    assert copy.primary_section.name == "Мир"
    assert list(copy.further_sections.all()) == []
    assert [b.person.name for b in copy.bylines.all()] == ["Ines Duarte"]
    assert copy.lead_photo_id == story.lead_photo_id
    assert story.get_translations().get().pk == copy.pk
    # The original is untouched.
    story.refresh_from_db()
    assert story.live and story.locale.language_code == "en"


def test_cards_to_stories_without_a_translation_are_left_out(russian, make_story, editor):
    other = make_story("Harbour Opens")
    story = make_story(
        "Ferry Returns",
        body=[
            {"type": "paragraph", "value": "<p>Text.</p>"},
            {"type": "related", "value": {"story": other.pk}},
        ],
    )
    copy = translate_story(story, russian, user=editor)
    assert [b.block_type for b in copy.body] == ["paragraph"]

    translated_other = translate_story(other, russian, user=editor)
    story2 = make_story(
        "Ferry Leaves",
        body=[{"type": "related", "value": {"story": other.pk}}],
    )
    copy2 = translate_story(story2, russian, user=editor)
    assert [b.value["story"].pk for b in copy2.body] == [translated_other.pk]


def test_a_second_translation_into_the_same_edition_is_refused(russian, make_story, editor):
    story = make_story("Ferry Returns")
    first = translate_story(story, russian, user=editor)
    count = ArticlePage.objects.count()
    with pytest.raises(TranslationRefused, match="already has a translation in the Русский"):
        translate_story(story, russian, user=editor)
    # Nor from the translation back into its own edition.
    with pytest.raises(TranslationRefused):
        translate_story(first, russian, user=editor)
    assert ArticlePage.objects.count() == count


def test_the_admin_action_opens_the_editor_and_refuses_a_second_copy(
    client, russian, make_story, editor
):
    story = make_story("Ferry Returns")
    client.force_login(editor)
    edit = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert "Translate into Русский" in edit
    url = f"/admin/stories/{story.pk}/translate/ru/"
    assert "Start the Русский translation" in client.get(url).content.decode()

    response = client.post(url)
    copy = ArticlePage.objects.get(locale=russian.locale)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{copy.pk}/edit/"
    assert copy.translation_key == story.translation_key

    again = client.post(url, follow=True)
    assert ArticlePage.objects.filter(locale=russian.locale).count() == 1
    text = again.content.decode()
    assert "already has a translation in the Русский edition" in text
    # Once translated, the button is gone.
    edit = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert "Translate into Русский" not in edit


def test_a_reporter_without_rights_in_the_other_edition_cannot_translate(
    client, russian, make_story
):
    story = make_story("Ferry Returns")
    reader = get_user_model().objects.create_user("reader", "r@example.com", "pw")
    client.force_login(reader)
    response = client.post(f"/admin/stories/{story.pk}/translate/ru/")
    assert response.status_code in (302, 403)
    assert not ArticlePage.objects.filter(locale=russian.locale).exists()


def test_the_switcher_goes_to_the_translation_once_it_is_published(
    client, russian, arabic, make_story, editor
):
    story = make_story("Ferry Returns")
    copy = translate_story(story, russian, user=editor)

    # A draft translation is no place to send readers: the switcher offers home fronts.
    html = client.get(story.url).content.decode()
    assert switcher(html) == {"ru": "/ru/", "ar": "/ar/"}
    assert 'class="also-in"' not in html
    assert alternates(html) == {}

    copy.title = "Паром вернулся"
    copy = publish_story(copy)
    html = client.get(story.url).content.decode()
    assert switcher(html) == {"ru": copy.url, "ar": "/ar/"}
    also_in = re.search(r'<p class="also-in">.*?</p>', html, re.S).group(0)
    assert f'<a href="{copy.url}" lang="ru" hreflang="ru" rel="alternate">Русский</a>' in also_in
    assert alternates(html) == {"en": SITE + story.url, "ru": SITE + copy.url}

    russian_html = client.get(copy.url).content.decode()
    assert switcher(russian_html) == {"en": story.url, "ar": "/ar/"}
    assert alternates(russian_html) == {"en": SITE + story.url, "ru": SITE + copy.url}
    # Each language is named in itself, and says so.
    assert re.search(r'<a href="/ar/" lang="ar" hreflang="ar">العربية</a>', russian_html)


def test_home_fronts_name_each_other_as_alternates(client, russian, arabic):
    html = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert switcher(html) == {"en": "/en/", "ru": "/ru/"}
    assert alternates(html) == {
        "en": SITE + "/en/",
        "ru": SITE + "/ru/",
        "ar": SITE + "/ar/",
        "x-default": SITE + "/",
    }
    # A page with no counterpart elsewhere (a section front) carries no alternates.
    assert alternates(client.get("/ar/world/").content.decode()) == {}


def test_with_one_edition_there_is_no_switcher(client, edition):
    html = client.get("/en/").content.decode()
    assert "edition-switcher" not in html and "hreflang=" not in html


def test_the_sitemap_names_the_same_translations_as_the_page(client, russian, make_story, editor):
    story = make_story("Ferry Returns")
    copy = publish_story(translate_story(story, russian, user=editor))
    news = client.get("/en/sitemaps/news.xml").content.decode()
    assert f'hreflang="ru" href="{SITE}{copy.url}"' in news
    assert alternates(client.get(story.url).content.decode())["ru"] == SITE + copy.url


def test_publishing_a_translation_purges_the_cached_original(
    russian, make_story, editor, django_capture_on_commit_callbacks
):
    from dateline.pagecache.models import Purge

    story = make_story("Ferry Returns")
    copy = translate_story(story, russian, user=editor)
    before = max(Purge.objects.values_list("pk", flat=True), default=0)
    with django_capture_on_commit_callbacks(execute=True):
        publish_story(copy)
    keys = set()
    for purge in Purge.objects.filter(pk__gt=before):
        keys |= set(purge.keys.split())
    # The English story's page names the translation now: its cached copy must go.
    assert {f"page:{story.pk}", f"page:{copy.pk}", "edition:ru"} <= keys


def test_the_explorer_offers_each_story_the_translations_it_lacks(
    client, russian, arabic, make_story, editor
):
    translated = make_story("Ferry Returns")
    untranslated = make_story("Bridge Opens")
    client.force_login(editor)
    client.post(f"/admin/stories/{translated.pk}/translate/ru/")
    day = translated.get_parent()
    html = client.get(f"/admin/pages/{day.pk}/").content.decode()

    def row(story):
        start = html.index(f"/admin/pages/{story.pk}/edit/")
        return html[start : html.index("</tr>", start)]

    assert "Translate into Русский" in row(untranslated)
    assert "Translate into العربية" in row(untranslated)
    assert "Translate into Русский" not in row(translated)
    assert "Translate into العربية" in row(translated)
