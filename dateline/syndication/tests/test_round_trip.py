"""Round trip: the wire desk reading Dateline's own ninjs (2.2 and 3.1) and NewsML-G2 gives back
the same story, and a draft made from it on the desk is that story again.

Compared: headline, standfirst, body paragraphs and quotes (with their attribution), bylines
in order, dateline (place and agency), publication time, language, sections and tags (as
subjects), and each photo's caption, photographer, credit line and copyright notice. Not
carried over by design: photos into the draft (the desk lists them; an editor picks them),
the dateline place's country, related-story cards (they come back as links)."""

import pytest

from dateline.articles.models import ArticlePage
from dateline.syndication import content
from dateline.syndication.tests.test_ninjs import story_with_everything
from dateline.wire.actions import create_draft
from dateline.wire.ingest import store_items
from dateline.wire.parsers import parse

FORMATS = [(".ninjs.json", "ninjs"), (".ninjs3.json", "ninjs"), (".newsml.xml", "newsml")]


def plain_story(make_story, make_photo):
    return make_story(
        "Words Only: Budget Talks Resume",
        standfirst="Ministers meet again on Monday.",
        section="europe",
        tags=["Budget"],
        bylines=["Tom Reed", "Ana Lobo", "Li Wei"],
        place=("Brussels", "BE"),
        agency="Eurowire",
        photo=False,
        body=[
            {"type": "paragraph", "value": "<p>Talks <i>resume</i> on Monday.</p>"},
            {
                "type": "paragraph",
                "value": '<p>See <a href="https://example.org/budget">the draft budget</a>.</p>',
            },
            {"type": "quote", "value": {"text": "We are close.", "attribution": ""}},
        ],
    )


def undated_story(make_story, make_photo):
    return make_story("No Dateline, One Photo", bylines=["Aiko Sato"], tags=["Ferries"])


STORIES = {
    "photos, quote, two bylines": story_with_everything,
    "no photo, three bylines": plain_story,
    "one photo, no dateline": undated_story,
}


def text_blocks(story: ArticlePage) -> list[tuple[str, object]]:
    """Return the story's paragraphs (their HTML) and quotes, in order."""
    found = []
    for block in story.body:
        if block.block_type == "paragraph":
            found.append(("paragraph", block.value.source))
        elif block.block_type == "quote":
            found.append(("quote", (block.value["text"], block.value["attribution"])))
    return found


def photo_credits(story: ArticlePage) -> list[tuple[str, str, str, str]]:
    return [
        (use.caption, use.photographer, use.photo.credit_line, use.copyright_notice)
        for use in content.photo_uses(story)
    ]


@pytest.mark.parametrize("kind", STORIES)
@pytest.mark.parametrize(("suffix", "format"), FORMATS)
def test_the_wire_desk_reads_our_own_export_as_the_same_story(
    client, edition, make_story, make_photo, kind, suffix, format
):
    story = STORIES[kind](make_story, make_photo)
    response = client.get(f"/api/stories/{story.pk}{suffix}")
    assert response.status_code == 200

    [item] = parse(response.content, content_type=response.headers["Content-Type"])
    assert item.format == format
    assert item.kind == "text"
    assert item.original_id == content.story_guid(story)
    assert item.headline == story.title
    assert item.summary == story.standfirst
    assert item.byline == ", ".join(b.person.name for b in story.bylines.all())
    assert item.first_created == story.published_at
    assert item.language == "en"
    assert item.agency == story.agency
    assert item.located == (story.dateline_place.name if story.dateline_place else "")
    if format == "newsml":
        assert item.dateline == story.dateline_text.removesuffix(" –")
    sections = [story.primary_section, *story.further_sections.all()]
    assert item.subjects == [s.name for s in sections] + [t.name for t in story.tags.all()]
    assert [(p.caption, p.photographer, p.credit, p.copyright) for p in item.photos] == (
        photo_credits(story)
    )
    assert all(p.url.startswith("http://127.0.0.1:8000/") for p in item.photos)

    # On the desk, one click makes a draft of it: the same story again.
    [wire_item] = store_items([item], origin="round trip").created
    draft = create_draft(wire_item, edition=edition, section=story.primary_section)
    assert draft.title == story.title
    if story.standfirst:
        assert draft.standfirst == story.standfirst
    else:
        # A story sent without a standfirst gets the desk's usual one: its first sentence.
        assert draft.standfirst and draft.standfirst in text_blocks(story)[0][1]
    assert text_blocks(draft) == text_blocks(story)
    assert [b.person for b in draft.bylines.all()] == [b.person for b in story.bylines.all()]
    assert draft.dateline_text == story.dateline_text
    if story.dateline_place:
        assert draft.dateline_place.name == story.dateline_place.name
    assert {t.name for t in story.tags.all()} <= {t.name for t in draft.tags.all()}
