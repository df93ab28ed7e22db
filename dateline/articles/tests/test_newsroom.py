from wagtail.models import Page

from dateline.articles.models import ArticlePage


def test_new_story_opens_the_editor_in_todays_bucket(client, edition, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(user)
    response = client.get("/admin/stories/new/")
    assert response.status_code == 302
    form = client.get(response["Location"])
    assert form.status_code == 200
    assert b"Headline" in form.content and b"Dateline" in form.content


def test_a_story_published_by_wagtail_gets_its_edition_and_time(make_story):
    story = make_story("Drafted in the Newsroom", publish=False)
    assert story.edition_id and story.published_at is None
    story.save_revision().publish()
    story.refresh_from_db()
    assert story.live and story.published_at is not None
    # A later revision keeps the first publication time.
    first = story.published_at
    story.title = "Drafted in the Newsroom, Updated"
    story.save_revision().publish()
    story.refresh_from_db()
    assert story.published_at == first and story.title.endswith("Updated")


def test_only_the_newsroom_sees_the_new_story_page(client, edition):
    response = client.get("/admin/stories/new/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Page.objects.type(ArticlePage).count() == 0
