from wagtail.models import Page

from conftest import story_form
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


def test_an_editor_writes_and_publishes_a_story_in_the_newsroom(
    client, edition, make_photo, django_user_model
):
    from dateline.people.models import Person
    from dateline.sections.models import Place, Section

    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    add_url = client.get("/admin/stories/new/")["Location"]
    photo = make_photo(caption="Delegates arrive")
    reporter = Person.objects.create(name="Tomasz Nowak")
    place = Place.objects.create(name="Geneva", country_code="CH")
    asia = Section.objects.get(edition=edition, slug="asia")
    data = story_form(
        asia,
        title="Talks Open in Geneva",
        slug="talks-open-in-geneva",
        paragraph="The talks opened on Monday.",
        bylines=[reporter.pk],
        standfirst="Delegates gather for a week of talks.",
        tags="diplomacy",
        dateline_place=place.pk,
        lead_photo=photo.pk,
        **{"action-publish": "publish"},
    )
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    story = ArticlePage.objects.get(slug="talks-open-in-geneva")
    assert story.live and story.published_at and story.edition_id == edition.pk
    html = client.get(story.url).content.decode()
    assert "GENEVA (Testwire) –</span> The talks opened on Monday." in html
    assert "Talks Open in Geneva" in client.get("/en/").content.decode()


def test_an_editor_previews_a_new_and_an_existing_story(
    client, edition, django_user_model, make_story
):
    from dateline.sections.models import Section

    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    data = story_form(
        Section.objects.get(edition=edition, slug="world"),
        title="Preview Me",
        slug="preview-me",
        paragraph="The previewed body.",
    )
    add_preview = client.get("/admin/stories/new/")["Location"] + "preview/"
    existing_preview = f"/admin/pages/{make_story('Existing Story').pk}/edit/preview/"
    for url in (add_preview, existing_preview):
        assert client.post(url, data).json()["is_valid"]
        html = client.get(url).content.decode()
        assert "Preview Me</h1>" in html and "The previewed body." in html
    assert not ArticlePage.objects.filter(slug="preview-me").exists()
