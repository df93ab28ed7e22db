"""An API key identifies a partner and raises its rate limit; it shows nothing that anonymous
readers cannot see: no draft, and no story before its publication time."""

import datetime as dt

from django.test import Client
from django.utils import timezone


def test_an_embargoed_story_is_invisible_with_and_without_a_key(make_story, make_photo, key_for):
    make_story("Visible Summit Story", section="asia", tags=["Secret talks"], bylines=["Aiko Sato"])
    photo = make_photo(caption="Leaders shake hands at the secret summit")
    embargoed = make_story(
        "Embargoed Summit Deal",
        section="asia",
        tags=["Secret talks"],
        bylines=["Aiko Sato"],
        photo=photo,
        published_at=timezone.now() + dt.timedelta(hours=2),
    )
    draft = make_story("Draft Summit Memo", section="asia", bylines=["Aiko Sato"], publish=False)
    lists = [
        "/api/stories",
        "/api/stories?edition=en&section=asia",
        "/api/stories?tag=secret-talks",
        "/api/stories?author=aiko-sato",
        "/api/stories?q=summit",
        "/api/editions/en/newsfeed",
        "/api/photos",
    ]
    documents = [
        f"/api/stories/{story_id}{suffix}"
        for story_id in (embargoed.pk, draft.pk)
        for suffix in ("", ".ninjs.json", ".ninjs3.json", ".newsml.xml")
    ] + [f"/api/photos/{photo.pk}", f"/api/photos/{photo.pk}.ninjs.json"]
    key = key_for(requests_per_minute=1_000)
    clients = {
        "anonymous": Client(),
        "X-Api-Key": Client(headers={"X-Api-Key": key}),
        "Bearer": Client(headers={"Authorization": f"Bearer {key}"}),
    }
    for who, client in clients.items():
        assert "Visible Summit Story" in client.get("/api/stories").content.decode(), who
        for url in lists:
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            text = response.content.decode()
            for secret in ("Embargoed Summit Deal", "Draft Summit Memo", "secret summit"):
                assert secret not in text, (who, url, secret)
        for url in documents:
            response = client.get(url)
            assert response.status_code == 404, (who, url)
            assert response.json() == {"detail": "Not Found"}
