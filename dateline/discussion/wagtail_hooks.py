"""The newsroom's side of the discussion: the moderation queue and each page's comment mode."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page

from dateline.accounts.models import display_name
from dateline.discussion import actions
from dateline.discussion.models import Comment, PageDiscussion, ReaderBan

PERMISSION = "discussion.moderate_comment"

QUEUES = {
    "waiting": (gettext_lazy("Waiting"), {"status": Comment.Status.PENDING}),
    "reported": (
        gettext_lazy("Reported"),
        {"status": Comment.Status.PUBLISHED, "reports__gt": 0},
    ),
    "published": (gettext_lazy("Published"), {"status": Comment.Status.PUBLISHED}),
    "rejected": (gettext_lazy("Rejected"), {"status": Comment.Status.REJECTED}),
}


def _require(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def queue(request):
    _require(request)
    name = request.GET.get("queue", "waiting")
    if name not in QUEUES:
        name = "waiting"
    comments = (
        Comment.objects.filter(**QUEUES[name][1])
        .select_related("page", "user__reader_profile")
        .order_by("-created_at")
    )
    page_obj = Paginator(comments, 50).get_page(request.GET.get("p"))
    banned = set(
        ReaderBan.objects.filter(user_id__in=[c.user_id for c in page_obj]).values_list(
            "user_id", flat=True
        )
    )
    rows = [
        {"comment": c, "author": display_name(c.user), "banned": c.user_id in banned}
        for c in page_obj
    ]
    tabs = [
        (key, label, Comment.objects.filter(**filters).count())
        for key, (label, filters) in QUEUES.items()
    ]
    return TemplateResponse(
        request,
        "discussion/admin/queue.html",
        {"rows": rows, "tabs": tabs, "current": name, "page_obj": page_obj},
    )


ACTIONS = {
    "approve": (actions.approve, gettext_lazy("Comment approved.")),
    "reject": (actions.reject, gettext_lazy("Comment rejected.")),
}


def moderate(request, comment_id, action):
    _require(request)
    if request.method != "POST":
        return redirect("dateline_comments")
    comment = get_object_or_404(Comment, pk=comment_id)
    if action == "ban":
        if comment.user is None:
            messages.error(request, _("That comment's author has deleted their account."))
        else:
            actions.ban(comment.user, request.user, request.POST.get("reason", ""))
            actions.reject(comment, request.user)
            messages.success(
                request,
                _("%s can no longer post; this comment is rejected.") % display_name(comment.user),
            )
    elif action in ACTIONS:
        function, message = ACTIONS[action]
        function(comment, request.user)
        messages.success(request, message)
    back = request.POST.get("queue", "waiting")
    return redirect(reverse("dateline_comments") + f"?queue={back if back in QUEUES else ''}")


class ModeForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("Comments on this page"),
        choices=PageDiscussion.Mode.choices,
        widget=forms.RadioSelect,
    )


def page_mode(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not (
        page.permissions_for_user(request.user).can_publish() or request.user.has_perm(PERMISSION)
    ):
        raise PermissionDenied
    current = actions.mode_of(page)
    form = ModeForm(request.POST or None, initial={"mode": current})
    if request.method == "POST" and form.is_valid():
        actions.set_mode(page, form.cleaned_data["mode"])
        messages.success(request, _("Comments on “%s” are updated.") % page.title)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "discussion/admin/page_mode.html",
        {"page": page, "form": form, "current": current, "header_title": page.title},
    )


@hooks.register("register_admin_urls")
def register_discussion_urls():
    return [
        path("discussion/", queue, name="dateline_comments"),
        path(
            "discussion/<int:comment_id>/<slug:action>/",
            moderate,
            name="dateline_moderate_comment",
        ),
        path("discussion/page/<int:page_id>/", page_mode, name="dateline_page_comments"),
    ]


class CommentsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_comments_menu_item():
    return CommentsMenuItem(
        gettext_lazy("Comments"), reverse("dateline_comments"), icon_name="comment", order=220
    )


class PageCommentsButton(PageMenuItem):
    icon_name = "comment"

    @cached_property
    def label(self):
        mode = dict(PageDiscussion.Mode.choices)[actions.mode_of(self.page)]
        return _("Comments: %s") % str(mode).split(":")[0]

    @cached_property
    def url(self):
        return reverse("dateline_page_comments", args=[self.page.pk])

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_publish() or user.has_perm(PERMISSION)


@hooks.register("register_page_header_buttons")
def discussion_page_buttons(page, user, view_name, next_url=None):
    from dateline.articles.models import ArticlePage
    from dateline.live.models import LiveCoveragePage

    if page.specific_class in (ArticlePage, LiveCoveragePage):
        yield PageCommentsButton(page=page, priority=58)
