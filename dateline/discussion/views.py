"""The discussion's endpoints, used by the page's script. Reads are public and cheap; writes
need a signed-in, verified reader, a CSRF token, and answer with JSON: the stored comment, or
an error message the page shows as it is."""

import functools
import json

from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from dateline.accounts.models import staff_member_ids
from dateline.discussion import actions
from dateline.discussion.models import Comment
from dateline.live.events import current_event_id

PAGE_SIZE = 20
MAX_BODY = 16 * 1024


def in_page_language(view):
    """Answer in the language of the page the comments are under: these addresses carry no
    edition, and a reader of the Russian edition gets its errors and notes in Russian."""

    @functools.wraps(view)
    def answer(request, **ids):
        if "page_id" in ids:
            pages = Page.objects.filter(pk=ids["page_id"]).values_list("locale__language_code")
        else:
            pages = Comment.objects.filter(pk=ids["comment_id"]).values_list(
                "page__locale__language_code"
            )
        language = pages.first()
        if language is None:
            return view(request, **ids)
        with translation.override(language[0]):
            return view(request, **ids)

    return answer


def _refused(error: actions.CommentRefused) -> JsonResponse:
    return JsonResponse({"error": error.message}, status=error.status)


def _page(page_id) -> Page:
    page = Page.objects.filter(pk=page_id, live=True).first()
    if page is None or not actions.commentable(page):
        raise Http404
    return page


def _form(request) -> dict:
    if len(request.body) > MAX_BODY:
        raise actions.CommentRefused(_("That is far too long."), 413)
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise actions.CommentRefused(_("The request is not valid JSON."), 400) from None
        if not isinstance(data, dict):
            raise actions.CommentRefused(_("The request is not valid JSON."), 400)
        return data
    return request.POST


@in_page_language
@never_cache
@require_GET
def comments(request, page_id):
    """A page of the published comments (newest or oldest first), each with its replies."""
    page = _page(page_id)
    order = "created_at" if request.GET.get("order") == "oldest" else "-created_at"
    position = current_event_id([actions.channel(page.pk)])  # before reading, see live.md
    published = Comment.objects.filter(page_id=page.pk, status=Comment.Status.PUBLISHED)
    top = published.filter(parent=None).select_related("user__reader_profile")
    before = request.GET.get("after", "")
    if before:
        if not before.isdigit():
            return JsonResponse({"error": _("That is not a page of comments.")}, status=400)
        anchor = Comment.objects.filter(pk=int(before), page_id=page.pk).first()
        if anchor is None:
            return JsonResponse({"error": _("That is not a page of comments.")}, status=400)
        if order == "created_at":
            top = top.filter(Q(created_at__gt=anchor.created_at))
        else:
            top = top.filter(Q(created_at__lt=anchor.created_at))
    top = list(
        top.order_by(order, "pk").prefetch_related(
            Prefetch(
                "replies",
                queryset=published.select_related("user__reader_profile").order_by("created_at"),
            )
        )[: PAGE_SIZE + 1]
    )
    more = len(top) > PAGE_SIZE
    top = top[:PAGE_SIZE]
    staff = staff_member_ids(
        [c.user_id for c in top] + [r.user_id for c in top for r in c.replies.all()]
    )
    return JsonResponse(
        {
            "count": published.count(),
            "mode": actions.mode_of(page),
            "last_event_id": position,
            "comments": [
                dict(
                    actions.as_json(c, staff),
                    replies=[actions.as_json(r, staff) for r in c.replies.all()],
                )
                for c in top
            ],
            "next": top[-1].pk if more else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@in_page_language
@require_POST
def post(request, page_id):
    try:
        page = _page(page_id)
        data = _form(request)
        comment = actions.post_comment(
            request.user, page, data.get("text", ""), data.get("parent") or None
        )
    except actions.CommentRefused as error:
        return _refused(error)
    body = actions.as_json(comment)
    if comment.status == Comment.Status.PENDING:
        body["pending"] = True
        body["message"] = _("Thank you. Your comment will appear once a moderator has seen it.")
    return JsonResponse(body, status=201, json_dumps_params={"ensure_ascii": False})


def _comment(comment_id) -> Comment:
    return get_object_or_404(Comment.objects.select_related("user"), pk=comment_id)


@in_page_language
@require_POST
def edit(request, comment_id):
    try:
        comment = actions.edit_comment(
            _comment(comment_id), request.user, _form(request).get("text", "")
        )
    except actions.CommentRefused as error:
        return _refused(error)
    body = actions.as_json(comment)
    if comment.status == Comment.Status.PENDING:
        body["pending"] = True
        body["message"] = _("Your edit will appear once a moderator has seen it.")
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@in_page_language
@require_POST
def delete(request, comment_id):
    try:
        actions.delete_own_comment(_comment(comment_id), request.user)
    except actions.CommentRefused as error:
        return _refused(error)
    return JsonResponse({"deleted": True})


@in_page_language
@require_POST
def report(request, comment_id):
    try:
        data = _form(request)
        new = actions.report_comment(_comment(comment_id), request.user, data.get("reason", ""))
    except actions.CommentRefused as error:
        return _refused(error)
    return JsonResponse(
        {
            "reported": True,
            "message": _("Thank you: a moderator will look at it.")
            if new
            else _("You have reported this comment already."),
        }
    )


@require_GET
def counts_json(request):
    """Published comments per story, for the cards of a front: ?ids=1,2,3 (at most 100)."""
    raw = request.GET.get("ids", "")
    ids = [int(part) for part in raw.split(",") if part.isdigit()][:100]
    if not ids:
        return JsonResponse({"error": _("Give the stories' ids, e.g. ?ids=1,2,3.")}, status=400)
    response = JsonResponse({str(k): v for k, v in counts(ids).items()})
    response["Cache-Control"] = "public, max-age=30"
    return response


def counts(page_ids) -> dict[int, int]:
    """Published comments per page, for lists of stories (one query)."""
    rows = (
        Comment.objects.filter(page_id__in=page_ids, status=Comment.Status.PUBLISHED)
        .values("page_id")
        .annotate(n=Count("pk"))
    )
    return {row["page_id"]: row["n"] for row in rows}
