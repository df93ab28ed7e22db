"""The newsroom's side of the chats: rooms with their recent messages, removing a message,
muting a reader for some minutes, closing and reopening a room; rooms are opened and edited
with a Wagtail model viewset."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from dateline.accounts.models import display_name
from dateline.chats import actions
from dateline.chats.access import MODERATE, MODERATE_PERMISSION, ChatRefused, access_chat_room
from dateline.chats.models import ChatMessage, ChatMute, ChatRoom


def _moderated_room(request, room_id) -> ChatRoom:
    try:
        return access_chat_room(request.user, room_id, to=MODERATE)
    except ChatRefused as error:
        if error.status == 404:
            raise Http404(error.message) from None
        raise PermissionDenied from None


def rooms(request):
    if not request.user.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied
    since = timezone.now() - dt.timedelta(days=1)
    listed = (
        ChatRoom.objects.select_related("edition", "story")
        .annotate(
            today=Count("messages", filter=Q(messages__created_at__gte=since)),
            last=Max("messages__created_at"),
        )
        .order_by("-is_open", "edition__slug", "title")
    )
    mutes = ChatMute.objects.active().select_related("user__reader_profile", "room", "by")
    return TemplateResponse(
        request,
        "chats/admin/rooms.html",
        {
            "rooms": listed,
            "mutes": [(mute, display_name(mute.user)) for mute in mutes.order_by("until")],
            "can_add": request.user.has_perm("chats.add_chatroom"),
            "can_change": request.user.has_perm("chats.change_chatroom"),
        },
    )


class MuteForm(forms.Form):
    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes"), min_value=1, max_value=actions.MUTE_MAX_MINUTES, initial=60
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)
    everywhere = forms.BooleanField(label=gettext_lazy("In every room"), required=False)


def room(request, room_id):
    chat_room = _moderated_room(request, room_id)
    recent = (
        ChatMessage.objects.filter(room=chat_room)
        .select_related("user__reader_profile")
        .order_by("-pk")
    )
    page_obj = Paginator(recent, 50).get_page(request.GET.get("p"))
    muted = set(
        ChatMute.objects.active(chat_room)
        .filter(user_id__in=[m.user_id for m in page_obj])
        .values_list("user_id", flat=True)
    )
    rows = [
        {"message": m, "author": display_name(m.user), "muted": m.user_id in muted}
        for m in page_obj
    ]
    return TemplateResponse(
        request,
        "chats/admin/room.html",
        {
            "room": chat_room,
            "rows": rows,
            "page_obj": page_obj,
            "mute_form": MuteForm(),
            "header_title": chat_room.title,
        },
    )


def _back(room_id):
    return redirect("dateline_chat_room", room_id)


def remove(request, message_id):
    message = get_object_or_404(ChatMessage, pk=message_id)
    _moderated_room(request, message.room_id)
    if request.method == "POST":
        actions.remove_message(message)
        messages.success(request, _("Message removed."))
    return _back(message.room_id)


def mute(request, message_id):
    message = get_object_or_404(ChatMessage.objects.select_related("user"), pk=message_id)
    chat_room = _moderated_room(request, message.room_id)
    if request.method != "POST":
        return _back(chat_room.pk)
    form = MuteForm(request.POST)
    if message.user is None:
        messages.error(request, _("That message's author has deleted their account."))
    elif not form.is_valid():
        messages.error(
            request, _("Mute for 1 to %(max)d minutes.") % {"max": actions.MUTE_MAX_MINUTES}
        )
    else:
        data = form.cleaned_data
        done = actions.mute(
            message.user,
            request.user,
            data["minutes"],
            data["reason"],
            room=None if data["everywhere"] else chat_room,
        )
        messages.success(
            request,
            _("%(name)s is muted until %(until)s.")
            % {
                "name": display_name(message.user),
                "until": chat_room.edition.format_datetime(done.until),
            },
        )
    return _back(chat_room.pk)


def lift(request, mute_id):
    if not request.user.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        actions.lift_mute(get_object_or_404(ChatMute, pk=mute_id))
        messages.success(request, _("The mute is lifted."))
    return redirect("dateline_chats")


def close(request, room_id):
    chat_room = _moderated_room(request, room_id)
    if request.method == "POST":
        if request.POST.get("open") == "1":
            actions.reopen_room(chat_room)
            messages.success(request, _("“%s” is open again.") % chat_room.title)
        else:
            actions.close_room(chat_room)
            messages.success(request, _("“%s” is closed.") % chat_room.title)
    if request.POST.get("next") == "room":
        return redirect("dateline_chat_room", chat_room.pk)
    return redirect("dateline_chats")


@hooks.register("register_admin_urls")
def register_chat_urls():
    return [
        path("chats/", rooms, name="dateline_chats"),
        path("chats/<int:room_id>/", room, name="dateline_chat_room"),
        path("chats/<int:room_id>/close/", close, name="dateline_close_chat_room"),
        path(
            "chats/messages/<int:message_id>/remove/", remove, name="dateline_remove_chat_message"
        ),
        path("chats/messages/<int:message_id>/mute/", mute, name="dateline_mute_chat_author"),
        path("chats/mutes/<int:mute_id>/lift/", lift, name="dateline_lift_chat_mute"),
    ]


class ChatsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(MODERATE_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_chats_menu_item():
    return ChatsMenuItem(
        gettext_lazy("Chats"), reverse("dateline_chats"), icon_name="group", order=221
    )


class ChatRoomViewSet(ModelViewSet):
    model = ChatRoom
    icon = "group"
    url_prefix = "chat-rooms"
    name = "chat_rooms"
    add_to_admin_menu = False
    list_display = ["title", "edition", "slug", "story", "is_open"]
    list_filter = ["edition", "is_open"]
    search_fields = ["title", "slug"]


@hooks.register("register_admin_viewset")
def register_chat_room_viewset():
    return ChatRoomViewSet()
