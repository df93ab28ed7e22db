"""The newsroom's own admin views."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dateline.articles.actions import withdraw_story
from dateline.articles.models import ArticlePage
from dateline.newsroom.access import can_withdraw


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to readers)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional. Readers see it on the notice at the story's address."),
    )


def withdraw(request, story_id: int):
    """Ask for confirmation (and an optional reason), then withdraw the story: it leaves every
    public surface and its address answers with a notice. Editors and administrators only."""
    story = get_object_or_404(ArticlePage, pk=story_id)
    if not can_withdraw(request.user, story):
        raise PermissionDenied
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        withdraw_story(story, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("“%(title)s” has been withdrawn: readers now get a notice at its address.")
            % {"title": story.title},
        )
        return redirect("wagtailadmin_pages:edit", story.pk)
    return TemplateResponse(
        request, "newsroom/withdraw_confirm.html", {"story": story, "form": form}
    )
