"""`dateline import-page`: the reference page, element by element, and an HTML page."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import shared_path
from dateline.articles.models import ArticlePage

pytestmark = pytest.mark.django_db

# Every expectation about the reference page is read from it at test time (the project holds
# only what we write): its shape is known, its words are not copied here.
SUFFIX = " - Sputnik International"


def _reference():
    lines = [
        " ".join(line.split())
        for line in shared_path("reference", "reference-page.txt").read_text().splitlines()
        if line.strip()
    ]
    photo_captions = [i for i, line in enumerate(lines) if line.endswith(SUFFIX)]
    lead_caption = lines[photo_captions[0]].removesuffix(SUFFIX)
    credit_line = next(line for line in lines if line.startswith("©"))
    # Each photo inside the article is a related story's card: its section, then its headline.
    related = [lines[i + 2] for i in photo_captions[1:]]
    read_more = [line.split(": ", 1)[1] for line in lines if line.startswith("READ MORE: ")]
    quote = next(line for line in lines if line.startswith("“")).strip("“”").split(",")[0]
    dateline = next(m for line in lines if (m := re.match(r"([A-Z]+) \((\w+)\) - ", line)))
    return {
        "headline": lines[3],
        "tagline": lines[2],
        "caption": lead_caption,
        "credit": credit_line.split(" / Go to")[0],
        "related": related,
        "read_more": read_more,
        "quote": quote,
        "dateline": dateline,
        "leftover": next(line for line in lines if re.search("[А-Яа-я]", line)),
    }


def _chrome(ref):
    return [
        "Subscribe",
        "Newsfeed",
        "To participate in the discussion",
        "log in or register",
        "loader",
        "Chats",
        "Go to the mediabank",
        ref["leftover"],
        ref["tagline"],
    ]


def _import(*args):
    out = io.StringIO()
    call_command("import-page", *args, stdout=out)
    return out.getvalue()


def _reference_lines():
    text = shared_path("reference", "reference-page.txt").read_text()
    # Whitespace as the page shows it: its no-break spaces are plain spaces in the story.
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_dry_run_json_prints_the_parsed_reference_article(edition):
    ref = _reference()
    path = shared_path("reference", "reference-page.txt")
    article = json.loads(_import(str(path), "--dry-run", "--json"))
    assert article["headline"] == ref["headline"]
    assert article["section"] == "World"
    place, agency = ref["dateline"].groups()
    assert (article["dateline_place"], article["dateline_agency"]) == (place.title(), agency)
    assert article["photo_caption"] == ref["caption"]
    assert article["photo_credit"] == ref["credit"]
    assert article["related"] == ref["related"]
    assert article["read_more"] == ref["read_more"]
    assert [b["kind"] for b in article["blocks"]] == [
        "paragraph", "paragraph", "quote", "related", "paragraph", "paragraph",
        "read_more", "related", "paragraph", "paragraph",
    ]  # fmt: skip
    dropped = " ".join(article["dropped"])
    for chrome in ("Subscribe", "Newsfeed", "log in or register", "Chats", ref["leftover"]):
        assert chrome in dropped
    assert ArticlePage.objects.count() == 0


def test_the_reference_page_imports_as_a_story_with_its_structure_and_text(
    client, edition, make_story
):
    ref = _reference()
    for headline in [*ref["related"], *ref["read_more"]]:
        make_story(headline, section="asia")
    path = shared_path("reference", "reference-page.txt")
    report = _import(str(path), "--publish")
    story = ArticlePage.objects.get(title=ref["headline"])
    assert story.live and story.primary_section.slug == "world"
    assert "needs an editor: lead photo" in report and "placeholder" in report

    # The lead photo: a placeholder marked as such, with the imported caption and credit.
    photo = story.lead_photo
    assert "placeholder" in [t.name for t in photo.tags.all()]
    assert photo.caption == ref["caption"]
    assert photo.credit_line == ref["credit"]

    html = client.get(story.url).content.decode()
    lines = _reference_lines()
    paragraphs = [
        line
        for line in lines
        if len(line.split()) > 20 and not line.startswith(("©", "“")) and not line.endswith(SUFFIX)
    ]
    assert len(paragraphs) == 6
    # The dateline, then every paragraph and the quote, in the reference page's order, with
    # the cards and the read-more link in their places.
    expected = [
        ref["dateline"].group(0).replace(" - ", " –").strip(),
        paragraphs[0].removeprefix(ref["dateline"].group(0)),
        paragraphs[1],
        ref["quote"],
        ref["related"][0],
        paragraphs[2],
        paragraphs[3],
        ref["read_more"][0],
        ref["related"][1],
        paragraphs[4],
        paragraphs[5],
    ]
    from django.utils.html import escape

    start = html.find('<span class="dateline">')
    positions = [html.find(escape(text), start) for text in expected]
    assert all(p >= 0 for p in positions), [
        t for t, p in zip(expected, positions, strict=True) if p < 0
    ]
    assert positions == sorted(positions)
    assert "<h1" in html and escape(story.title) in html
    assert escape(ref["caption"]) in html and escape(ref["credit"]) in html
    assert html.count('class="related-card"') == 2
    assert 'class="read-more"' in html
    # None of the chrome came in: not in the stored story, not in the article on the page
    # (the site's own page around it has its own Subscribe link and newsfeed).
    body = html[start : html.find(escape(paragraphs[5]))]
    assert len(body) > 1000
    stored = json.dumps(list(story.body.raw_data), ensure_ascii=False) + story.standfirst
    for chrome in _chrome(ref):
        assert escape(chrome) not in body and chrome not in stored, chrome


def test_unmatched_cards_link_to_a_site_search_and_are_listed_for_an_editor(edition):
    path = shared_path("reference", "reference-page.txt")
    report = _import(str(path))
    story = ArticlePage.objects.get()
    assert not story.live
    assert report.count("no story with that headline") == 3
    links = [
        b.value.source
        for b in story.body
        if b.block_type == "paragraph" and "search" in b.value.source
    ]
    first_words = "%20".join(_reference()["related"][0].split()[:3])
    assert len(links) == 3 and f"/en/search/?q={first_words}" in links[0]


def test_an_html_page_imports_with_trafilatura_and_the_extras(edition, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Ferry resumes</title></head><body><nav>Home</nav><article>"
        "<h1>Ferry resumes</h1><figure><img src='/f.jpg' alt='A ferry'><figcaption>The ferry. "
        "<span class='credit'>© Herald / Rui Fontes</span></figcaption></figure>"
        + "".join(
            f"<p>{'PORTO ALTO (Herald) - ' if i == 0 else ''}Paragraph {i} of the story about "
            "the ferry, which sailed again this morning after a week of storms.</p>"
            for i in range(4)
        )
        + "</article></body></html>"
    )
    _import(str(page), "--section", "europe")
    story = ArticlePage.objects.get()
    assert story.title == "Ferry resumes" and story.primary_section.slug == "europe"
    assert story.dateline_place.name == "Porto Alto"
    assert story.lead_photo.credit_line == "© Herald / Rui Fontes"
    assert [b.block_type for b in story.body] == ["paragraph"] * 4


def test_bad_input_imports_nothing(edition, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("Home\nShare\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        _import(str(empty))
    with pytest.raises(CommandError, match="no section"):
        _import(str(empty), "--section", "nope")
    assert ArticlePage.objects.count() == 0
