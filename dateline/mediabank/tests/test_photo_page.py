import datetime as dt

from django.utils import timezone


def test_the_photo_page_shows_the_photo_with_caption_credit_and_copyright(
    client, make_photo, make_story
):
    photo = make_photo(
        caption="Fishing boats at dawn",
        photographer="Oskar Lindqvist",
        agency="Testwire",
        copyright_notice="© 2026 Testwire AB",
    )
    make_story("Fleet Returns", photo=photo)
    html = client.get(f"/mediabank/photos/{photo.pk}/").content.decode()
    assert "Fishing boats at dawn" in html
    assert "© Testwire / Oskar Lindqvist" in html
    assert "© 2026 Testwire AB" in html
    assert "<picture>" in html and 'alt="Boats in a harbour"' in html


def test_it_lists_the_published_stories_that_use_it(client, make_photo, make_story):
    photo = make_photo()
    lead = make_story("Story Leading With It", photo=photo)
    inline = make_story(
        "Story Showing It Inline",
        body=[
            {"type": "paragraph", "value": "<p>Intro.</p>"},
            {"type": "image", "value": {"photo": photo.pk, "caption": ""}},
        ],
    )
    make_story("Unpublished Story With It", photo=photo, publish=False)
    make_story(
        "Scheduled Story With It", photo=photo, published_at=timezone.now() + dt.timedelta(hours=4)
    )
    html = client.get(f"/mediabank/photos/{photo.pk}/").content.decode()
    assert f'href="{lead.url}"' in html and f'href="{inline.url}"' in html
    assert "Unpublished Story With It" not in html
    assert "Scheduled Story With It" not in html


def test_a_photo_only_unpublished_stories_use_is_not_public(client, make_photo, make_story):
    photo = make_photo(caption="Before the embargo lifts")
    make_story("Embargoed Story", photo=photo, published_at=timezone.now() + dt.timedelta(hours=2))
    make_story("Draft Story", photo=photo, publish=False)
    assert client.get(f"/mediabank/photos/{photo.pk}/").status_code == 404
    assert b"Before the embargo lifts" not in client.get("/mediabank/").content


def test_an_unknown_photo_is_not_found(client, db):
    assert client.get("/mediabank/photos/999999/").status_code == 404


def test_the_media_bank_lists_public_photos_newest_first(client, make_story):
    older = make_story("Older Story").lead_photo
    newer = make_story("Newer Story").lead_photo
    html = client.get("/mediabank/").content.decode()
    assert html.index(f"/mediabank/photos/{newer.pk}/") < html.index(
        f"/mediabank/photos/{older.pk}/"
    )
