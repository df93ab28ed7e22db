import re


def results(response):
    """Return the page's main content: the results, without the newsfeed every page carries,
    and without the marks on the query's words."""
    html = response.content.decode()
    return re.sub(r"</?mark>", "", html[html.index("<main") : html.index("</main>")])


def test_it_finds_stories_by_headline_standfirst_and_body(client, make_story):
    make_story("Glacier Retreats Faster", standfirst="Ice loss doubles")
    make_story(
        "Port Strike Ends",
        body=[{"type": "paragraph", "value": "<p>Dockers return after the glacier talks.</p>"}],
    )
    make_story("Unrelated Budget News")
    html = results(client.get("/en/search/?q=glacier"))
    assert "Glacier Retreats Faster" in html and "Port Strike Ends" in html
    assert "Unrelated Budget News" not in html
    assert "2 stories match" in html
    # The headline match ranks above the body match.
    assert html.index("Glacier Retreats Faster") < html.index("Port Strike Ends")
    assert "Glacier Retreats Faster" in client.get("/en/search/?q=doubles").content.decode()


def test_it_keeps_the_query_in_the_box(client, make_story):
    make_story("Solar Farms Expand")
    html = client.get("/en/search/?q=solar+farms").content.decode()
    assert 'name="q" value="solar farms"' in html


def test_it_pages_results(client, make_story):
    for n in range(23):
        make_story(f"Volcano Report {n}", photo=False)
    first = client.get("/en/search/?q=volcano").content.decode()
    second = client.get("/en/search/?q=volcano&page=2").content.decode()
    assert "23 stories match" in first
    assert first.count("Volcano Report") >= 20
    assert 'href="?q=volcano&amp;page=2"' in first
    assert second.count('class="result__headline"') == 3


def test_hostile_queries_are_harmless(client, edition):
    for q in ['"<script>alert(1)</script>', "AND OR NOT", "*", "a" * 5000, '"unbalanced', "NEAR("]:
        response = client.get("/en/search/", {"q": q})
        assert response.status_code == 200
        assert b"<script>alert(1)" not in response.content


def test_an_empty_query_shows_the_form(client, edition):
    html = client.get("/en/search/").content.decode()
    assert 'type="search"' in html and "match" not in html


def test_words_in_any_script_are_found_and_operators_are_just_words(client, make_story):
    make_story("Переговоры в Женеве продолжаются")
    make_story("Near the Harbour, Not Far")
    assert "Переговоры в Женеве" in results(client.get("/en/search/?q=женеве"))
    # FTS5 and tsquery operators in a query are read as plain words.
    html = results(client.get("/en/search/", {"q": "NOT harbour"}))
    assert "Near the Harbour" in html
    assert "Near the Harbour" in results(client.get("/en/search/", {"q": "harbour -far*"}))
    assert "No stories match" in results(client.get("/en/search/", {"q": "harbour OR budget"}))


def test_a_word_finds_its_longer_forms_in_languages_the_index_does_not_stem(client, make_story):
    make_story("Переговоры об океанском договоре")
    make_story("Морские державы договорились о выбросах")
    make_story("Of Ships and Harbours")
    html = results(client.get("/en/search/", {"q": "договор"}))
    assert "об океанском договоре" in html and "державы договорились" in html
    # Short words match only whole: "of" finds the headline with "Of", not every "offer".
    assert "Of Ships and Harbours" in results(client.get("/en/search/", {"q": "of ships"}))


def test_a_common_word_ranks_only_its_newest_matches(client, make_story, monkeypatch):
    from dateline.search import engine

    make_story("Harbour Harbour Harbour", standfirst="The harbour, the harbour and its harbour")
    make_story(
        "Port Strike Ends",
        body=[{"type": "paragraph", "value": "<p>Talks at the harbour went on.</p>"}],
    )
    make_story(
        "Ferry Delays",
        body=[{"type": "paragraph", "value": "<p>Boats wait outside the harbour.</p>"}],
    )
    html = results(client.get("/en/search/?q=harbour"))
    assert html.index("Harbour Harbour Harbour") < html.index("Port Strike Ends")
    # With room for two candidates, the oldest match is not ranked, however good it is.
    monkeypatch.setattr(engine, "MAX_CANDIDATES", 2)
    html = results(client.get("/en/search/?q=harbour"))
    assert "Port Strike Ends" in html and "Ferry Delays" in html
    assert "Harbour Harbour Harbour" not in html
