"""The chat pages and the endpoints their script uses. The pages are the same for every reader
(and cacheable); the history, posting and presence are small JSON endpoints that answer with
the data, or with {"error": message} and a 4xx status the page shows as it is."""

import json
from urllib.parse import urlsplit

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dateline import limits
from dateline.accounts.models import staff_member_ids
from dateline.chats import actions, presence
from dateline.chats.access import ChatRefused, access_chat_room, visible_rooms
from dateline.chats.models import ChatRoom
from dateline.live.events import current_event_id

MAX_BODY = 8 * 1024  # a 500-character message, every character escaped, fits well


def _refused(error: ChatRefused) -> JsonResponse:
    response = JsonResponse({"error": error.message}, status=error.status)
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response


def _json(request) -> dict:
    """The request's JSON object; refused before reading a body that is too large."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY or len(request.body) > MAX_BODY:
        raise ChatRefused(_("That is far too long."), 413)
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise ChatRefused(_("The request is not valid JSON."), 400) from None
    if not isinstance(data, dict):
        raise ChatRefused(_("The request is not valid JSON."), 400)
    return data


def _edition(request):
    if request.edition is None:
        raise Http404("No such edition")
    return request.edition


@cache_control(public=True, max_age=60)
@require_GET
def rooms(request, lang: str):
    """The edition's open rooms, the general one first."""
    edition = _edition(request)
    open_rooms = sorted(
        visible_rooms(ChatRoom.objects.filter(edition=edition, is_open=True)).select_related(
            "story"
        ),
        key=lambda room: (room.slug != "general", room.title.casefold()),
    )
    return render(request, "chats/rooms.html", {"rooms": open_rooms})


@cache_control(public=True, max_age=60)
@require_GET
def room(request, lang: str, slug: str):
    """A room's page: the same for every reader; the script brings messages and the composer."""
    try:
        chat_room = access_chat_room(request.user, edition=_edition(request), slug=slug)
    except ChatRefused:
        raise Http404("No such room") from None
    return render(request, "chats/room.html", {"room": chat_room})


@never_cache
@require_GET
def messages(request, lang: str, slug: str):
    """A page of the room's history, oldest first: the newest, or those before ``before``."""
    try:
        chat_room = access_chat_room(request.user, edition=_edition(request), slug=slug)
    except ChatRefused as error:
        return _refused(error)
    before = request.GET.get("before", "")
    if before and not (before.isdigit() and len(before) < 19):
        return JsonResponse({"error": _("That is not a page of messages.")}, status=400)
    position = current_event_id([chat_room.channel])  # before reading, see docs/live.md
    page, older = actions.history(chat_room, int(before) if before else None)
    staff = staff_member_ids([message.user_id for message in page])
    return JsonResponse(
        {
            "room": {"id": chat_room.pk, "title": chat_room.title, "open": chat_room.is_open},
            "last_event_id": position,
            "messages": [actions.as_json(message, staff) for message in page],
            "older": older,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@never_cache
@require_POST
def post(request, lang: str, slug: str):
    try:
        chat_room = access_chat_room(request.user, edition=_edition(request), slug=slug)
        message = actions.post_message(request.user, chat_room, _json(request).get("text", ""))
    except ChatRefused as error:
        return _refused(error)
    return JsonResponse(
        actions.as_json(message), status=201, json_dumps_params={"ensure_ascii": False}
    )


@csrf_exempt  # any reader of the cacheable page counts, signed in or not; nothing is changed
@never_cache
@require_POST
def here(request, lang: str, slug: str):
    """Count the tab that sends a heartbeat ({"token": its random token}) as in the room, and
    answer how many readers are here now."""
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.get_host():
        return JsonResponse({"error": _("Heartbeats come from the room's own page.")}, status=403)
    try:
        chat_room = access_chat_room(request.user, edition=_edition(request), slug=slug)
        token = _json(request).get("token")
    except ChatRefused as error:
        return _refused(error)
    if not presence.valid_token(token):
        return JsonResponse({"error": _("That is not a presence token.")}, status=400)
    try:
        count = presence.heartbeat(chat_room.pk, token, limits.client_bucket(request))
    except presence.HeartbeatRefused as refused:
        wait = refused.refusal.retry_after
        return _refused(
            ChatRefused(
                ngettext(
                    "Too many heartbeats from your address; wait %(wait)d second.",
                    "Too many heartbeats from your address; wait %(wait)d seconds.",
                    wait,
                )
                % {"wait": wait},
                429,
                retry_after=wait,
            )
        )
    text = ngettext("%(count)d reader here now", "%(count)d readers here now", count)
    return JsonResponse(
        {"here": count, "text": text % {"count": count}}, json_dumps_params={"ensure_ascii": False}
    )
