"""The corrections page: every correction and update note of an edition, newest first."""

import datetime as dt

from django.utils import timezone

from dateline.articles.models import ArticlePage, Correction


def ago(minutes):
    return timezone.now() - dt.timedelta(minutes=minutes)


def note(story, kind, text, when):
    story.corrections.add(Correction(kind=kind, text=text, published_at=when))
    story.save_revision().publish()
    return ArticlePage.objects.get(pk=story.pk).corrections.get(text=text)


def main_of(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_it_lists_corrections_and_updates_newest_first_with_links_to_them(client, make_story):
    bridge = make_story("Bridge Story")
    budget = make_story("Budget Story")
    older = note(bridge, "correction", "The bridge is 2 km long, not 3.", ago(50))
    newer = note(budget, "update", "Parliament passed the budget.", ago(10))
    response = client.get("/en/corrections/")
    assert response.status_code == 200
    html = main_of(response)
    assert html.index("Parliament passed the budget.") < html.index("The bridge is 2 km long")
    assert f'href="{budget.url}#correction-{newer.pk}">Budget Story</a>' in html
    assert f'href="{bridge.url}#correction-{older.pk}">Bridge Story</a>' in html
    assert ">Update</strong>" in html and ">Correction</strong>" in html


def test_it_leaves_out_notes_readers_cannot_see_yet_or_any_more(client, make_story):
    from dateline.articles.actions import withdraw_story

    shown = make_story("Visible Story")
    note(shown, "correction", "Shown note.", ago(5))
    note(shown, "update", "A note timed for later.", timezone.now() + dt.timedelta(hours=1))
    withdrawn = make_story("Withdrawn Story")
    note(withdrawn, "correction", "Note of a withdrawn story.", ago(5))
    withdraw_story(withdrawn)
    draft = make_story("Draft Story", publish=False)
    draft.corrections.add(
        Correction(kind="correction", text="Note of a draft.", published_at=ago(5))
    )
    draft.save()
    html = main_of(client.get("/en/corrections/"))
    assert "Shown note." in html
    for hidden in ("A note timed for later.", "Note of a withdrawn story.", "Note of a draft."):
        assert hidden not in html


def test_it_is_paginated(client, make_story):
    story = make_story("Much Corrected Story")
    for n in range(25):
        story.corrections.add(
            Correction(kind="correction", text=f"Fix number {n:02d}.", published_at=ago(100 - n))
        )
    story.save_revision().publish()
    first = main_of(client.get("/en/corrections/"))
    assert first.count("Fix number") == 20 and "Fix number 24." in first
    assert 'rel="next" href="?page=2"' in first
    second = main_of(client.get("/en/corrections/?page=2"))
    assert second.count("Fix number") == 5 and "Fix number 00." in second


def test_an_edition_without_notes_says_so(client, edition):
    assert "No corrections or updates yet." in main_of(client.get("/en/corrections/"))
    assert client.get("/ru/corrections/").status_code == 404
