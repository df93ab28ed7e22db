import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from dateline.articles.models import ArchivePage, ArticlePage


def generate(n: int, **options) -> str:
    out = io.StringIO()
    call_command("generate-archive", stories=n, stdout=out, **options)
    return out.getvalue()


def test_it_adds_published_stories_that_readers_find_everywhere(client, edition, make_story):
    make_story("A story written by hand")
    output = generate(60, years=2, batch_size=25)

    assert "[50/60]" in output and "Added 60 stories to en" in output
    assert ArticlePage.objects.visible().filter(edition=edition).count() == 61
    # The tree is whole: paths, depths and child counts agree (treebeard's own check).
    assert all(not problems for problems in Page.find_problems())
    story = (
        ArticlePage.objects.visible()
        .exclude(title="A story written by hand")
        .latest("published_at")
    )
    page = client.get(story.url)
    assert page.status_code == 200 and story.title in page.content.decode()
    assert story.title in client.get("/en/archive/").content.decode()
    assert story.title in client.get(f"/en/{story.primary_section.slug}/").content.decode()
    tag = story.tags.first()
    assert story.title in client.get(f"/en/tags/{tag.slug}/").content.decode()
    person = story.bylines.first().person
    assert story.title in client.get(f"/en/people/{person.slug}/").content.decode()
    word = story.title.split()[-1]
    assert "story matches" in client.get("/en/search/", {"q": word}).content.decode() or (
        "stories match" in client.get("/en/search/", {"q": word}).content.decode()
    )
    assert story.title in client.get("/en/feed/").content.decode()


def test_a_second_run_files_into_the_buckets_there_are(edition):
    generate(40, years=1)
    generate(40, years=1, seed=1)  # many of the same days again
    periods = list(ArchivePage.objects.values_list("year", "month", "day"))
    assert len(periods) == len(set(periods))
    assert ArticlePage.objects.filter(edition=edition).count() == 80
    assert all(not problems for problems in Page.find_problems())


def test_it_refuses_an_unknown_edition_and_changes_nothing(edition):
    with pytest.raises(CommandError, match="No edition 'xx'"):
        generate(5, edition="xx")
    with pytest.raises(CommandError, match="at least 1"):
        generate(0)
    assert not ArticlePage.objects.exists()
