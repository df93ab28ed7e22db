"""What a reader sees on a results page: marked snippets, thumbnails or the text-only row,
filters by section and date, both orders, bylines, and "Did you mean"."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from dateline.search.tests.test_search import results


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def headlines(response) -> list[str]:
    """The results' headlines in order, without their marks."""
    found = re.findall(r'class="result__headline"><a [^>]*>(.*?)</a>', main(response))
    return [re.sub(r"</?mark>", "", h) for h in found]


def paragraph(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def test_it_marks_the_query_words_in_the_snippet_and_the_headline(client, make_story):
    make_story(
        "Glacier Talks Resume",
        body=paragraph(
            "Negotiators met again on Monday. Scientists say the glaciers of the north are "
            "retreating faster than any model predicted."
        ),
    )
    html = main(client.get("/en/search/", {"q": "glacier north"}))
    snippet = re.search(r'class="result__snippet"[^>]*>(.*?)</p>', html).group(1)
    # Words of four letters or more match as the start of longer ones, as the search does.
    assert "<mark>glaciers</mark> of the <mark>north</mark>" in snippet
    assert "<mark>Glacier</mark> Talks Resume" in html
    # The snippet starts near the first match, not at the top of the text.
    assert "Scientists say the" in snippet


def test_html_in_a_query_or_in_a_story_is_escaped(client, make_story):
    make_story(
        "Harbour <script>alert(1)</script> Plan",
        standfirst="A <b>bold</b> harbour plan",
        body=paragraph("The &lt;em&gt;harbour&lt;/em&gt; reopened."),
    )
    response = client.get("/en/search/", {"q": 'harbour <"&>'})
    html = main(response)
    assert "<mark>Harbour</mark> &lt;script&gt;alert(1)&lt;/script&gt; Plan" in html
    assert "A &lt;b&gt;bold&lt;/b&gt; <mark>harbour</mark> plan" in html
    assert "&lt;em&gt;<mark>harbour</mark>&lt;/em&gt;" in html
    assert "<script>alert" not in html and "<b>" not in html and "<em>" not in html
    # The query is shown as typed, escaped.
    assert "“harbour &lt;&quot;&amp;&gt;”" in html


def test_a_result_has_a_thumbnail_or_the_text_only_row(client, make_story):
    make_story("Orbit Photo Story")
    make_story("Orbit Text Story", photo=False, standfirst="No photograph with this one")
    html = main(client.get("/en/search/", {"q": "orbit"}))
    rows = re.findall(r'<article class="(result[^"]*)">(.*?)</article>', html, re.S)
    by_headline = {re.sub(r"</?mark>", "", row): (cls, row) for cls, row in rows}
    photo = next(v for k, v in by_headline.items() if "Orbit Photo Story" in k)
    text = next(v for k, v in by_headline.items() if "Orbit Text Story" in k)
    assert photo[0] == "result" and "<picture" in photo[1] and "result__photo" in photo[1]
    assert text[0] == "result result--text" and "<picture" not in text[1]
    # The text-only row has what a card has: section, time, headline, and the text.
    assert "section-label" in text[1] and "<time" in text[1]
    assert "No photograph with this one" in text[1]


def test_the_section_filter_keeps_the_sections_stories(client, make_story):
    make_story("Tariff Talks in Brussels", section="europe")
    make_story("Tariff Shock for Exporters", section="business")
    make_story("Tariff Row Spreads", section="world", further_sections=["business"])
    assert len(headlines(client.get("/en/search/", {"q": "tariff"}))) == 3
    response = client.get("/en/search/", {"q": "tariff", "section": "business"})
    assert sorted(headlines(response)) == ["Tariff Row Spreads", "Tariff Shock for Exporters"]
    # The edition's own sections are offered, the chosen one selected.
    assert '<option value="business" selected>Business</option>' in main(response)
    assert '<option value="offbeat">Off-beat</option>' in main(response)
    # A filtered search offers to clear its filters; a section no one offered is ignored.
    assert '<a href="?q=tariff">Clear filters</a>' in main(response)
    assert len(headlines(client.get("/en/search/", {"q": "tariff", "section": "nope"}))) == 3


def test_the_date_filters_keep_the_periods_stories(client, make_story, edition):
    now = timezone.now()
    make_story("Flood Warning Today", published_at=now - dt.timedelta(hours=2))
    make_story("Flood Defences Built", published_at=now - dt.timedelta(days=20))
    make_story("Flood of the Century", published_at=now - dt.timedelta(days=400))
    assert len(headlines(client.get("/en/search/", {"q": "flood"}))) == 3
    assert headlines(client.get("/en/search/", {"q": "flood", "when": "day"})) == [
        "Flood Warning Today"
    ]
    assert sorted(headlines(client.get("/en/search/", {"q": "flood", "when": "month"}))) == [
        "Flood Defences Built",
        "Flood Warning Today",
    ]
    # From and to are days of the edition's calendar, both included.
    day = timezone.localtime(now - dt.timedelta(days=20), edition.tzinfo).date()
    response = client.get(
        "/en/search/", {"q": "flood", "from": day.isoformat(), "to": day.isoformat()}
    )
    assert headlines(response) == ["Flood Defences Built"]
    assert f'name="from" value="{day.isoformat()}"' in main(response)
    response = client.get("/en/search/", {"q": "flood", "to": (day - dt.timedelta(days=1))})
    assert headlines(response) == ["Flood of the Century"]
    # A date that is not one is ignored.
    assert len(headlines(client.get("/en/search/", {"q": "flood", "from": "2024-13-45"}))) == 3


def test_results_sort_by_relevance_or_newest(client, make_story):
    now = timezone.now()
    make_story(
        "Comet Comet Comet",
        standfirst="The comet, a comet",
        published_at=now - dt.timedelta(days=3),
    )
    make_story(
        "Night Sky Guide",
        body=paragraph("Look for the comet low in the west."),
        published_at=now - dt.timedelta(hours=1),
    )
    assert headlines(client.get("/en/search/", {"q": "comet"})) == [
        "Comet Comet Comet",
        "Night Sky Guide",
    ]
    response = client.get("/en/search/", {"q": "comet", "sort": "newest"})
    assert headlines(response) == ["Night Sky Guide", "Comet Comet Comet"]
    assert '<option value="newest" selected>' in main(response)


def test_a_byline_search_finds_the_authors_stories(client, make_story):
    make_story("Drought Hits Farmers", bylines=["Mariam Haddad"])
    make_story("Rail Strike Ends", bylines=["Mariam Haddad", "Oleg Petrov"])
    make_story("Budget Passes", bylines=["Oleg Petrov"])
    make_story("Interview Transcript", body=paragraph("Asked about Haddad, the minister smiled."))
    response = client.get("/en/search/", {"q": "mariam haddad"})
    assert sorted(headlines(response)) == ["Drought Hits Farmers", "Rail Strike Ends"]
    assert "<bdi>Mariam Haddad</bdi>" in main(response)
    # A surname alone finds the stories the person wrote first, then those that name them.
    assert headlines(client.get("/en/search/", {"q": "Haddad"}))[2:] == ["Interview Transcript"]
    # Names in any script, in any case.
    make_story("Выборы в регионах", bylines=["Анна Петрова"])
    assert headlines(client.get("/en/search/", {"q": "петрова"})) == ["Выборы в регионах"]
    # Bylines combine with the filters.
    response = client.get("/en/search/", {"q": "haddad", "section": "business"})
    assert headlines(response) == []


def test_a_misspelt_query_offers_the_editions_word(
    client, make_story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_story("Government Wins Vote", body=paragraph("The government won the budget vote."))
        make_story("Governor Resigns")
    response = client.get("/en/search/", {"q": "goverment budget", "section": "world"})
    html = main(response)
    assert (
        'Did you mean <a href="?q=government+budget&amp;section=world">government budget</a>?'
        in html
    )
    assert headlines(client.get("/en/search/", {"q": "government budget"})) == [
        "Government Wins Vote"
    ]
    # Swapped letters, a letter too many, a wrong letter.
    for typo, word in [("govrenment", "government"), ("budgett", "budget"), ("vote", None)]:
        html = main(client.get("/en/search/", {"q": typo}))
        if word:
            assert f">{word}</a>?" in html
        else:
            assert "Did you mean" not in html
    # The start of a known word is not a misspelling (the search matches it as a prefix).
    assert "Did you mean" not in main(client.get("/en/search/", {"q": "govern"}))


def test_a_scheduled_storys_words_are_not_suggested(
    client, make_story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_story("Merger Agreed", published_at=timezone.now() + dt.timedelta(hours=5))
    assert "Did you mean" not in main(client.get("/en/search/", {"q": "mergers"}))
    assert "Did you mean" not in main(client.get("/en/search/", {"q": "merher"}))


def test_a_withdrawn_storys_words_leave_the_vocabulary(
    client, make_story, django_capture_on_commit_callbacks
):
    from dateline.articles.actions import withdraw_story

    with django_capture_on_commit_callbacks(execute=True):
        story = make_story("Secretive Settlement Reached")
    assert ">settlement</a>?" in main(client.get("/en/search/", {"q": "setlement"}))
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_story(story, reason="legal")
    assert "Did you mean" not in main(client.get("/en/search/", {"q": "setlement"}))


def test_the_vocabulary_can_be_rebuilt(client, make_story, edition):
    from django.core.management import call_command

    make_story("Volcanic Ash Grounds Flights")  # published without its commit callbacks
    assert "Did you mean" not in main(client.get("/en/search/", {"q": "volcamic"}))
    call_command("search-words", verbosity=0)
    assert ">volcanic</a>?" in main(client.get("/en/search/", {"q": "volcamic"}))


@pytest.mark.parametrize(
    "params",
    [
        {"section": "<script>", "when": "forever", "sort": "random"},
        {"from": "x", "to": "2024-02-30"},
        {"from": "2099-05-01", "to": "2000-01-01"},
    ],
)
def test_odd_filter_values_are_harmless(client, make_story, params):
    make_story("Quiet Day")
    response = client.get("/en/search/", {"q": "quiet", **params})
    assert response.status_code == 200
    assert "<script>" not in main(response)
    assert "Quiet Day" in results(response)
