import datetime as dt
import json

import pytest
from django.utils import timezone
from django_eventstream.models import Event
from wagtail.models import Page

from dateline.discussion.models import Comment, DiscussionSettings, PageDiscussion, ReaderBan


@pytest.fixture
def story(make_story):
    return make_story("Talks Resume in Geneva")


def post(client, story, text, **extra):
    return client.post(
        f"/discussion/pages/{story.pk}/comments/",
        json.dumps({"text": text, **extra}),
        content_type="application/json",
    )


def listed(client, story, **params):
    return client.get(f"/discussion/pages/{story.pk}/comments.json", params).json()


def events(story):
    return [
        (e.type, json.loads(json.loads(e.data)))
        for e in Event.objects.filter(channel=f"comments-{story.pk}", eid__gt=0).order_by("eid")
    ]


def test_a_verified_reader_posts_and_everyone_gets_it(
    client, story, make_reader, django_capture_on_commit_callbacks
):
    client.force_login(make_reader("Ada"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, story, "Good to see them talking.\n\nMore at https://example.org/x")
    assert response.status_code == 201
    comment = response.json()
    assert comment["author"] == "Ada"
    assert comment["html"] == (
        "<p>Good to see them talking.</p>\n\n<p>More at <a "
        'href="https://example.org/x" rel="nofollow ugc noopener">https://example.org/x</a></p>'
    )
    data = listed(client, story)
    assert data["count"] == 1
    assert [c["id"] for c in data["comments"]] == [comment["id"]]
    assert data["last_event_id"] == f"comments-{story.pk}:1"
    assert [kind for kind, _ in events(story)] == ["comment"]
    # The article page shows the count and the sign-in prompt; the form comes from the script.
    html = client.get(story.url).content.decode()
    assert 'class="discussion__count">1<' in html
    assert "To participate in the discussion" in html


def test_replies_are_one_level_deep(client, story, make_reader):
    client.force_login(make_reader("Ada"))
    first = post(client, story, "First.").json()
    reply = post(client, story, "A reply.", parent=first["id"]).json()
    deeper = post(client, story, "A reply to the reply.", parent=reply["id"]).json()
    assert reply["parent"] == first["id"]
    assert deeper["parent"] == first["id"]
    data = listed(client, story)
    assert data["count"] == 3
    assert [r["id"] for r in data["comments"][0]["replies"]] == [reply["id"], deeper["id"]]


def test_newest_or_oldest_first_and_load_more(client, story, make_reader):
    client.force_login(make_reader("Ada"))
    settings = DiscussionSettings.load()
    settings.burst_count = 0
    settings.save()
    ids = []
    for n in range(23):
        comment = post(client, story, f"Comment number {n}.").json()
        Comment.objects.filter(pk=comment["id"]).update(
            created_at=timezone.now() - dt.timedelta(minutes=30 - n)
        )
        ids.append(comment["id"])
    newest = listed(client, story)
    assert [c["id"] for c in newest["comments"]] == ids[::-1][:20]
    rest = listed(client, story, after=newest["next"])
    assert [c["id"] for c in rest["comments"]] == ids[::-1][20:]
    assert rest["next"] is None
    oldest = listed(client, story, order="oldest")
    assert [c["id"] for c in oldest["comments"]][:3] == ids[:3]
    assert client.get(f"/discussion/pages/{story.pk}/comments.json?after=abc").status_code == 400


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("anonymous", "Sign in"),
        ("unverified", "Confirm your e-mail address"),
        ("banned", "can no longer post"),
    ],
)
def test_only_signed_in_verified_readers_who_are_not_banned_post(
    client, story, make_reader, who, message
):
    if who != "anonymous":
        reader = make_reader("Bob", verified=(who != "unverified"))
        if who == "banned":
            ReaderBan.objects.create(user=reader, reason="spam")
        client.force_login(reader)
    response = post(client, story, "Hello.")
    assert response.status_code == 403
    assert message in response.json()["error"]
    assert not Comment.objects.exists()


def test_closed_and_premoderated_pages(
    client, story, make_reader, django_capture_on_commit_callbacks
):
    client.force_login(make_reader("Ada"))
    PageDiscussion.objects.create(page=story, mode=PageDiscussion.Mode.CLOSED)
    response = post(client, story, "Hello.")
    assert response.status_code == 403
    assert response.json()["error"] == "Comments on this story are closed."
    assert listed(client, story)["mode"] == "closed"

    PageDiscussion.objects.filter(page=story).update(mode=PageDiscussion.Mode.PREMODERATED)
    with django_capture_on_commit_callbacks(execute=True):
        held = post(client, story, "Hello again.")
    assert held.status_code == 201 and held.json()["pending"]
    assert listed(client, story)["count"] == 0
    assert Comment.objects.get().hold_reason == "pre-moderated page"
    assert events(story) == []


def test_comments_close_by_themselves_after_the_set_days(client, make_story, make_reader):
    old = make_story("Last Month's Story")
    Page.objects.filter(pk=old.pk).update(first_published_at=timezone.now() - dt.timedelta(days=15))
    client.force_login(make_reader("Ada"))
    assert post(client, old, "Late comment.").status_code == 403
    settings = DiscussionSettings.load()
    settings.close_after_days = 30
    settings.save()
    assert post(client, old, "Late comment.").status_code == 201


@pytest.mark.parametrize(
    ("setting", "text", "reason"),
    [
        ({"banned_words": "scam\nfree money"}, "This is FREE MONEY for all.", "banned word"),
        ({"max_links": 1}, "See http://a.example and http://b.example", "more than 1 link"),
        ({"new_account_held": 1}, "My very first comment.", "first comments"),
    ],
)
def test_automatic_holds_give_moderators_the_reason(
    client, story, make_reader, setting, text, reason
):
    settings = DiscussionSettings.load()
    for name, value in setting.items():
        setattr(settings, name, value)
    settings.save()
    client.force_login(make_reader("Ada"))
    response = post(client, story, text)
    assert response.json()["pending"]
    assert reason in Comment.objects.get().hold_reason
    assert listed(client, story)["count"] == 0


def test_a_repeat_and_a_burst_are_held_and_a_flood_refused(client, story, make_reader):
    client.force_login(make_reader("Ada"))
    assert post(client, story, "Same words.").json().get("pending") is None
    assert (
        "repeats an earlier comment"
        in Comment.objects.get(pk=post(client, story, "same words.").json()["id"]).hold_reason
    )
    for n in range(3):
        post(client, story, f"Burst {n}.")
    assert "a burst" in Comment.objects.latest("pk").hold_reason
    for n in range(3):
        post(client, story, f"Flood {n}.")
    response = post(client, story, "One more.")
    assert response.status_code == 429
    assert "too fast" in response.json()["error"]


def test_reports_hold_a_comment(client, story, make_reader, django_capture_on_commit_callbacks):
    client.force_login(make_reader("Ada"))
    comment = post(client, story, "A hot take.").json()
    for name in ("Bea", "Cy", "Dee"):
        client.force_login(make_reader(name))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/discussion/comments/{comment['id']}/report/", {"reason": "abuse"}
            )
        assert response.json()["reported"]
    again = client.post(f"/discussion/comments/{comment['id']}/report/", {"reason": "abuse"})
    assert again.status_code == 404  # held now, so no longer reportable
    held = Comment.objects.get(pk=comment["id"])
    assert held.status == "pending" and held.hold_reason == "reported by 3 readers"
    assert listed(client, story)["count"] == 0
    assert [kind for kind, _ in events(story)][-1] == "comment-remove"


def test_a_moderator_approves_rejects_and_bans(
    client, story, make_reader, admin_user, django_capture_on_commit_callbacks
):
    PageDiscussion.objects.create(page=story, mode=PageDiscussion.Mode.PREMODERATED)
    reader = make_reader("Ada")
    client.force_login(reader)
    first = post(client, story, "Please approve me.").json()
    second = post(client, story, "Something rude.").json()

    client.force_login(admin_user)
    queue = client.get("/admin/discussion/").content.decode()
    assert "Please approve me." in queue and "pre-moderated page" in queue
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/discussion/{first['id']}/approve/")
    assert listed(client, story)["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/discussion/{first['id']}/reject/")
    assert listed(client, story)["count"] == 0
    assert [kind for kind, _ in events(story)] == ["comment", "comment-remove"]
    client.post(f"/admin/discussion/{second['id']}/ban/", {"reason": "rude"})
    assert ReaderBan.objects.get(user=reader).reason == "rude"

    client.force_login(reader)
    assert post(client, story, "Let me back in.").status_code == 403


def test_a_moderator_without_the_right_cannot_moderate(client, story, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/discussion/").status_code in (302, 403)


def test_readers_edit_within_minutes_and_delete_their_own(
    client, story, make_reader, django_capture_on_commit_callbacks
):
    ada = make_reader("Ada")
    client.force_login(ada)
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(client, story, "Tpyo here.").json()
    with django_capture_on_commit_callbacks(execute=True):
        edited = client.post(
            f"/discussion/comments/{comment['id']}/edit/",
            json.dumps({"text": "Typo fixed."}),
            content_type="application/json",
        ).json()
    assert edited["edited"] and "Typo fixed." in edited["html"]

    client.force_login(make_reader("Eve"))
    response = client.post(f"/discussion/comments/{comment['id']}/delete/")
    assert response.status_code == 403

    client.force_login(ada)
    Comment.objects.filter(pk=comment["id"]).update(
        created_at=timezone.now() - dt.timedelta(minutes=6)
    )
    late = client.post(
        f"/discussion/comments/{comment['id']}/edit/",
        json.dumps({"text": "Too late."}),
        content_type="application/json",
    )
    assert late.status_code == 403 and "5 minutes" in late.json()["error"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/discussion/comments/{comment['id']}/delete/").json()["deleted"]
    assert listed(client, story)["count"] == 0
    assert [kind for kind, _ in events(story)] == ["comment", "comment-update", "comment-remove"]


HOSTILE = [
    ("", 400, "Write something"),
    ("   \n\t  ", 400, "Write something"),
    ("x" * 2001, 400, "At most 2000 characters"),
    ("null byte \x00 here", 400, "control"),
    ("bell \x07", 400, "control"),
    ("\u202eevil reversed", 400, "direction"),
    ("<script>alert(1)</script>", 400, "plain text"),
    ('<img src=x onerror="alert(1)">', 400, "plain text"),
    ("fish &amp; chips", 400, "plain text"),
    ("\ud800 lone surrogate", 400, "Unicode"),
]


@pytest.mark.parametrize(("text", "status", "message"), HOSTILE)
def test_hostile_comments_are_refused_with_a_reason_and_nothing_is_stored(
    client, story, make_reader, text, status, message
):
    client.force_login(make_reader("Mal"))
    response = client.post(
        f"/discussion/pages/{story.pk}/comments/",
        json.dumps({"text": text}),
        content_type="application/json",
    )
    assert response.status_code == status
    assert message in response.json()["error"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ('["a list"]', "application/json", 400),
        (json.dumps({"text": "x" * 20_000}), "application/json", 413),
        (json.dumps({"text": "Hi", "parent": "1 OR 1=1"}), "application/json", 400),
        (json.dumps({"text": "Hi", "parent": 999999}), "application/json", 400),
        (json.dumps({"text": ["a", "list"]}), "application/json", 400),
    ],
)
def test_malformed_requests_get_a_clear_error(
    client, story, make_reader, body, content_type, status
):
    client.force_login(make_reader("Mal"))
    response = client.post(
        f"/discussion/pages/{story.pk}/comments/", body, content_type=content_type
    )
    assert response.status_code == status
    assert response.json()["error"]
    assert not Comment.objects.exists()


def test_links_never_become_script(client, story, make_reader):
    client.force_login(make_reader("Ada"))
    html = post(
        client, story, 'javascript:alert(1) and http://ex.example/"onmouseover=alert(1)'
    ).json()["html"]
    assert 'href="javascript' not in html
    # The quote that tried to end the link's address is text, not markup.
    assert html.endswith('</a>"onmouseover=alert(1)</p>')


def test_posting_needs_csrf(story, make_reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_reader("Ada"))
    assert post(client, story, "Hello.").status_code == 403
    assert not Comment.objects.exists()


def test_pages_without_comments_refuse_them(client, edition, make_reader):
    client.force_login(make_reader("Ada"))
    response = client.post(
        f"/discussion/pages/{edition.pk}/comments/",
        json.dumps({"text": "On the edition page?"}),
        content_type="application/json",
    )
    assert response.status_code == 404


def test_fronts_get_comment_counts_for_their_cards_in_one_request(
    client, story, make_story, make_reader, django_assert_num_queries
):
    other = make_story("No Comments Here")
    client.force_login(make_reader("Ada"))
    post(client, story, "One.")
    post(client, story, "Two.")
    client.logout()
    front = client.get("/en/").content.decode()
    assert f'data-comment-count="{story.pk}"' in front
    with django_assert_num_queries(1):
        counts = client.get(f"/discussion/counts.json?ids={story.pk},{other.pk}").json()
    assert counts == {str(story.pk): 2}
    assert client.get("/discussion/counts.json?ids=x").status_code == 400
