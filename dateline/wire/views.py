"""The wire desk in the newsroom: incoming items, newest first; one item with its original;
a draft story from an item in one click."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dateline.sections.models import Section
from dateline.wire.access import can_use_wire_desk, editions_for_drafts
from dateline.wire.actions import DraftError, create_draft, default_section
from dateline.wire.models import WireItem, WireSource

PAGE_SIZE = 50


def _check(request):
    if not can_use_wire_desk(request.user):
        raise PermissionDenied


def desk(request):
    """List wire items, newest first, filtered by source, priority, language and text."""
    _check(request)
    items = WireItem.objects.select_related("source", "used_in", "duplicate_of")
    source = request.GET.get("source", "")
    if source.isdigit():
        items = items.filter(source_id=int(source))
    priority = request.GET.get("priority", "")
    if priority.isdigit():
        # Priority 1 is the most urgent: "up to 3" shows 1, 2 and 3.
        items = items.filter(priority__lte=int(priority))
    language = request.GET.get("language", "").strip()
    if language:
        items = items.filter(language__istartswith=language)
    # A NUL byte separates words here: PostgreSQL's text cannot hold one, even in a pattern.
    text = request.GET.get("q", "").replace("\x00", " ").strip()[:200]
    if text:
        items = items.filter(
            Q(headline__icontains=text) | Q(summary__icontains=text) | Q(body_html__icontains=text)
        )
    if request.GET.get("unused"):
        items = items.filter(used_in__isnull=True)
    page = Paginator(items.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    return TemplateResponse(
        request,
        "wire/desk.html",
        {
            "page_obj": page,
            "sources": WireSource.objects.all(),
            "languages": sorted(
                {code for code in WireItem.objects.values_list("language", flat=True) if code}
            ),
            "filters": {"source": source, "priority": priority, "language": language, "q": text},
            "header_title": _("Wire desk"),
        },
    )


def item(request, item_id: int):
    """Show one wire item: its fields, photos, history, copies, and the original."""
    _check(request)
    wire_item = get_object_or_404(
        WireItem.objects.select_related("source", "used_in", "duplicate_of"), pk=item_id
    )
    editions = editions_for_drafts(request.user)
    default = editions[0] if editions else None
    if wire_item.source_id and wire_item.source.edition in editions:
        default = wire_item.source.edition
    # The draft goes to one edition at a time, and the form offers that edition's sections
    # only: an English story is never filed under a Russian section.
    chosen = request.GET.get("edition", "")
    default = next((e for e in editions if str(e.pk) == chosen), default)
    return TemplateResponse(
        request,
        "wire/item.html",
        {
            "item": wire_item,
            "history": wire_item.history.all(),
            "copies": WireItem.objects.filter(
                duplicate_of=wire_item.duplicate_of or wire_item
            ).exclude(pk=wire_item.pk)
            | WireItem.objects.filter(pk=wire_item.duplicate_of_id),
            "editions": editions,
            "default_edition": default,
            "sections": Section.objects.filter(edition=default) if default else [],
            "default_section": default_section(default, wire_item) if default else None,
            "header_title": wire_item.headline,
        },
    )


@require_POST
def make_draft(request, item_id: int):
    """Make a draft story from the item, in the edition and section posted (else the
    source's), and open it in the editor."""
    _check(request)
    wire_item = get_object_or_404(WireItem, pk=item_id)
    editions = {str(e.pk): e for e in editions_for_drafts(request.user)}
    edition = editions.get(request.POST.get("edition", ""))
    if edition is None and wire_item.source_id:
        edition = editions.get(str(wire_item.source.edition_id))
    if edition is None:
        raise PermissionDenied
    section = None
    if request.POST.get("section", "").isdigit():
        # A section of another edition is refused, not silently replaced.
        section = Section.objects.filter(pk=int(request.POST["section"])).first()
    try:
        story = create_draft(wire_item, edition=edition, section=section, user=request.user)
    except DraftError as error:
        messages.error(request, str(error))
        return redirect("wire:item", item_id)
    messages.success(
        request, _("Draft “%(title)s” made from the wire item.") % {"title": story.title}
    )
    return redirect(reverse("wagtailadmin_pages:edit", args=[story.pk]))


def story_source(request, story_id: int):
    """Open the wire item a story was made from."""
    _check(request)
    wire_item = WireItem.objects.filter(used_in_id=story_id).order_by("-used_at").first()
    if wire_item is None:
        raise PermissionDenied
    return redirect("wire:item", wire_item.pk)
