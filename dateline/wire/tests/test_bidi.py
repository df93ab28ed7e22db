"""Bidi controls from wires and imported pages never reach a single-line field: a headline,
byline, dateline, credit, slug or source name reads as its letters do. Bodies keep their
embeddings and isolates (quotes in another script need them) but lose the overrides."""

import io
import json

import pytest
from django.core.management import call_command

from dateline.articles.models import ArticlePage
from dateline.text import single_line, strip_bidi_controls
from dateline.wire.ingest import ingest_source
from dateline.wire.models import WireItem, WireSource

pytestmark = pytest.mark.django_db

RLO, LRO, PDF, RLI, PDI, LRM, RLM, ALM = (
    "\u202e",
    "\u202d",
    "\u202c",
    "\u2067",
    "\u2069",
    ("\u200e"),
    "\u200f",
    "\u061c",
)
CONTROLS = [RLO, LRO, PDF, RLI, PDI, LRM, RLM, ALM, "\u202a", "\u202b", "\u2066", "\u2068"]


def _hidden(text: str) -> bool:
    return any(c in text for c in CONTROLS)


def test_the_text_helpers_strip_every_control_and_fold_lines():
    assert strip_bidi_controls(f"{RLO}gpj.exe{PDF} ok") == "gpj.exe ok"
    assert single_line(f"  Harbour{RLI}\n\n reopens{PDI}\t today ") == "Harbour reopens today"
    assert not _hidden(single_line("".join(CONTROLS) + "x"))


def test_a_ninjs_item_from_a_drop_folder_has_no_controls_in_its_single_line_fields(
    edition, drop_root
):
    folder = drop_root / "agency"
    folder.mkdir()
    item = {
        "uri": "urn:bidi:1",
        "headline": f"Minister {RLO}seriaf{PDF} resigns",
        "slugline": f"{LRM}POLITICS{RLM}",
        "byline": f"By {RLI}Lina Haddad{PDI}\nand {LRO}Omar{PDF}",
        "located": f"{ALM}Beirut",
        "copyrightholder": f"{RLO}Herald",
        "body_html": f"<p>She said {RLI}كلمة{PDI} and {RLO}desrever{PDF}.</p>",
        "associations": {
            "featureimage": {
                "type": "picture",
                "uri": "urn:bidi:photo",
                "headline": "Photo",
                "renditions": {"original": {"href": "https://example.org/p.jpg"}},
                "copyrightnotice": f"© {RLO}Herald",
            }
        },
    }
    (folder / "item.json").write_text(json.dumps(item), encoding="utf-8")
    source = WireSource.objects.create(
        name=f"Herald {RLO}wire", kind="ninjs", folder="agency", edition=edition
    )
    source.full_clean()
    source.save()
    ingest_source(source)
    stored = WireItem.objects.get()
    for name in ("headline", "slugline", "byline", "located", "copyright_holder", "agency"):
        assert not _hidden(getattr(stored, name)), name
    assert stored.headline == "Minister seriaf resigns"
    assert stored.byline == "By Lina Haddad and Omar"
    assert not any(_hidden(json.dumps(p, ensure_ascii=False)) for p in stored.photos)
    # The body keeps the isolate around the Arabic word, not the override.
    assert RLI in stored.body_html and RLO not in stored.body_html
    source.refresh_from_db()
    assert source.name == "Herald wire"


def test_an_imported_page_has_no_controls_in_headline_byline_dateline_or_credit(edition, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        f"<html><head><title>Ferry {RLO}resumes{PDF}</title>"
        f"<meta name='author' content='{RLI}Rui Fontes{PDI}'></head><body><article>"
        f"<h1>Ferry {RLO}resumes{PDF}</h1><figure><img src='/f.jpg' alt='A ferry'>"
        f"<figcaption>The ferry. <span class='credit'>© {RLO}Herald{PDF} / Rui</span>"
        "</figcaption></figure>"
        + "".join(
            f"<p>{f'PORTO {LRM}ALTO (Herald{RLM}) - ' if i == 0 else ''}Paragraph {i} of the "
            f"story about the {RLO}ferry{PDF}, which sailed again this morning after storms.</p>"
            for i in range(4)
        )
        + "</article></body></html>",
        encoding="utf-8",
    )
    call_command("import-page", str(page), stdout=io.StringIO())
    story = ArticlePage.objects.get()
    assert story.title == "Ferry resumes" and story.slug.startswith("ferry-resumes")
    assert not _hidden(story.lead_photo.credit_line)
    assert story.dateline_place.name == "Porto Alto"
    assert not any(_hidden(b.person.name) for b in story.bylines.all())
    body = json.dumps(list(story.body.raw_data), ensure_ascii=False)
    assert RLO not in body and "ferry" in body


def test_page_text_loses_its_controls_in_the_headline(edition, tmp_path):
    text = tmp_path / "page.txt"
    sentence = "The council approved the new harbour budget after a long debate on Monday."
    text.write_text(
        f"Home\nWorld\nCouncil {RLO}approves{PDF} harbour budget\n" + f"{sentence}\n" * 6,
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import-page", str(text), "--dry-run", "--json", stdout=out)
    article = json.loads(out.getvalue())
    assert article["headline"] == "Council approves harbour budget"
