from django.core.management import call_command

from dateline.subscriptions.tests.conftest import confirmed_subscriber


def test_the_newsroom_sees_each_list_with_its_subscribers_and_last_issue(
    client, admin_client, lists, make_story
):
    confirmed_subscriber(client, "reader@example.org", lists["digest"])
    make_story("Bridge Opens To Traffic")
    call_command("send-newsletters", "--newsletter", str(lists["digest"].pk), "--now")
    page = admin_client.get("/admin/newsletters/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Daily digest" in html and "Breaking news alerts" in html
    assert "sent, 1 sent" in html


def test_the_newsroom_adds_a_sections_digest(admin_client, edition, lists):
    from dateline.sections.models import Section
    from dateline.subscriptions.models import Newsletter

    asia = Section.objects.get(edition=edition, slug="asia")
    response = admin_client.post(
        "/admin/newsletters/new/",
        {
            "edition": edition.pk,
            "kind": "digest",
            "section": asia.pk,
            "title": "",
            "send_time": "06:30",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Newsletter.objects.get(section=asia).display_title == "Asia: daily digest"
    # The same list twice is refused.
    again = admin_client.post(
        "/admin/newsletters/new/",
        {"edition": edition.pk, "kind": "digest", "section": asia.pk, "send_time": "06:30"},
    )
    assert again.status_code == 200
    assert Newsletter.objects.filter(section=asia).count() == 1


def test_editors_and_administrators_run_the_newsletters_and_reporters_do_not(
    client, edition, lists, django_user_model
):
    from dateline.newsroom.roles import setup_newsroom

    groups = setup_newsroom()
    for group, allowed in [("Editors", True), ("Administrators", True), ("Reporters", False)]:
        user = django_user_model.objects.create_user(group.lower(), password="pw")
        user.groups.add(groups[group])
        client.force_login(user)
        listing = client.get("/admin/newsletters/")
        if allowed:
            assert listing.status_code == 200
            assert "Daily digest" in listing.content.decode()
        else:
            # Wagtail sends a user without the permission back to the dashboard.
            assert listing.status_code == 302
