"""The media bank in the reader's language: captions know their language, the reader's come
first, the archive filters by it, and every caption keeps its own direction."""

import re
from types import SimpleNamespace

import pytest

from dateline.accounts.middleware import COOKIE
from dateline.mediabank.captions import photo_captions
from dateline.mediabank.models import Photo, guess_caption_language


@pytest.fixture
def editions(edition):
    """The English edition of the root conftest, and Russian and Arabic ones beside it."""
    from dateline.editions.actions import create_edition

    create_edition("ru", site_name="Тестовые новости", tagline="Новости", agency="Тестинформ")
    create_edition("ar", site_name="أخبار الاختبار", tagline="أخبار", agency="وكالة")
    return edition


def published(make_photo, make_story, caption):
    photo = make_photo(caption=caption)
    make_story(f"Story {photo.pk}", photo=photo)
    return photo


def grid_languages(html):
    return re.findall(r'class="photo-grid__caption" lang="(\w+)" dir="(\w+)"', html)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Harbour cranes at dusk", "en"),
        ("Портовые краны в сумерках, 2026", "ru"),
        ("رافعات الميناء عند الغسق (2026)", "ar"),
        ("Кран «Liebherr» в порту Новороссийска", "ru"),
        ("2026 — 14:05", ""),
    ],
)
def test_it_reads_the_caption_language_from_its_script(text, language):
    assert guess_caption_language(text) == language


def test_a_photo_keeps_the_language_the_desk_chose(make_photo):
    photo = make_photo(caption="Портовые краны")
    assert photo.language == "ru"
    photo.language = "en"
    photo.caption = "Портовые краны (подпись будет переведена)"
    photo.save()
    assert Photo.objects.get(pk=photo.pk).language == "en"


def test_the_archive_lists_the_readers_language_first(client, editions, make_photo, make_story):
    russian = published(make_photo, make_story, "Портовые краны в сумерках")
    published(make_photo, make_story, "Harbour cranes at dusk")
    arabic = published(make_photo, make_story, "رافعات الميناء عند الغسق")

    client.cookies[COOKIE] = "ru"
    html = client.get("/mediabank/").content.decode()
    assert '<html lang="ru"' in html
    assert "Тестовые новости" in html  # the Russian edition's masthead
    assert grid_languages(html) == [("ru", "ltr"), ("ar", "rtl"), ("en", "ltr")]
    assert f'href="/mediabank/photos/{russian.pk}/"' in html.split("photo-grid")[1][:400]

    client.cookies[COOKIE] = "ar"
    html = client.get("/mediabank/").content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    assert grid_languages(html)[0] == ("ar", "rtl")
    assert f'href="/mediabank/photos/{arabic.pk}/"' in html.split("photo-grid")[1][:400]


def test_the_language_filter_narrows_the_archive(client, editions, make_photo, make_story):
    published(make_photo, make_story, "Портовые краны в сумерках")
    published(make_photo, make_story, "Harbour cranes at dusk")
    published(make_photo, make_story, "رافعات الميناء عند الغسق")

    html = client.get("/mediabank/?lang=ar").content.decode()
    assert grid_languages(html) == [("ar", "rtl")]
    assert '<span aria-current="true" lang="ar">العربية</span>' in html
    assert grid_languages(client.get("/mediabank/?lang=ru&q=краны").content.decode()) == [
        ("ru", "ltr")
    ]
    assert grid_languages(client.get("/mediabank/?lang=xx").content.decode()) == []
    # The filter's links keep the other filters.
    html = client.get("/mediabank/?place=Mombasa").content.decode()
    assert 'href="/mediabank/?place=Mombasa&amp;lang=ru"' in html


def test_the_photo_page_shows_the_readers_caption_first(client, editions, make_photo, make_story):
    photo = make_photo(caption="Harbour cranes at dusk")
    story = make_story("Краны в порту", photo=photo)
    story.lead_caption = "Портовые краны в сумерках"
    story.save()
    # A story of the (English) test edition gives the caption: as if it were Russian.
    usages = [SimpleNamespace(edition=SimpleNamespace(slug="ru"), **vars_of(story))]

    captions = photo_captions(photo, usages, "ru")
    assert [(c.language, c.text, c.direction) for c in captions] == [
        ("ru", "Портовые краны в сумерках", "ltr"),
        ("en", "Harbour cranes at dusk", "ltr"),
    ]
    assert [c.language for c in photo_captions(photo, usages, "en")] == ["en", "ru"]
    assert [c.language for c in photo_captions(photo, usages, "ar")] == ["en", "ru"]


def vars_of(story):
    return {"lead_photo_id": story.lead_photo_id, "lead_caption": story.lead_caption, "body": []}


def test_photo_page_captions_carry_their_language_and_direction(
    client, editions, make_photo, make_story
):
    photo = published(make_photo, make_story, "رافعات الميناء عند الغسق")
    client.cookies[COOKIE] = "ru"
    html = client.get(photo.get_absolute_url()).content.decode()
    assert '<html lang="ru"' in html
    assert (
        '<dd class="photo-facts__caption" lang="ar" dir="rtl">رافعات الميناء عند الغسق</dd>' in html
    )
    assert '<h1 lang="ar" dir="rtl">' in html
    assert '<dd class="photo-facts__credit"><bdi>' in html
