"""Hostile display names (tests/hostile/corpus/names/) through every entry point that takes a
name: sign-up, and the account's display-name page. Each is accepted or refused with a clear
message; none causes a 5xx, a traceback, more than 10 s or 256 MB; a refused one changes
nothing."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dateline.accounts.models import ReaderProfile
from tests.hostile.bounds import bounded, corpus

# What the reader reads for each kind of refusal (any one of the phrases).
MESSAGES = {
    "reserved": ["kept for the newsroom"],
    "taken": ["Another reader has that name"],
    "mixed_scripts": ["in one alphabet"],
    "styled": ["ordinary letters"],
    "invisible": ["invisible characters"],
    "markup": ["Write plain text"],
    "control": ["control or unassigned character", "Null characters are not allowed"],
    "multiline": ["Keep it on one line"],
    "empty": ["This field is required", "Write something first"],
    "no_letters": ["needs letters or digits"],
    "marks": ["too many accents"],
    "too_long": ["at most 40 characters", "At most 40 characters", "at most 200 characters"],
}
ENTRIES = corpus("names")


def load(path) -> tuple[str, str]:
    entry = json.loads(path.read_text())
    if "recipe" in entry:
        recipe = entry["recipe"]
        return recipe.get("prefix", "") + recipe["repeat"] * recipe["times"], entry["expect"]
    return entry["name"], entry["expect"]


@pytest.fixture
def other_reader(edition):
    user = get_user_model().objects.create_user("vera", "vera@example.org", "a-long-pass-42")
    ReaderProfile.objects.create(user=user, display_name="Vera")
    return user


@pytest.fixture
def signed_in(edition, other_reader):
    user = get_user_model().objects.create_user("nina", "nina@example.org", "a-long-pass-42")
    ReaderProfile.objects.create(user=user, display_name="Nina")
    client = Client()
    client.force_login(user)
    return client


def _sign_up(name: str) -> dict:
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "hostile@example.org",
            "display_name": name,
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    return {
        "status": response.status_code,
        "html": response.content.decode(errors="replace"),
        "users": get_user_model().objects.filter(email="hostile@example.org").count(),
        "names": sorted(ReaderProfile.objects.values_list("display_name", flat=True)),
    }


def _rename(client, name: str) -> dict:
    response = client.post("/accounts/profile/", {"display_name": name})
    return {
        "status": response.status_code,
        "html": response.content.decode(errors="replace"),
        "users": None,
        "names": sorted(ReaderProfile.objects.values_list("display_name", flat=True)),
    }


def check(outcome, name, expect, before):
    assert outcome.within_bounds, outcome.describe()
    assert not outcome.error, outcome.traceback
    result = outcome.value
    assert result["status"] < 500, result["status"]
    if expect == "accepted":
        assert result["status"] == 302, result["html"][:3000]
        assert len(result["names"]) == len(before) + (1 if result["users"] is not None else 0)
        return
    assert result["status"] in (200, 400), result["status"]
    assert 'class="errorlist' in result["html"]
    assert any(phrase in result["html"] for phrase in MESSAGES[expect]), (
        expect,
        result["html"][result["html"].find("errorlist") - 200 :][:1500],
    )
    assert result["names"] == before  # nothing changed
    if result["users"] is not None:
        assert result["users"] == 0


@pytest.mark.parametrize("path", ENTRIES, ids=[p.stem for p in ENTRIES])
def test_a_hostile_name_at_sign_up(path, other_reader):
    name, expect = load(path)
    before = sorted(ReaderProfile.objects.values_list("display_name", flat=True))
    check(bounded(_sign_up, name), name, expect, before)


@pytest.mark.parametrize("path", ENTRIES, ids=[p.stem for p in ENTRIES])
def test_a_hostile_name_in_account_settings(path, signed_in):
    name, expect = load(path)
    before = sorted(ReaderProfile.objects.values_list("display_name", flat=True))
    outcome = bounded(_rename, signed_in, name)
    if expect == "accepted":
        assert outcome.within_bounds and not outcome.error, outcome.traceback
        assert outcome.value["status"] == 302
        assert "Nina" not in outcome.value["names"]
        return
    check(outcome, name, expect, before)
