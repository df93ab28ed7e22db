"""Corrections and update notes: an editor adds them in the newsroom; they show on the story
and in its JSON-LD, and the story's modified time moves with them."""

import datetime as dt
import json
import re

from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset

from conftest import story_form
from dateline.articles.models import ArticlePage
from tests.schemaorg import problems


def json_ld(html):
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )


def add_notes(client, story, notes):
    """Post the story's form in the newsroom with ``notes`` (kind, text, time) and publish."""
    data = story_form(
        story.primary_section,
        title=story.title,
        slug=story.slug,
        paragraph="The text as corrected.",
        corrections=inline_formset(
            [
                {"kind": kind, "text": text, "published_at": when.strftime("%Y-%m-%d %H:%M")}
                for kind, text, when in notes
            ]
        ),
        **{"action-publish": "publish"},
    )
    response = client.post(f"/admin/pages/{story.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    return ArticlePage.objects.get(pk=story.pk)


def test_an_editors_correction_and_update_show_on_the_story_and_in_its_json_ld(
    client, admin_user, make_story
):
    story = make_story(
        "Bridge Reopens After Repairs", published_at=timezone.now() - dt.timedelta(days=1)
    )
    before = json_ld(client.get(story.url).content.decode())
    assert "correction" not in before
    assert before["dateModified"] == before["datePublished"]

    client.force_login(admin_user)
    fixed_at = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=30)
    updated_at = fixed_at + dt.timedelta(minutes=10)
    story = add_notes(
        client,
        story,
        [
            ("correction", "An earlier version gave the wrong length of the bridge.", fixed_at),
            ("update", "Traffic now flows in both directions.", updated_at),
        ],
    )
    client.logout()
    html = client.get(story.url).content.decode()
    correction, update = story.corrections.order_by("published_at")
    aside = html[html.index('class="corrections"') : html.index("</aside>")]
    assert f'id="correction-{correction.pk}"><strong>Correction</strong>' in aside
    assert "An earlier version gave the wrong length of the bridge." in aside
    assert f'id="correction-{update.pk}"><strong>Update</strong>' in aside
    assert f'<time datetime="{fixed_at.isoformat(timespec="seconds")}">' in aside
    assert 'href="/en/corrections/"' in aside
    assert (
        f'<span>Updated <time datetime="{story.modified_at.isoformat(timespec="seconds")}">' in html
    )

    data = json_ld(html)
    assert problems(data) == []
    # schema.org's `correction` holds the correction, not the update note.
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version gave the wrong length of the bridge.",
            "datePublished": fixed_at.isoformat(),
            "url": f"http://127.0.0.1:8000{story.url}#correction-{correction.pk}",
        }
    ]
    assert data["dateModified"] > before["dateModified"]
    assert data["datePublished"] == before["datePublished"]


def test_the_modified_time_is_the_latest_note_when_it_comes_after_the_last_publish(make_story):
    from dateline.articles.models import Correction

    story = make_story("Late Note Story", published_at=timezone.now() - dt.timedelta(days=2))
    later = timezone.now() + dt.timedelta(seconds=5)
    story.corrections.add(Correction(kind="update", text="More later.", published_at=later))
    story.save_revision().publish()
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.modified_at == later
