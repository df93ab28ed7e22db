"""A tag or a person only unpublished stories have is no tag or person to readers (issue 17,
finding 8): their pages and feeds answer 404, per edition, and the API's filters answer as for
a tag or author that does not exist. The rule is the one every public surface uses,
ArticlePage.objects.visible()."""

import datetime as dt

import pytest
from django.utils import timezone

from dateline.articles.actions import publish_story, withdraw_story
from dateline.editions.actions import create_edition
from dateline.people.models import Person


def addresses(kind: str, slug: str, lang: str = "en") -> list[str]:
    base = f"/{lang}/{kind}/{slug}/"
    return [base, f"{base}feed/", f"{base}feed/atom/"]


def statuses(client, kind, slug, lang="en"):
    return [client.get(url).status_code for url in addresses(kind, slug, lang)]


def draft(make_story):
    return make_story("Secret Merger Talks", tags=["merger"], bylines=["Nina Holt"], publish=False)


def scheduled(make_story):
    return make_story(
        "Secret Merger Talks",
        tags=["merger"],
        bylines=["Nina Holt"],
        published_at=timezone.now() + dt.timedelta(hours=2),
    )


def withdrawn(make_story):
    story = make_story("Secret Merger Talks", tags=["merger"], bylines=["Nina Holt"])
    return withdraw_story(story, reason="Legal")


@pytest.mark.parametrize("unseen", [draft, scheduled, withdrawn], ids=lambda f: f.__name__)
def test_a_tag_and_a_person_of_unseen_stories_only_are_404(client, make_story, unseen):
    unseen(make_story)
    assert statuses(client, "tags", "merger") == [404, 404, 404]
    assert statuses(client, "people", "nina-holt") == [404, 404, 404]
    # The API answers as for a tag or author there is not.
    for params in ({"tag": "merger"}, {"author": "nina-holt"}):
        unseen_answer = client.get("/api/stories", params)
        missing = client.get("/api/stories", dict.fromkeys(params, "no-such-thing"))
        assert unseen_answer.status_code == missing.status_code == 400
        assert "merger" not in unseen_answer.content.decode().replace("'merger'", "")
    assert "Secret Merger Talks" not in client.get("/api/stories").content.decode()


def test_they_answer_once_a_story_readers_see_has_them(client, make_story):
    story = draft(make_story)
    publish_story(story, at=timezone.now() - dt.timedelta(hours=1))
    assert statuses(client, "tags", "merger") == [200, 200, 200]
    assert statuses(client, "people", "nina-holt") == [200, 200, 200]
    assert "Secret Merger Talks" in client.get("/en/tags/merger/").content.decode()
    api = client.get("/api/stories", {"tag": "merger"}).json()
    assert [item["headline"] for item in api["items"]] == ["Secret Merger Talks"]
    # The story links to the tag's page and the author's, and both answer.
    html = client.get(story.url).content.decode()
    assert 'href="/en/tags/merger/"' in html and 'href="/en/people/nina-holt/"' in html


def test_each_edition_answers_for_its_own_stories(client, make_story):
    make_story("Glacier Report", tags=["ice"], bylines=["Ann Lee"])
    create_edition("ru", site_name="Тестовые новости", agency="Тествайр")
    assert statuses(client, "tags", "ice") == [200, 200, 200]
    assert statuses(client, "tags", "ice", "ru") == [404, 404, 404]
    assert statuses(client, "people", "ann-lee", "ru") == [404, 404, 404]


def test_newsroom_staff_without_a_published_story_have_no_page(client, make_story, db):
    """A decision: a person page lists a person's stories for readers; someone who has none
    that readers may see (an editor, a reporter whose first story is still a draft) has no
    page, rather than an empty one that says they work here."""
    Person.objects.create(name="Desk Editor", role="editor")
    assert statuses(client, "people", "desk-editor") == [404, 404, 404]
