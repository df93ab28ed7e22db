import datetime as dt

import pytest
from django.utils import timezone


def ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


def headlines(response):
    assert response.status_code == 200, response.content
    return [item["headline"] for item in response.json()["items"]]


def test_it_lists_an_editions_stories_newest_first(client, make_story):
    make_story("Older", published_at=ago(3))
    make_story("Newer", published_at=ago(1))
    assert headlines(client.get("/api/stories?edition=en")) == ["Newer", "Older"]


def test_a_story_in_the_list_carries_its_section_bylines_photo_and_formats(client, make_story):
    story = make_story("Ferry Resumes", bylines=["Aiko Sato"], tags=["Ferries"], section="asia")
    [item] = client.get("/api/stories?edition=en").json()["items"]
    assert item["id"] == story.pk and item["url"] == "http://127.0.0.1:8000" + story.url
    assert item["section"]["slug"] == "asia"
    assert item["bylines"][0]["name"] == "Aiko Sato"
    assert item["tags"] == [{"slug": "ferries", "name": "Ferries"}]
    assert item["lead_photo"]["credit"] == "© Testwire / Ines Duarte"
    assert {r["name"] for r in item["lead_photo"]["renditions"]} == {"web", "thumbnail"}
    assert item["ninjs_url"].endswith(f"/api/stories/{story.pk}.ninjs.json")


def test_it_filters_by_section_including_further_sections(client, make_story):
    make_story("Asia Only", section="asia", published_at=ago(1))
    make_story(
        "Business With Asia", section="business", further_sections=["asia"], published_at=ago(2)
    )
    make_story("Europe", section="europe", published_at=ago(3))
    assert headlines(client.get("/api/stories?edition=en&section=asia")) == [
        "Asia Only",
        "Business With Asia",
    ]


def test_it_filters_by_tag_and_by_author(client, make_story):
    make_story("Tagged", tags=["Floods"], bylines=["Aiko Sato"], published_at=ago(1))
    make_story("By Someone Else", tags=["Floods"], bylines=["Tom Reed"], published_at=ago(2))
    make_story("Untagged", bylines=["Aiko Sato"], published_at=ago(3))
    assert headlines(client.get("/api/stories?tag=floods")) == ["Tagged", "By Someone Else"]
    assert headlines(client.get("/api/stories?author=aiko-sato")) == ["Tagged", "Untagged"]
    assert headlines(client.get("/api/stories?author=aiko-sato&tag=floods")) == ["Tagged"]


def test_it_filters_by_a_time_range(client, make_story):
    make_story("Three Hours Ago", published_at=ago(3))
    make_story("Two Days Ago", published_at=ago(48))
    make_story("Just Now", published_at=ago(0.1))
    since = (timezone.now() - dt.timedelta(hours=4)).isoformat()
    until = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    response = client.get("/api/stories", {"since": since, "until": until})
    assert headlines(response) == ["Three Hours Ago"]


def test_it_searches_the_full_text(client, make_story):
    make_story(
        "Volcano Erupts", body=[{"type": "paragraph", "value": "<p>Ash over the island.</p>"}]
    )
    make_story("Markets Rally", body=[{"type": "paragraph", "value": "<p>Shares rose.</p>"}])
    assert headlines(client.get("/api/stories?edition=en&q=ash island")) == ["Volcano Erupts"]
    assert headlines(client.get("/api/stories?q=volcano&section=world&edition=en")) == [
        "Volcano Erupts"
    ]
    assert headlines(client.get("/api/stories?q=volcano&section=asia&edition=en")) == []


def test_cursor_pagination_walks_every_story_once(client, make_story):
    for n in range(5):
        make_story(f"Story {n}", published_at=ago(n + 1), photo=False)
    seen, url = [], "/api/stories?edition=en&limit=2"
    while url:
        page = client.get(url).json()
        assert len(page["items"]) <= 2
        seen += [item["headline"] for item in page["items"]]
        url = page["next"] and page["next"].removeprefix("http://127.0.0.1:8000")
    assert seen == [f"Story {n}" for n in range(5)]


def test_a_story_published_while_paging_does_not_shift_the_pages(client, make_story):
    for n in range(3):
        make_story(f"Story {n}", published_at=ago(n + 1), photo=False)
    first = client.get("/api/stories?limit=2").json()
    make_story("Breaking", published_at=ago(0.1), photo=False)
    second = client.get("/api/stories", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [i["headline"] for i in second["items"]] == ["Story 2"]
    assert second["next_cursor"] is None


def test_search_results_page_with_a_cursor_too(client, make_story):
    for n in range(3):
        make_story(f"Harbour news {n}", published_at=ago(n + 1), photo=False)
    first = client.get("/api/stories?q=harbour&limit=2").json()
    second = client.get(
        "/api/stories", {"q": "harbour", "limit": 2, "cursor": first["next_cursor"]}
    )
    names = [i["headline"] for i in first["items"]] + headlines(second)
    assert sorted(names) == [f"Harbour news {n}" for n in range(3)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("edition=xx", "There is no edition 'xx'."),
        ("section=asia", "'section' needs 'edition'"),
        ("edition=en&section=nowhere", "Edition 'en' has no section 'nowhere'."),
        ("tag=nothing", "There is no tag 'nothing'."),
        ("author=nobody", "There is no author 'nobody'."),
        ("since=2026-11-01T10:00:00", "'since' needs a time zone offset"),
        ("since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z", "'since' must be before 'until'"),
        ("cursor=not-a-cursor", "The cursor is not one this API gave out."),
        ("cursor=eyJ0IjoxfQ", "The cursor is not one this API gave out."),
    ],
)
def test_bad_input_gets_a_clear_400(client, edition, query, message):
    response = client.get(f"/api/stories?{query}")
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=ten", "since=yesterday"])
def test_malformed_parameters_get_a_422_naming_the_parameter(client, edition, query):
    response = client.get(f"/api/stories?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == query.split("=")[0]


def test_a_story_by_id_has_its_body_photos_and_corrections(client, make_story, make_photo):
    from dateline.articles.models import Correction

    inline = make_photo(caption="The quay")
    story = make_story(
        "Ferry Resumes",
        body=[
            {"type": "paragraph", "value": "<p>Boats <i>sail</i> again.</p>"},
            {"type": "image", "value": {"photo": inline.pk, "caption": ""}},
        ],
    )
    story.corrections.add(Correction(kind="correction", text="The date was wrong."))
    story.save_revision().publish()
    data = client.get(f"/api/stories/{story.pk}").json()
    assert data["headline"] == "Ferry Resumes"
    assert "<i>sail</i>" in data["body_html"] and "<figure>" in data["body_html"]
    assert [p["caption"] for p in data["photos"]] == ["A harbour at dawn", "The quay"]
    assert data["corrections"][0]["text"] == "The date was wrong."


def test_unknown_draft_and_scheduled_stories_are_not_found(client, make_story):
    draft = make_story("Draft", publish=False)
    scheduled = make_story("Later", published_at=timezone.now() + dt.timedelta(hours=2))
    for pk in (draft.pk, scheduled.pk, 999_999):
        response = client.get(f"/api/stories/{pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not Found"}


@pytest.mark.parametrize(
    "url", ["/api/nothing", "/api/stories/abc", "/api/stories/-1", "/api/stories/", "/api/photos/x"]
)
def test_an_address_under_api_that_is_no_route_gets_a_json_404(client, edition, url):
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not Found"}


def test_an_id_too_large_for_the_database_is_refused_not_a_server_error(client, edition):
    for suffix in ("", ".ninjs.json", ".newsml.xml"):
        response = client.get(f"/api/stories/{2**64}{suffix}")
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] == "story_id"


def test_a_number_is_not_taken_for_a_unix_time(client, edition):
    response = client.get("/api/stories?since=1700000000")
    assert response.status_code == 422
    assert "ISO 8601" in response.json()["detail"][0]["msg"]
