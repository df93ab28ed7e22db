"""Fixtures shared by every app's tests and the cross-app tests: an edition, photos, stories.

They go through the same actions the site uses (create_edition, file_story, publish_story),
so what a test builds is what an editor would have built."""

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

# The local servers hostile wire material is fetched from, for any test (tests/hostile/servers.py).
pytest_plugins = ["tests.hostile.servers"]

REPO_ROOT = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("DATELINE_SHARED", REPO_ROOT.parent / "shared"))
SECTIONS = [
    ("world", "World"),
    ("asia", "Asia"),
    ("europe", "Europe"),
    ("business", "Business"),
    ("science", "Science"),
    ("offbeat", "Off-beat"),
]


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared; skip the test when it is absent (fail under CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: CI must have ../shared beside the checkout")
        pytest.skip(f"{path} is missing")
    return path


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits and cached lookups live in the cache: each test starts without them.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def edition(db):
    from dateline.editions.actions import create_edition
    from dateline.sections.models import Section

    edition = create_edition(
        "en",
        site_name="The Test Times",
        tagline="News for tests",
        agency="Testwire",
        time_zone="Europe/London",
    )
    for order, (slug, name) in enumerate(SECTIONS):
        Section.objects.create(edition=edition, slug=slug, name=name, sort_order=order)
    return edition


@pytest.fixture
def coverage(edition):
    """A published live coverage page, "Summit, Live", in the edition's World section."""
    from django.utils import timezone

    from dateline.articles.actions import file_story
    from dateline.live.models import LiveCoveragePage
    from dateline.sections.models import Section

    page = file_story(edition, timezone.now()).add_child(
        instance=LiveCoveragePage(
            title="Summit, Live",
            slug="summit-live",
            locale_id=edition.locale_id,
            primary_section=Section.objects.get(edition=edition, slug="world"),
        )
    )
    page.save_revision().publish()
    return page


@pytest.fixture
def make_photo(db):
    from dateline.mediabank.models import Photo
    from dateline.people.models import Person

    counter = iter(range(1, 10_000))

    def make(
        caption="A harbour at dawn",
        photographer="Ines Duarte",
        agency="Testwire",
        copyright_notice="© 2026 Testwire",
        alt="Boats in a harbour",
    ):
        n = next(counter)
        buffer = io.BytesIO()
        Image.new("RGB", (640, 400), (n * 37 % 255, n * 91 % 255, 120)).save(buffer, "JPEG")
        person = None
        if photographer:
            person = Person.objects.filter(name=photographer).first() or Person.objects.create(
                name=photographer, role="photographer"
            )
        photo = Photo(
            title=caption,
            caption=caption,
            alt_text=alt,
            agency=agency,
            copyright_notice=copyright_notice,
            photographer=person,
            file=ImageFile(buffer, name=f"photo-{n}.jpg"),
        )
        photo._set_image_file_metadata()
        photo.save()
        return photo

    return make


@pytest.fixture
def make_story(edition, make_photo):
    from dateline.articles.actions import file_story, publish_story
    from dateline.articles.models import ArticlePage, Byline
    from dateline.people.models import Person
    from dateline.sections.models import Place, Section

    def make(
        headline,
        *,
        section="world",
        further_sections=(),
        kind="news",
        standfirst="",
        body=None,
        published_at=None,
        publish=True,
        photo=True,
        tags=(),
        bylines=(),
        place=None,
        agency="",
        top=False,
        slug=None,
    ):
        when = published_at or timezone.now() - dt.timedelta(hours=1)
        story = ArticlePage(
            title=headline,
            slug=slug or "",
            locale_id=edition.locale_id,
            kind=kind,
            standfirst=standfirst,
            primary_section=Section.objects.get(edition=edition, slug=section),
            lead_photo=(photo if not isinstance(photo, bool) else make_photo()) if photo else None,
            dateline_place=Place.objects.get_or_create(name=place[0], country_code=place[1])[0]
            if place
            else None,
            dateline_agency=agency,
            is_top_story=top,
            live=False,
            body=body or [{"type": "paragraph", "value": f"<p>Text of {escape(headline)}.</p>"}],
        )
        story.further_sections = list(
            Section.objects.filter(edition=edition, slug__in=further_sections)
        )
        story.bylines = [
            Byline(person=Person.objects.filter(name=n).first() or Person.objects.create(name=n))
            for n in bylines
        ]
        file_story(edition, when).add_child(instance=story)
        story.tags.set(list(tags))
        story.save()
        if publish:
            return publish_story(story, at=when)
        story.save_revision()
        return ArticlePage.objects.get(pk=story.pk)

    return make


@pytest.fixture
def make_reader(db, django_user_model):
    """Make a reader account as sign-up and e-mail confirmation leave it."""
    from allauth.account.models import EmailAddress

    from dateline.accounts.models import ReaderProfile

    def make(name="Ada", verified=True):
        user = django_user_model.objects.create_user(
            name.lower(), f"{name.lower()}@example.org", "a-long-password-1"
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        ReaderProfile.objects.create(user=user, display_name=name)
        return user

    return make


def story_form(section, *, title, slug, paragraph, bylines=(), **fields):
    """Return the POST data of the newsroom's story form: a story in ``section`` with one
    paragraph; ``fields`` sets any other form field (e.g. ``"action-publish": "publish"``)."""
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    data = {
        "title": title,
        "slug": slug,
        "standfirst": "",
        "kind": "news",
        "primary_section": section.pk,
        "tags": "",
        "dateline_place": "",
        "dateline_agency": "",
        "lead_photo": "",
        "lead_caption": "",
        "bylines": inline_formset([{"person": pk} for pk in bylines]),
        "corrections": inline_formset([]),
        "body": streamfield([("paragraph", rich_text(f"<p>{paragraph}</p>"))]),
    }
    data.update(fields)
    return nested_form_data(data)
