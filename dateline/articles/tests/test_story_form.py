"""The newsroom's story form: scoped to the story's edition, a slug made from the headline,
and a summary of the fields in error."""

from django.utils import timezone
from wagtail.models import Page

from conftest import story_form
from dateline.articles.actions import file_story
from dateline.articles.models import ArticlePage
from dateline.articles.slugs import SLUG_MAX_LENGTH, slug_from_headline, unique_story_slug


def russian_edition():
    from dateline.editions.actions import create_edition
    from dateline.sections.models import Section

    russian = create_edition(
        "ru", site_name="Тест", tagline="Новости", agency="Тестинформ", time_zone="Europe/Moscow"
    )
    Section.objects.create(edition=russian, slug="mir", name="Мир")
    return russian


def story_form_class():
    return ArticlePage.get_edit_handler().get_form_class()


def test_the_section_choices_of_a_story_are_its_editions_only(edition):
    russian_edition()
    day = file_story(edition, timezone.now())
    form = story_form_class()(instance=ArticlePage(), parent_page=day, for_user=None)
    for name in ("primary_section", "further_sections"):
        sections = list(form.fields[name].queryset)
        assert sections and {s.edition_id for s in sections} == {edition.pk}, name
        labels = [label for _value, label in form.fields[name].choices]
        assert "Мир" not in labels
    assert f"edition={edition.pk}" in form.fields["primary_section"].widget.get_chooser_modal_url()


def test_a_story_cannot_be_filed_under_another_editions_section(edition):
    from dateline.sections.models import Section

    russian_edition()
    day = file_story(edition, timezone.now())
    mir = Section.objects.get(slug="mir")
    data = story_form(mir, title="Talks Open", slug="talks-open", paragraph="They opened.")
    form = story_form_class()(data, instance=ArticlePage(), parent_page=day, for_user=None)
    assert not form.is_valid()
    assert "primary_section" in form.errors


def test_an_empty_slug_is_made_from_the_headline_unique_in_its_day(edition):
    from dateline.sections.models import Section

    day = file_story(edition, timezone.now())
    section = Section.objects.filter(edition=edition).first()
    day.add_child(
        instance=ArticlePage(title="Talks Open", slug="talks-open", primary_section=section)
    )
    data = story_form(section, title="Talks Open", slug="", paragraph="They opened.")
    form = story_form_class()(data, instance=ArticlePage(), parent_page=day, for_user=None)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["slug"] == "talks-open-2"


def test_a_slug_is_latin_short_and_cut_between_words():
    assert slug_from_headline("Портовые краны снова работают") == "portovye-krany-snova-rabotayut"
    arabic = slug_from_headline("الرافعات تعود إلى العمل")
    assert arabic and arabic.isascii() and "-" in arabic
    long = slug_from_headline("Ministers agree " + "a very long headline " * 10)
    assert len(long) <= SLUG_MAX_LENGTH and not long.endswith("-")
    assert ("ministers-agree-" + "a-very-long-headline-" * 10).startswith(long + "-")


def test_a_unique_slug_takes_a_number_within_the_length(edition):
    from dateline.sections.models import Section

    day = file_story(edition, timezone.now())
    section = Section.objects.filter(edition=edition).first()
    headline = "word " * 30
    first = unique_story_slug(headline, day)
    day.add_child(instance=ArticlePage(title=headline, slug=first, primary_section=section))
    second = unique_story_slug(headline, Page.objects.get(pk=day.pk))
    assert second != first and second.endswith("-2") and len(second) <= SLUG_MAX_LENGTH


def test_the_form_names_each_field_in_error_and_its_tab(client, edition, django_user_model):
    from dateline.sections.models import Section

    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    add_url = client.get("/admin/stories/new/")["Location"]
    section = Section.objects.filter(edition=edition).first()
    day = file_story(edition, timezone.now())
    day.add_child(instance=ArticlePage(title="Taken", slug="taken", primary_section=section))
    data = story_form(section, title="", slug="taken", paragraph="Text.")
    data["action-publish"] = "publish"
    response = client.post(add_url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "dateline-error-summary" in html
    summary = html.split('id="story-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert "Headline (Content)" in summary
    assert "Slug (Promote)" in summary
    assert "Standfirst" not in summary
