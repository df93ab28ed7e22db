"""The public photo archive: browse, search, photo pages, photographers, licence requests."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from taggit.models import Tag

from dateline import limits
from dateline.mediabank.captions import Caption, photo_captions
from dateline.mediabank.forms_public import LicenceRequestForm
from dateline.mediabank.models import LicenceRequest, Photo
from dateline.mediabank.structured_data import as_script_json, image_object
from dateline.mediabank.usage import public_photos, published_usages
from dateline.people.models import Person
from dateline.sections.models import Section
from dateline.text import single_line

PHOTOS_PER_PAGE = 24
MAX_QUERY_LENGTH = 200
logger = logging.getLogger(__name__)

LICENCE_REQUESTS_PER_HOUR = 5


def _date_range(value: str):
    """Return (start, end) dates for "YYYY", "YYYY-MM" or "YYYY-MM-DD", or None."""
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            return dt.date(numbers[0], 1, 1), dt.date(numbers[0] + 1, 1, 1)
        if len(numbers) == 2:
            start = dt.date(numbers[0], numbers[1], 1)
            return start, (start + dt.timedelta(days=32)).replace(day=1)
        if len(numbers) == 3:
            start = dt.date(*numbers)
            return start, start + dt.timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    return None


def _reader_first(photos):
    """Order ``photos`` with those captioned in the reader's language first, newest first
    within each group."""
    return photos.annotate(
        in_other_language=Case(
            When(language=translation.get_language(), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("in_other_language", "-created_at", "-pk")


def _language_links(request, current: str) -> list[dict]:
    """Return the language filter's links: every language of the site, the current one marked."""
    params = request.GET.copy()
    params.pop("page", None)
    links = []
    for code, name in [("", ""), *settings.LANGUAGES]:
        params.pop("lang", None)
        if code:
            params["lang"] = code
        query = params.urlencode()
        links.append(
            {
                "code": code,
                "name": name,
                "url": "/mediabank/" + (f"?{query}" if query else ""),
                "is_current": code == current,
            }
        )
    return links


def photo_index(request):
    """The public photos, those captioned in the reader's language first, newest first,
    narrowed by the filters in the query string: ``q`` (full text, ranked), ``photographer``
    (slug), ``place`` (city or country), ``keyword`` (tag slug), ``section`` (id of a section
    whose stories used them), ``date`` (YYYY[-MM[-DD]], when taken), ``lang`` (the caption's
    language)."""
    filters: dict[str, str] = {}
    section = None
    if request.GET.get("section", "").isdigit():
        section = Section.objects.filter(pk=request.GET["section"]).first()
        if section:
            filters["section"] = section.name
    photos = public_photos(Photo.objects.all(), section=section)

    photographer = request.GET.get("photographer", "")
    if photographer:
        person = Person.objects.filter(slug=photographer).first()
        photos = photos.filter(photographer=person) if person else photos.none()
        filters["photographer"] = person.name if person else photographer
    place = request.GET.get("place", "").strip()[:120]
    if place:
        photos = photos.filter(city__iexact=place) | photos.filter(country__iexact=place)
        filters["place"] = place
    keyword = request.GET.get("keyword", "")
    if keyword:
        tag = Tag.objects.filter(slug=keyword).first()
        photos = photos.filter(tags=tag) if tag else photos.none()
        filters["keyword"] = tag.name if tag else keyword
    date = request.GET.get("date", "")
    if date:
        span = _date_range(date)
        photos = (
            photos.filter(date_created__date__gte=span[0], date_created__date__lt=span[1])
            if span
            else photos.none()
        )
        filters["date"] = date
    language = request.GET.get("lang", "")
    languages = dict(settings.LANGUAGES)
    if language:
        photos = photos.filter(language=language) if language in languages else photos.none()
        filters["lang"] = languages.get(language, language)

    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    if query:
        ids = list(photos.values_list("pk", flat=True)[:10_000])
        results = Photo.objects.filter(pk__in=ids).search(query, order_by_relevance=True)
        page = Paginator(results, PHOTOS_PER_PAGE).get_page(request.GET.get("page"))
        loaded = (
            Photo.objects.filter(pk__in=[p.pk for p in page.object_list])
            .select_related("photographer")
            .prefetch_renditions()
            .in_bulk()
        )
        page.object_list = [loaded[p.pk] for p in page.object_list if p.pk in loaded]
    else:
        photos = _reader_first(
            photos.distinct().select_related("photographer").prefetch_renditions()
        )
        page = Paginator(photos, PHOTOS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mediabank/index.html",
        {
            "photos": page,
            "query": query,
            "filters": filters,
            "language_links": _language_links(request, language),
            "querystring": _querystring_without_page(request),
        },
    )


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def photo_page(request, photo_id: int):
    """The public page of one photo: large, with its caption, credit, copyright, date and place,
    keywords, licence, photographer and the published stories that use it. A photo no
    published story shows is not found."""
    photo = get_object_or_404(
        public_photos(Photo.objects.select_related("photographer").prefetch_related("tags")),
        pk=photo_id,
    )
    usages = published_usages(photo)
    return render(
        request,
        "mediabank/photo_page.html",
        {
            "photo": photo,
            "captions": photo_captions(photo, usages, translation.get_language()),
            "title_caption": Caption(
                photo.language, photo.headline or photo.caption or photo.title
            ),
            "usages": usages,
            "json_ld": as_script_json(image_object(photo)),
        },
    )


def photographer_page(request, slug: str):
    """A photographer's biography and their public photos, those captioned in the reader's
    language first, newest first."""
    person = get_object_or_404(Person, slug=slug)
    photos = _reader_first(public_photos(Photo.objects.filter(photographer=person)))
    photos = photos.prefetch_renditions()
    page = Paginator(photos, PHOTOS_PER_PAGE).get_page(request.GET.get("page"))
    if not page.object_list and not person.bio:
        raise Http404("No such photographer")
    return render(request, "mediabank/photographer.html", {"person": person, "photos": page})


def _licence_request_refused(request) -> bool:
    """Count one valid licence request from the client's address (dateline.limits, atomic);
    return whether it is past LICENCE_REQUESTS_PER_HOUR. While the limits store is away,
    requests are taken (logged): the photo desk reads each one, and none is lost."""
    try:
        refusal = limits.hit(
            f"licence-request:{limits.client_bucket(request)}", LICENCE_REQUESTS_PER_HOUR, 3600
        )
    except limits.LimitsUnavailable as error:
        logger.warning("Licence requests are not limited: %s", error)
        return False
    return refusal is not None


@never_cache
def licence_request(request, photo_id: int):
    """Ask to license a photo: the form, with the photo's licence terms beside it. A request
    is stored for the photo desk, which is told by e-mail."""
    photo = get_object_or_404(public_photos(Photo.objects.all()), pk=photo_id)
    form = LicenceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _licence_request_refused(request):
            form.add_error(
                None, _("Too many requests from your address. Please try again in an hour.")
            )
        else:
            with transaction.atomic():
                stored = LicenceRequest.objects.create(photo=photo, **form.cleaned_data)
                transaction.on_commit(lambda: notify_photo_desk(stored))
            return redirect(reverse("mediabank:licence", args=[photo.pk]) + "?sent=1")
    return render(
        request,
        "mediabank/licence_request.html",
        {"photo": photo, "form": form, "sent": request.GET.get("sent") == "1"},
        status=400 if form.errors else 200,
    )


def notify_photo_desk(request: LicenceRequest) -> None:
    # The photo desk reads the site's own language, whichever edition the reader came from.
    with translation.override(settings.LANGUAGE_CODE):
        _notify_photo_desk(request)


def _notify_photo_desk(request: LicenceRequest) -> None:
    photo = request.photo
    body = _(
        "A licence request for photo %(id)s (%(caption)s)\n\n"
        "From: %(name)s, %(organisation)s <%(email)s>\n\nIntended use:\n%(use)s\n\n"
        "Photo: %(url)s\n"
    ) % {
        "id": photo.pk,
        # One-line fields stay on their line, whatever was stored (dateline.text).
        "caption": single_line(photo.caption or photo.title),
        "name": single_line(request.name),
        "organisation": single_line(request.organisation) or "-",
        "email": request.email,
        "use": request.intended_use,
        "url": settings.SITE_URL + photo.get_absolute_url(),
    }
    send_mail(
        _("Licence request for photo %(id)s") % {"id": photo.pk},
        body,
        settings.DEFAULT_FROM_EMAIL,
        [settings.PHOTO_DESK_EMAIL],
    )
