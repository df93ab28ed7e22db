from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_eventstream.views import events as eventstream_events

from dateline.articles.models import ArticlePage
from dateline.editions.lookup import get_edition
from dateline.live.channels import edition_channel
from dateline.live.events import current_event_id
from dateline.live.models import BreakingNews
from dateline.live.newsfeed import newsfeed

NEXT_LINK_REFRESH_SECONDS = 50 * 60


@never_cache
def events(request):
    """Streams that come through Pushpin (the production tier): django-eventstream answers
    with the missed events and tells Pushpin which channels to hold the connection on. A
    request that is not signed by Pushpin is refused: the embedded tier serves streams before
    they reach Django (dateline.live.hub)."""
    grip = getattr(request, "grip", None)
    if grip is None or not grip.proxied:
        return HttpResponse(
            "This address serves event streams through the stream proxy only.\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    response = eventstream_events(request)
    instruct = grip.instruct
    if instruct is not None and instruct.next_link and not instruct.next_link_timeout:
        # Without a timeout Pushpin fetches every held stream's next link every 120 s, in bursts
        # that delay events (docs/performance.md). The link is for paging a backlog and for gap
        # repair, which Pushpin asks for by itself; refresh it well before its signed
        # metadata expires (an hour).
        instruct.next_link_timeout = NEXT_LINK_REFRESH_SECONDS
    return response


@require_GET
def newsfeed_json(request, lang):
    """The newsfeed of an edition with the stream position it was read at: a page that lost
    its place in the stream (a reset) reloads its panel from here."""
    edition = get_edition(lang)
    if edition is None:
        raise Http404
    channel = edition_channel(edition.language_code)
    last_event_id = current_event_id([channel])
    response = JsonResponse(
        {"last_event_id": last_event_id, "items": newsfeed(edition)},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-cache"
    return response


def toggle_breaking(request, story_id):
    """Mark a story as breaking in its edition, or end the flag (newsroom, editors only):
    GET asks for confirmation, POST does it."""
    story = get_object_or_404(ArticlePage, pk=story_id)
    if not story.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    is_breaking = BreakingNews.objects.active().filter(story=story).exists()
    if request.method != "POST":
        return TemplateResponse(
            request,
            "live/admin/confirm_breaking.html",
            {"story": story, "is_breaking": is_breaking, "header_title": story.title},
        )
    with transaction.atomic():
        active = list(
            BreakingNews.objects.select_for_update().active().filter(edition_id=story.edition_id)
        )
        mine = [flag for flag in active if flag.story_id == story.pk]
        if mine:
            for flag in mine:
                flag.ended_at = timezone.now()
                flag.save()
            messages.success(request, _("“%s” is no longer breaking news.") % story.title)
        elif not story.live:
            messages.error(request, _("Only a published story can be breaking news."))
        else:
            # One breaking story per edition: a new one ends the one before.
            for flag in active:
                flag.ended_at = timezone.now()
                flag.save()
            BreakingNews.objects.create(
                story=story, edition_id=story.edition_id, started_by=request.user
            )
            messages.success(request, _("“%s” is now breaking news.") % story.title)
    return redirect("wagtailadmin_pages:edit", story.pk)
