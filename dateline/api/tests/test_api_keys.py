"""API keys: issued in the newsroom with the secret shown once, sent by partners, refused
when bad or revoked."""

import hashlib
import re

import pytest
from django.test import Client

from dateline.api.models import ApiKey
from dateline.newsroom.roles import ADMINISTRATORS, EDITORS

ADD_URL = "/admin/api-keys/new/"


def issued_key(response) -> str:
    match = re.search(r'value="(dlk_[A-Za-z0-9_-]{43})"', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match[1]


def test_an_administrator_issues_a_key_and_sees_it_only_once(client, newsroom):
    client.force_login(newsroom[ADMINISTRATORS])
    assert client.get(ADD_URL).status_code == 200
    response = client.post(
        ADD_URL,
        {
            "name": "Website widget",
            "partner": "Partner Daily",
            "contact_email": "tech@partner.example",
            "requests_per_minute": "120",
            "active": "on",
            "notes": "",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    key = issued_key(response)
    assert "it is shown only this once" in response.content.decode()

    api_key = ApiKey.objects.get()
    assert api_key.partner == "Partner Daily" and api_key.requests_per_minute == 120
    assert api_key.created_by == newsroom[ADMINISTRATORS]
    assert api_key.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert api_key.shown_part == key[:12]
    stored = [str(getattr(api_key, f.attname)) for f in ApiKey._meta.concrete_fields]
    assert not any(key in value for value in stored)

    # Afterwards the newsroom sees only the key's first characters.
    for url in ("/admin/api-keys/", f"/admin/api-keys/edit/{api_key.pk}/"):
        page = client.get(url).content.decode()
        assert key not in page
        assert key[:12] in page
    # The key works at once.
    assert Client(headers={"X-Api-Key": key}).get("/api/editions").status_code == 200


def test_editing_a_key_keeps_its_secret_and_can_revoke_it(client, newsroom, key_for):
    key = key_for()
    api_key = ApiKey.objects.get()
    client.force_login(newsroom[ADMINISTRATORS])
    response = client.post(
        f"/admin/api-keys/edit/{api_key.pk}/",
        {"name": "Website", "partner": "Partner Daily", "requests_per_minute": "600", "notes": ""},
    )
    assert response.status_code == 302
    api_key.refresh_from_db()
    assert not api_key.active
    assert api_key.key_hash == hashlib.sha256(key.encode()).hexdigest()
    response = Client(headers={"X-Api-Key": key}).get("/api/editions")
    assert response.status_code == 401
    assert response.json() == {"detail": "The API key has been revoked."}


def test_a_limit_out_of_range_is_refused_with_a_reason(client, newsroom):
    client.force_login(newsroom[ADMINISTRATORS])
    response = client.post(
        ADD_URL, {"name": "Feed", "partner": "P", "requests_per_minute": "0", "notes": ""}
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert not ApiKey.objects.exists()


def test_only_administrators_manage_keys(client, newsroom, key_for):
    key_for()
    client.force_login(newsroom[EDITORS])
    for url in ("/admin/api-keys/", ADD_URL):
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/admin/", url
    response = client.post(ADD_URL, {"name": "Mine", "partner": "Me", "requests_per_minute": "9"})
    assert ApiKey.objects.count() == 1
    assert "API keys" not in client.get("/admin/").content.decode()
    client.force_login(newsroom[ADMINISTRATORS])
    assert "API keys" in client.get("/admin/").content.decode()


@pytest.mark.parametrize("header", ["X-Api-Key", "Authorization"])
def test_a_request_with_a_key_is_answered_and_the_key_marked_used(edition, key_for, header):
    key = key_for()
    assert ApiKey.objects.get().last_used_at is None
    value = f"Bearer {key}" if header == "Authorization" else key
    response = Client(headers={header: value}).get("/api/editions/en/sections")
    assert response.status_code == 200
    assert [s["slug"] for s in response.json()][:2] == ["world", "asia"]
    assert ApiKey.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"X-Api-Key": "dlk_not-a-key-we-issued"}, "The API key is not valid."),
        ({"Authorization": "Bearer dlk_not-a-key-we-issued"}, "The API key is not valid."),
        ({"X-Api-Key": ""}, "The API key is empty."),
        ({"Authorization": "Bearer "}, "The API key is empty."),
    ],
)
def test_a_bad_key_gets_a_401_not_anonymous_access(edition, key_for, headers, message):
    key_for()
    for url in ("/api/stories", "/api/editions", "/api/stories/1.ninjs.json"):
        response = Client(headers=headers).get(url)
        assert response.status_code == 401, url
        assert response.json() == {"detail": message}
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "no-store" in response.headers["Cache-Control"]
    assert ApiKey.objects.get().last_used_at is None


def test_a_revoked_key_gets_a_401(edition, key_for):
    key = key_for(active=False)
    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/stories")
    assert response.status_code == 401
    assert response.json() == {"detail": "The API key has been revoked."}


def test_the_openapi_document_describes_the_optional_key(client, edition):
    document = client.get("/api/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiKeyHeader"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": schemes["ApiKeyHeader"]["description"],
    }
    assert schemes["ApiKeyBearer"]["scheme"] == "bearer"
    operation = document["paths"]["/api/stories"]["get"]
    assert operation["security"] == [{"ApiKeyHeader": []}, {"ApiKeyBearer": []}, {}]
    assert {"200", "400", "401", "422", "429"} <= set(operation["responses"])
    retry_after = operation["responses"]["429"]["headers"]["Retry-After"]
    assert retry_after["schema"]["type"] == "integer"
