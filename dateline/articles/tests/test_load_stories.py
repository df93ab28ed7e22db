import json

import pytest
from django.core.management import CommandError, call_command

from dateline.articles.models import ArticlePage
from dateline.demo.photos import make_photo
from dateline.mediabank.models import Photo


def photo(name, **extra):
    return {
        "file": f"photos/{name}.jpg",
        "caption": f"Caption of {name}",
        "alt": "A view",
        "photographer": "Kwame Asante",
        "agency": "Testwire",
        "copyright": "© Testwire",
        **extra,
    }


def story(slug, **fields):
    data = {
        "edition": "en",
        "section": "world",
        "kind": "news",
        "slug": slug,
        "headline": slug.replace("-", " ").title(),
        "standfirst": "A standfirst.",
        "dateline": {"place": "Nairobi", "country": "KE"},
        "bylines": ["Daniel Mensah"],
        "tags": ["trade"],
        "lead_photo": photo(slug),
        "body": [{"type": "paragraph", "text": f"Body of {slug}."}],
        "published_at": "-2h",
    }
    data.update(fields)
    return data


@pytest.fixture
def story_file(tmp_path):
    def write(stories, raw=None):
        for entry in stories:
            for spec in [entry.get("lead_photo")] + [
                b.get("photo") for b in entry.get("body", []) if isinstance(b, dict)
            ]:
                if spec and spec["file"].startswith("photos/"):
                    make_photo(tmp_path / spec["file"])
        path = tmp_path / "stories.json"
        path.write_text(raw if raw is not None else json.dumps(stories, indent=2))
        return path

    return write


def load(path, *args):
    call_command("load-stories", str(path), *args, verbosity=0)


def test_it_loads_and_publishes_a_good_file(edition, story_file, client):
    path = story_file(
        [
            story("older-story", published_at="-1d"),
            story(
                "newer-story",
                section="asia",
                sections=["business"],
                kind="analysis",
                bylines=["Daniel Mensah", "Sofia Marchetti"],
                tags=["trade", "ports"],
                body=[
                    {"type": "paragraph", "text": "Opening <b>words</b> & more."},
                    {"type": "quote", "text": "We shall see", "attribution": "A minister"},
                    {"type": "related", "story": "older-story"},
                    {"type": "read_more", "story": "Older Story"},
                    {"type": "image", "photo": photo("inline")},
                    {"type": "embed", "url": "https://vimeo.com/123456", "title": "Film"},
                ],
            ),
        ]
    )
    load(path, "--publish")
    newer = ArticlePage.objects.get(slug="newer-story")
    older = ArticlePage.objects.get(slug="older-story")
    assert newer.live and older.live
    assert newer.primary_section.slug == "asia"
    assert [s.slug for s in newer.further_sections.all()] == ["business"]
    assert newer.kind == "analysis"
    assert [b.person.name for b in newer.bylines.all()] == ["Daniel Mensah", "Sofia Marchetti"]
    assert sorted(t.name for t in newer.tags.all()) == ["ports", "trade"]
    assert newer.dateline_text == "NAIROBI (Testwire) –"
    assert newer.lead_photo.caption == "Caption of newer-story"
    assert newer.lead_photo.photographer.name == "Kwame Asante"
    assert [b.block_type for b in newer.body] == [
        "paragraph",
        "quote",
        "related",
        "read_more",
        "image",
        "embed",
    ]
    assert newer.body[2].value["story"].pk == older.pk
    assert newer.body[3].value["story"].pk == older.pk
    assert older.published_at < newer.published_at
    html = client.get(newer.url).content.decode()
    # Text is text: markup in "text" is shown, never interpreted.
    assert "Opening &lt;b&gt;words&lt;/b&gt; &amp; more." in html
    assert "Older Story" in html and "We shall see" in html


def test_without_publish_it_makes_drafts(edition, story_file, client):
    load(story_file([story("a-draft")]))
    draft = ArticlePage.objects.get(slug="a-draft")
    assert not draft.live
    assert client.get("/en/").content.decode().count("A Draft") == 0


def test_a_future_time_is_scheduled_not_shown(edition, story_file, client):
    load(story_file([story("tomorrows-news", published_at="+1d")]), "--publish")
    page = ArticlePage.objects.get(slug="tomorrows-news")
    assert not page.live and page.go_live_at is not None
    assert "Tomorrows News" not in client.get("/en/").content.decode()


def test_a_photo_used_twice_is_stored_once(edition, story_file):
    shared = photo("shared")
    load(
        story_file([story("one", lead_photo=shared), story("two", lead_photo=shared)]), "--publish"
    )
    assert Photo.objects.count() == 1


def test_html_paragraphs_are_sanitised(edition, story_file, client):
    load(
        story_file(
            [
                story(
                    "markup",
                    body=[
                        {
                            "type": "paragraph",
                            "html": 'Safe <strong>bold</strong> <a href="javascript:alert(1)">x</a>'
                            "<script>alert(2)</script><img src=x onerror=alert(3)>",
                        }
                    ],
                )
            ]
        ),
        "--publish",
    )
    html = client.get(ArticlePage.objects.get(slug="markup").url).content.decode()
    body = html[html.index('class="story-body"') :]
    assert "<b>bold</b>" in body
    assert "javascript:" not in body and "<script>alert" not in body and "onerror" not in body


@pytest.mark.parametrize(
    ("stories", "raw", "message"),
    [
        (None, '[\n  {"edition": "en",\n  "section": }\n]', "stories.json:3: not valid JSON"),
        ([story("ok"), story("bad", section="sport")], None, "edition 'en' has no section 'sport'"),
        ([story("ok"), story("bad", kind="gossip")], None, "kind 'gossip' is not one of"),
        (
            [story("ok"), story("bad", body=[{"type": "video"}])],
            None,
            "body block 1: unknown block type 'video'",
        ),
        (
            [story("ok"), story("bad", body=[{"type": "related", "story": "nowhere"}])],
            None,
            "no story with slug or headline 'nowhere'",
        ),
        ([story("ok"), story("bad", lead_photo={"file": "missing.jpg"})], None, "does not exist"),
        (
            [story("ok"), story("bad", published_at="yesterday")],
            None,
            "neither ISO 8601 nor a relative time",
        ),
        (
            [story("ok"), story("bad", published_at="2026-01-01T10:00:00")],
            None,
            "needs a timezone offset",
        ),
        ([story("ok"), story("ok")], None, "slug 'ok' is used twice"),
        ([story("ok"), story("bad", edition="xx")], None, "there is no edition 'xx'"),
        ([story("ok"), story("bad", headline="")], None, "headline is missing"),
        ([story("ok"), story("bad", colour="red")], None, "unknown keys: colour"),
        (None, '{"stories": []}', "must hold a JSON list"),
    ],
)
def test_a_bad_file_is_rejected_with_line_and_reason_and_loads_nothing(
    edition, story_file, stories, raw, message
):
    path = story_file(stories or [], raw=raw)
    pages_before = ArticlePage.objects.count()
    with pytest.raises(CommandError) as error:
        load(path, "--publish")
    assert message in str(error.value)
    assert "Nothing was loaded" in str(error.value)
    assert ArticlePage.objects.count() == pages_before == 0
    assert Photo.objects.count() == 0


def test_the_error_names_the_line_of_the_bad_story(edition, story_file):
    path = story_file([story("ok"), story("bad", section="sport")])
    starts = [n for n, text in enumerate(path.read_text().splitlines(), 1) if text == "  {"]
    line = starts[1]  # the second story's opening brace
    with pytest.raises(CommandError, match=rf"stories.json:{line}: edition"):
        load(path)


def test_a_second_load_of_the_same_file_is_refused(edition, story_file):
    path = story_file([story("once")])
    load(path, "--publish")
    with pytest.raises(CommandError, match="already exists"):
        load(path, "--publish")
    assert ArticlePage.objects.count() == 1


def test_it_reports_progress_and_a_summary(edition, story_file, capsys):
    call_command("load-stories", str(story_file([story("one"), story("two")])), "--publish")
    out = capsys.readouterr().out
    assert "[1/2]" in out and "[2/2]" in out
    assert "Loaded 2 stories" in out and "2 published" in out and "2 photos added" in out
