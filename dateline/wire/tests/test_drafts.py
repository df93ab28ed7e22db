"""A draft from a wire item is ready to edit: its dateline read from the agency's lead and
taken out of the body, a standfirst that is not the body again, a slug that ends on a word,
and the sections of the draft's edition only."""

import json

import pytest
from django.contrib.auth.models import User

from dateline.articles.models import ArticlePage
from dateline.articles.slugs import slug_from_headline
from dateline.editions.actions import create_edition
from dateline.sections.models import Place, Section
from dateline.wire.actions import DraftError, create_draft
from dateline.wire.ingest import store_items
from dateline.wire.leads import read_lead
from dateline.wire.parsers import parse

pytestmark = pytest.mark.django_db

BODY = (
    "<p>TOKYO, Dec 7 (Meridian Press) - A power fault stopped trains on four lines. "
    "Services resumed at nine.</p><p>The operator apologised.</p>"
)


def _item(**fields):
    data = {
        "uri": fields.pop("uri", "urn:wire:lead"),
        "headline": "Tokyo commuter rail halts after power fault",
        "language": "en",
        "body_html": BODY,
        **fields,
    }
    return store_items(parse(json.dumps(data).encode())).created[0]


@pytest.mark.parametrize(
    ("lead", "place", "agency", "rest"),
    [
        ("TOKYO, Dec 7 (Meridian Press) - Trains stopped.", "Tokyo", "Meridian Press", "Trains"),
        ("TOKYO (Agency) – Trains stopped.", "Tokyo", "Agency", "Trains"),
        ("RIO DE JANEIRO, Dec. 7 (Harbour) — Rain fell.", "Rio de Janeiro", "Harbour", "Rain"),
        ("ST. PETERSBURG - Snow fell.", "St. Petersburg", "", "Snow"),
        ("МОСКВА, 7 декабря (Север) — Текст.", "Москва", "Север", "Текст"),
        ("العقبة (وكالة الواحة) - بدأت المحطة.", "العقبة", "وكالة الواحة", "بدأت"),
    ],
)
def test_it_reads_the_place_and_agency_of_a_lead(lead, place, agency, rest):
    found = read_lead(lead)
    assert (found.place, found.agency) == (place, agency)
    assert lead[found.end :].startswith(rest)


@pytest.mark.parametrize(
    "text",
    [
        "The minister said - nothing more.",
        "The minister (left) - spoke first.",
        "Prices rose 5% - a record.",
        "Tokyo - a city of trains.",  # no agency, and not in capitals: a sentence
        "A story that opens without any dateline at all.",
    ],
)
def test_it_finds_no_dateline_in_an_ordinary_sentence(text):
    assert read_lead(text) is None


def test_a_slug_ends_on_a_word_boundary():
    headline = "Crane operators at two container terminals strike over rosters written by a program"
    slug = slug_from_headline(headline, max_length=40)
    assert len(slug) <= 40 and not slug.endswith("-")
    assert headline.lower().replace(" ", "-").startswith(slug + "-")
    assert slug_from_headline("Short headline") == "short-headline"


def test_the_draft_takes_its_dateline_from_the_lead_and_the_body_starts_after_it(edition):
    story = create_draft(_item(), edition=edition)
    assert story.dateline_place.name == "Tokyo"
    assert story.dateline_agency == "Meridian Press"
    first = story.body[0].value.source
    assert first.startswith("<p>A power fault stopped trains")
    assert "TOKYO" not in first and "Meridian Press" not in first
    assert story.body[1].value.source == "<p>The operator apologised.</p>"


def test_the_draft_reuses_a_place_the_newsroom_has(edition):
    tokyo = Place.objects.create(name="Tokyo", country_code="JP")
    assert create_draft(_item(), edition=edition).dateline_place == tokyo


def test_the_standfirst_is_the_summary_when_it_differs_from_the_body(edition):
    summary = "Commuters were stranded at the height of the rush hour."
    story = create_draft(_item(description_text=summary), edition=edition)
    assert story.standfirst == summary


def test_the_standfirst_is_the_first_sentence_when_the_summary_repeats_the_body(edition):
    # A feed's description is often the body's opening again, dateline and all.
    repeated = "TOKYO, Dec 7 (Meridian Press) - A power fault stopped trains on four lines."
    story = create_draft(_item(description_text=repeated), edition=edition)
    assert story.standfirst == "A power fault stopped trains on four lines."
    story = create_draft(_item(uri="urn:wire:no-summary"), edition=edition)
    assert story.standfirst == "A power fault stopped trains on four lines."
    assert story.standfirst != story.body[0].value.source


def test_the_draft_drops_the_agencys_urgency_mark_and_cuts_its_slug_at_a_word(edition):
    headline = "URGENT: " + "Tokyo commuter rail halts after a power fault " * 3
    story = create_draft(_item(headline=headline), edition=edition)
    assert story.title.startswith("Tokyo commuter rail")
    assert len(story.slug) <= 80 and not story.slug.endswith("-")
    assert f"-{story.slug.rsplit('-', 1)[1]}-" in "-" + "-".join(headline.lower().split()) + "-"


def test_the_draft_form_offers_the_chosen_editions_sections_only(client, edition):
    russian = create_edition("ru", site_name="Тест", agency="Тест", time_zone="Europe/Moscow")
    Section.objects.create(edition=russian, slug="mir", name="Мир")
    client.force_login(User.objects.create_superuser("desk", "desk@example.org", "pw"))
    item = _item()
    english = client.get(f"/admin/wire/items/{item.pk}/").content.decode()
    form = english[english.index('class="wire-draft-form"') :]
    form = form[: form.index("</form>")]
    assert "World" in form and "Мир" not in form
    page = client.get(f"/admin/wire/items/{item.pk}/?edition={russian.pk}").content.decode()
    form = page[page.index('class="wire-draft-form"') :]
    form = form[: form.index("</form>")]
    assert "Мир" in form and "World" not in form
    # A section of another edition is refused, not filed across editions.
    with pytest.raises(DraftError):
        create_draft(item, edition=edition, section=Section.objects.get(slug="mir"))
    response = client.post(
        f"/admin/wire/items/{item.pk}/draft/",
        {"edition": edition.pk, "section": Section.objects.get(slug="mir").pk},
        follow=True,
    )
    assert not ArticlePage.objects.exists()
    assert "is not one of the edition" in response.content.decode()
