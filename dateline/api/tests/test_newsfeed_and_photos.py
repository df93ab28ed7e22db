import datetime as dt

from django.utils import timezone


def ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


def test_the_newsfeed_lists_an_editions_latest_stories(client, make_story):
    for n in range(3):
        make_story(f"Story {n}", published_at=ago(n + 1), photo=False)
    response = client.get("/api/editions/en/newsfeed?limit=2")
    assert [i["headline"] for i in response.json()] == ["Story 0", "Story 1"]
    assert response.json()[0]["section"] == "World"


def test_an_unknown_edition_has_no_newsfeed(client, edition):
    response = client.get("/api/editions/xx/newsfeed")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no edition 'xx'."}


def test_editions_and_their_sections_are_listed(client, edition):
    assert client.get("/api/editions").json() == [
        {
            "language": "en",
            "name": "The Test Times",
            "tagline": "News for tests",
            "time_zone": "Europe/London",
            "url": "http://127.0.0.1:8000/en/",
        }
    ]
    sections = client.get("/api/editions/en/sections").json()
    assert [s["slug"] for s in sections][:2] == ["world", "asia"]


def test_photos_are_listed_only_once_a_published_story_shows_them(client, make_story, make_photo):
    shown = make_story("Shown").lead_photo
    make_photo(caption="Not yet used")
    make_story("Scheduled", published_at=timezone.now() + dt.timedelta(hours=1))
    items = client.get("/api/photos").json()["items"]
    assert [p["id"] for p in items] == [shown.pk]
    assert items[0]["credit"] == "© Testwire / Ines Duarte"
    assert items[0]["photographer"] == "Ines Duarte"


def test_photos_page_with_a_cursor(client, make_story):
    ids = [make_story(f"Story {n}", published_at=ago(n + 1)).lead_photo_id for n in range(3)]
    first = client.get("/api/photos?limit=2").json()
    second = client.get("/api/photos", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [p["id"] for p in first["items"] + second["items"]] == sorted(ids, reverse=True)
    assert second["next_cursor"] is None


def test_a_photo_no_published_story_shows_is_not_found(client, make_photo, edition):
    photo = make_photo()
    assert client.get(f"/api/photos/{photo.pk}").status_code == 404
    assert client.get(f"/api/photos/{photo.pk}.newsml.xml").status_code == 404
    assert client.get("/api/photos?cursor=%%%").status_code == 400
