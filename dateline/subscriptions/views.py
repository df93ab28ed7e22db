"""The reader's side: the Subscribe page, confirming, unsubscribing (also RFC 8058's
one-click POST), managing lists from a signed link, following, and My news."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from taggit.models import Tag

from dateline.articles.models import ArticlePage
from dateline.articles.queries import paginate
from dateline.people.models import Person
from dateline.sections.models import Section
from dateline.subscriptions import actions
from dateline.subscriptions.emails import manage_url
from dateline.subscriptions.follows import followed_stories
from dateline.subscriptions.forms import ManageForm, SignupForm
from dateline.subscriptions.models import Follow, Newsletter, NewsPreference, Subscription
from dateline.subscriptions.tokens import (
    LinkRefused,
    subscriber_from_confirm_token,
    subscriber_from_manage_token,
    subscription_from_unsubscribe_token,
)


def _edition(request):
    if request.edition is None:
        raise Http404("No such edition")
    return request.edition


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request, lang: str):
    """Every way to follow the edition: its newsletters (the sign-up form), its feeds and
    those of the section, tags and authors of the story the reader came from, and following
    them for signed-in readers (their state comes from follows.json, not from this page)."""
    edition = _edition(request)
    section_slug = request.GET.get("section", "")
    section = (
        get_object_or_404(Section, edition=edition, slug=section_slug) if section_slug else None
    )
    story = None
    story_id = _int(request.GET.get("story"))
    if story_id:
        story = (
            ArticlePage.objects.visible()
            .filter(pk=story_id, edition=edition)
            .select_related("primary_section")
            .first()
        )
        if story is not None and section is None:
            section = story.primary_section
    tags = list(story.tags.all()) if story else []
    people = [byline.person for byline in story.bylines.select_related("person")] if story else []
    tag_slug = request.GET.get("tag", "")
    if tag_slug and not story:
        tags = list(Tag.objects.filter(slug=tag_slug))
    person_slug = request.GET.get("person", "")
    if person_slug and not story:
        people = list(Person.objects.filter(slug=person_slug))
    newsletters = actions.newsletters_offered(edition, section)
    form = SignupForm(
        request.POST if request.method == "POST" else None,
        newsletters=newsletters,
        initial={"newsletters": [newsletters[0].pk]},
    )
    if request.method == "POST":
        if not actions.signup_allowed(_client_address(request)):
            form.add_error(
                None, _("Too many sign-ups from your address. Please try again in an hour.")
            )
        elif form.is_valid():
            actions.request_subscription(
                form.cleaned_data["email"], form.chosen(), edition.language_code
            )
            return redirect("subscribe_sent", lang=edition.slug)
    sections = [section] if section else []
    sections += [s for s in edition.sections.filter(in_navigation=True) if s != section]
    status = 400 if form.errors else 200
    return render(
        request,
        "subscriptions/subscribe.html",
        {
            "form": form,
            "section": section,
            "story": story,
            "tags": tags,
            "people": people,
            "follow_sections": sections,
        },
        status=status,
    )


@require_GET
def subscribe_sent(request, lang: str):
    """The same answer to every sign-up, whether or not the address was known."""
    _edition(request)
    return render(request, "subscriptions/sent.html")


def _refused(request, error: LinkRefused, what: str):
    return render(
        request, "subscriptions/refused.html", {"expired": error.expired, "what": what}, status=400
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, lang: str, token: str):
    """Confirming takes a press of the button, so that mail scanners following the link do
    not confirm for the reader."""
    _edition(request)
    try:
        subscriber = subscriber_from_confirm_token(token)
    except LinkRefused as error:
        return _refused(request, error, "confirm")
    if request.method != "POST":
        pending = Subscription.objects.filter(subscriber=subscriber, confirmed_at=None)
        return render(
            request,
            "subscriptions/confirm.html",
            {
                "email": subscriber.email,
                "newsletters": [s.newsletter for s in pending.select_related("newsletter")],
            },
        )
    confirmed = actions.confirm_subscriber(subscriber)
    return render(
        request,
        "subscriptions/confirmed.html",
        {
            "email": subscriber.email,
            "newsletters": confirmed,
            "manage_url": manage_url(subscriber, lang),
        },
    )


@csrf_exempt  # the signed link is the credential; mail clients POST without cookies (RFC 8058)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, lang: str, token: str):
    """GET shows one button; a POST unsubscribes, the one-click POST of RFC 8058 included."""
    _edition(request)
    try:
        subscriber, newsletter = subscription_from_unsubscribe_token(token)
    except LinkRefused as error:
        return _refused(request, error, "unsubscribe")
    context = {
        "email": subscriber.email,
        "newsletter": newsletter,
        "manage_url": manage_url(subscriber, lang),
    }
    if request.method != "POST":
        return render(request, "subscriptions/unsubscribe.html", context)
    actions.unsubscribe(subscriber, newsletter)
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse(
            _("Unsubscribed."), content_type="text/plain; charset=utf-8", status=200
        )
    return render(request, "subscriptions/unsubscribed.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, lang: str, token: str):
    """All the reader's lists, in every edition, with a box each."""
    _edition(request)
    try:
        subscriber = subscriber_from_manage_token(token)
    except LinkRefused as error:
        return _refused(request, error, "manage")
    newsletters = list(
        Newsletter.objects.filter(is_active=True).select_related("edition", "section")
    )
    current = set(
        Subscription.objects.filter(subscriber=subscriber).values_list("newsletter_id", flat=True)
    )
    form = ManageForm(
        request.POST if request.method == "POST" else None,
        newsletters=newsletters,
        initial={"newsletters": sorted(current)},
    )
    if request.method == "POST" and form.is_valid():
        actions.set_subscriptions(subscriber, form.chosen())
        # Back to the page by GET, so that reloading it does not send the form again.
        return redirect(f"{request.path}?saved=1")
    return render(
        request,
        "subscriptions/manage.html",
        {"form": form, "email": subscriber.email, "saved": request.GET.get("saved") == "1"},
        status=400 if form.errors else 200,
    )


FOLLOW_KINDS = {
    "section": ("section", Section),
    "tag": ("tag", Tag),
    "person": ("person", Person),
}


@never_cache
@require_GET
def follow_state(request):
    """Which of the asked-for sections, tags and people the reader follows, for the page's
    script (pages are the same for every reader). Sets the CSRF cookie the script sends back."""
    get_token(request)
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "following": []})
    asked = {
        kind: [pk for pk in map(_int, request.GET.getlist(kind)) if pk][:100]
        for kind in FOLLOW_KINDS
    }
    following = []
    for kind, ids in asked.items():
        if ids:
            found = Follow.objects.filter(user=request.user, **{f"{kind}_id__in": ids})
            following += [f"{kind}:{pk}" for pk in found.values_list(f"{kind}_id", flat=True)]
    return JsonResponse({"signed_in": True, "following": following})


@never_cache
@require_POST
def follow(request):
    """Follow or unfollow one section, tag or person: a JSON body
    ``{"kind": "section", "id": 3, "follow": true}``; answers ``{"following": bool}``."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in to follow.")}, status=403)
    try:
        data = json.loads(request.body or b"{}")
        field, model = FOLLOW_KINDS[data["kind"]]
        target_id = int(data["id"])
        wanted = data["follow"]
        if not isinstance(wanted, bool):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"error": _("Send a kind (section, tag or person), an id and follow: true or false.")},
            status=400,
        )
    target = model.objects.filter(pk=target_id).first()
    if target is None:
        return JsonResponse({"error": _("There is nothing to follow with that id.")}, status=404)
    if wanted:
        actions.follow(request.user, **{field: target})
    else:
        actions.unfollow(request.user, **{field: target})
    return JsonResponse({"following": wanted})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_news(request, lang: str):
    """The newest visible stories of the edition from what the reader follows."""
    edition = _edition(request)
    if request.method == "POST":
        actions.set_follows_in_digest(request.user, request.POST.get("follows_in_digest") == "on")
        return redirect("my_news", lang=edition.slug)
    follows = list(
        Follow.objects.filter(user=request.user)
        .select_related("section", "section__edition", "tag", "person")
        .order_by("-created_at")
    )
    preference = NewsPreference.objects.filter(user=request.user).first()
    return render(
        request,
        "subscriptions/my_news.html",
        {
            "stories": paginate(followed_stories(request.user, edition), request.GET.get("page")),
            "follows": follows,
            "follows_in_digest": bool(preference and preference.follows_in_digest),
        },
    )
