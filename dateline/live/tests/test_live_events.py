import json

import pytest
from django_eventstream.models import Event

from dateline.live.channels import is_public_channel
from dateline.live.hub import BadStreamRequest, parse_request
from dateline.live.models import BreakingNews, LiveEntry
from dateline.newsroom.roles import EDITORS, REPORTERS, setup_newsroom


def stored(channel):
    return [
        (event.type, json.loads(json.loads(event.data)))
        for event in Event.objects.filter(channel=channel, eid__gt=0).order_by("eid")
    ]


# --- requests for a stream


def test_a_stream_request_names_public_channels_and_where_to_resume():
    channels, resume = parse_request(b"channel=edition-en&channel=coverage-12", "edition-en:7")
    assert channels == ["edition-en", "coverage-12"]
    assert resume == {"edition-en": 7}
    # A page's own id, when the browser sends no header.
    assert parse_request(b"channel=edition-en&lastEventId=edition-en:3", None)[1] == {
        "edition-en": 3
    }


@pytest.mark.parametrize(
    ("query", "last_event_id", "message"),
    [
        (b"", None, "No channel given."),
        (b"channel=user-1", None, "No such channel: 'user-1'."),
        (b"channel=edition-english", None, "No such channel"),
        (b"channel=coverage-0", None, "No such channel"),
        (b"&".join(b"channel=coverage-%d" % i for i in range(1, 6)), None, "At most 4"),
        (b"channel=edition-en", "edition-en:abc", "Last-Event-ID"),
        (b"channel=edition-en", "edition-en", "Last-Event-ID"),
        (b"channel=edition-en", "edition-en:" + "9" * 30, "Last-Event-ID"),
    ],
)
def test_a_bad_stream_request_is_refused_with_the_reason(query, last_event_id, message):
    with pytest.raises(BadStreamRequest, match=message):
        parse_request(query, last_event_id)


def test_only_edition_and_coverage_channels_are_public():
    assert is_public_channel("edition-ar")
    assert is_public_channel("coverage-4")
    assert not is_public_channel("edition-en\n")
    assert is_public_channel("comments-4")
    assert not is_public_channel("user-4")


# --- what is published, and when


def test_publishing_a_story_sends_one_event_after_commit(
    make_story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_story("Floods Recede in the Delta")
    events = stored("edition-en")
    assert [kind for kind, _ in events] == ["story"]
    assert events[0][1]["headline"] == "Floods Recede in the Delta"
    assert events[0][1]["url"] == story.url
    assert events[0][1]["section"] == "World"

    # Publishing it again (an edit) is an update, not a new story.
    with django_capture_on_commit_callbacks(execute=True):
        story.title = "Floods Recede Across the Delta"
        story.save_revision().publish()
    assert [kind for kind, _ in stored("edition-en")] == ["story", "story-update"]


def test_nothing_is_sent_for_a_transaction_that_rolls_back(make_story):
    # Without the commit callbacks running, no event is stored.
    make_story("Never Committed")
    assert stored("edition-en") == []


def test_a_scheduled_story_sends_nothing_until_it_goes_live(
    make_story, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        make_story("Tomorrow's Story", published_at=timezone.now() + dt.timedelta(hours=3))
    assert stored("edition-en") == []


def test_the_newsfeed_json_lists_the_latest_stories_with_the_stream_position(
    client, make_story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_story("Older Story")
        make_story("Newer Story")
    response = client.get("/en/newsfeed.json")
    data = response.json()
    assert response["Cache-Control"] == "no-cache"
    assert data["last_event_id"] == "edition-en:2"
    assert [item["headline"] for item in data["items"]][:2] == ["Newer Story", "Older Story"]
    assert client.get("/xx/newsfeed.json").status_code == 404


def test_every_page_of_an_edition_has_the_newsfeed_and_its_stream_position(
    client, make_story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_story("Markets Rally on Rate Hopes")
    for path in ("/en/", "/en/world/", story.url):
        html = client.get(path).content.decode()
        assert 'data-channels="edition-en"' in html
        assert 'data-last-event-id="edition-en:1"' in html
        assert "Markets Rally on Rate Hopes</a></li>" in html


# --- breaking news


@pytest.fixture
def staff(edition, django_user_model):
    groups = setup_newsroom()

    def member(name):
        user = django_user_model.objects.create_user(name.lower(), password="pw")
        user.groups.add(groups[name])
        return user

    return {EDITORS: member(EDITORS), REPORTERS: member(REPORTERS)}


def test_an_editor_marks_a_story_as_breaking_and_ends_it(
    client, staff, make_story, django_capture_on_commit_callbacks
):
    story = make_story("Earthquake Strikes Off the Coast")
    client.force_login(staff[EDITORS])
    confirm = client.get(f"/admin/live/breaking/{story.pk}/")
    assert "Mark as breaking news" in confirm.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/live/breaking/{story.pk}/")
    assert BreakingNews.objects.active().get().story_id == story.pk
    html = client.get("/en/").content.decode()
    assert (
        "Earthquake Strikes Off the Coast" in html.split('class="breaking"')[1].split("</div>")[0]
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/live/breaking/{story.pk}/")
    assert not BreakingNews.objects.active().exists()
    assert [kind for kind, _ in stored("edition-en")][-2:] == ["breaking", "breaking-end"]
    html = client.get("/en/").content.decode()
    assert 'data-flag="" hidden' in html


def test_a_reporter_cannot_mark_breaking_news(client, staff, make_story):
    story = make_story("Not Theirs to Flag")
    client.force_login(staff[REPORTERS])
    assert client.post(f"/admin/live/breaking/{story.pk}/").status_code in (302, 403)
    assert not BreakingNews.objects.exists()


# --- live coverage (the `coverage` fixture is conftest.py's)


def test_entries_of_live_coverage_go_to_its_channel(coverage, django_capture_on_commit_callbacks):
    channel = f"coverage-{coverage.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        entry = LiveEntry.objects.create(
            coverage=coverage, title="Leaders arrive", text="<p>Motorcade seen.</p>"
        )
    with django_capture_on_commit_callbacks(execute=True):
        entry.text = "<p>Motorcade <b>arrives</b>.</p>"
        entry.save()
    with django_capture_on_commit_callbacks(execute=True):
        entry.delete()
    events = stored(channel)
    assert [kind for kind, _ in events] == ["entry", "entry-update", "entry-delete"]
    assert "Motorcade seen." in events[0][1]["html"]
    assert "<b>arrives</b>" in events[1][1]["html"]
    assert events[2][1] == {"id": events[0][1]["id"]}


def test_entries_of_an_unpublished_coverage_are_not_sent(
    coverage, django_capture_on_commit_callbacks
):
    coverage.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        LiveEntry.objects.create(coverage=coverage, text="<p>Not yet public.</p>")
    assert stored(f"coverage-{coverage.pk}") == []


def test_a_coverage_page_has_every_entry_in_its_html_and_json_ld(client, coverage):
    LiveEntry.objects.create(coverage=coverage, title="Opening", text="<p>It begins.</p>")
    LiveEntry.objects.create(
        coverage=coverage, title="Deal", text="<p>A deal.</p>", is_key_event=True
    )
    pinned = LiveEntry.objects.create(
        coverage=coverage, title="Read this first", text="<p>Context.</p>", is_pinned=True
    )
    LiveEntry.objects.create(coverage=coverage, title="Newer pin", text="<p>x</p>", is_pinned=True)
    pinned.refresh_from_db()
    assert not pinned.is_pinned  # one pinned entry per coverage

    html = client.get(coverage.url).content.decode()
    for text in ("It begins.", "A deal.", "Context.", "Key events"):
        assert text in html
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "LiveBlogPosting"
    assert len(data["liveBlogUpdate"]) == 4
    assert "coverageEndTime" not in data
    assert f'data-channels="edition-en coverage-{coverage.pk}"' in html


def test_an_editor_adds_an_entry_from_the_coverage_page(client, admin_user, coverage):
    client.force_login(admin_user)
    form = client.get(f"/admin/live_entries/new/?coverage={coverage.pk}").content.decode()
    assert f'value="{coverage.pk}"' in form
    edit = client.get(f"/admin/pages/{coverage.pk}/edit/").content.decode()
    assert "Add a live entry" in edit


# --- the Pushpin tier's entrance


def test_the_proxy_stream_view_refuses_requests_not_signed_by_the_proxy(client):
    response = client.get("/events/?channel=edition-en", HTTP_GRIP_SIG="forged")
    assert response.status_code == 403
    assert "Grip-Hold" not in response.headers


def test_the_channels_of_pages_readers_cannot_see_are_refused(coverage, make_story):
    """A live page's entries and a story's comments are not streamed to readers before the
    page is published (the same rule as its page), however they guess its number."""
    from dateline.live.channels import ChannelManager, refused_channels

    draft = make_story("Secret Merger Talks", publish=False)
    story = make_story("Open Talks")
    assert refused_channels([f"coverage-{coverage.pk}", f"comments-{story.pk}"]) is None
    assert refused_channels([f"comments-{draft.pk}"]) == (
        404,
        f"No such channel: 'comments-{draft.pk}'.",
    )
    coverage.unpublish()
    assert refused_channels(["edition-en", f"coverage-{coverage.pk}"])[0] == 404
    assert not ChannelManager().can_read_channel(None, f"coverage-{coverage.pk}")
    assert ChannelManager().can_read_channel(None, f"comments-{story.pk}")
    assert refused_channels(["user-1"]) == (400, "No such channel: 'user-1'.")
