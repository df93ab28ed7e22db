"""Starting a translation of a story in another edition.

A translation is a draft copy of the story in the other edition, filed in that edition's date
bucket for today, sharing the story's Wagtail ``translation_key`` (dateline.editions.translations
reads the link). Wagtail's own copy_for_translation cannot place it: it looks for a translated
parent, and our editions' date buckets are not translations of each other (each edition files by
its own timezone). So the copy is made with Page.copy, the way copy_for_translation makes it,
into the bucket file_story() gives.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.coreutils import find_available_slug
from wagtail.signals import copy_for_translation_done

from dateline.articles.actions import file_story
from dateline.articles.models import ArticlePage
from dateline.editions.lookup import get_edition, live_editions
from dateline.editions.translations import language_name
from dateline.sections.models import Section


class TranslationRefused(Exception):
    """A translation that cannot be started; the message says why, for the editor."""


def existing_translation(story: ArticlePage, edition) -> ArticlePage | None:
    """Return the page of ``edition`` linked to ``story`` as its translation, draft or not."""
    return (
        ArticlePage.objects.filter(translation_key=story.translation_key, locale=edition.locale)
        .exclude(pk=story.pk)
        .first()
    )


def editions_to_translate_into(story: ArticlePage) -> list:
    """Return the live editions that have no page of ``story``'s translation group yet."""
    taken = set(
        ArticlePage.objects.filter(translation_key=story.translation_key).values_list(
            "locale_id", flat=True
        )
    )
    return [e for e in live_editions() if e.locale_id not in taken]


def _sections_in(edition, story: ArticlePage):
    """Return the primary section and further sections of the copy: those of ``edition`` with
    the same slugs as the story's, the edition's first section when its primary has none."""
    sections = {s.slug: s for s in Section.objects.filter(edition=edition)}
    if not sections:
        raise TranslationRefused(
            _("The %(language)s edition has no sections yet: create one first.")
            % {"language": language_name(edition.language_code)}
        )
    primary = sections.get(story.primary_section.slug) or min(
        sections.values(), key=lambda s: (s.sort_order, s.name)
    )
    further = [
        sections[s.slug]
        for s in story.further_sections.all()
        if s.slug in sections and sections[s.slug] != primary
    ]
    return primary, further


def _body_in(edition, story: ArticlePage) -> list[dict]:
    """Return the story's body for the copy: cards and read-more links point at their stories'
    translations in ``edition``, and are left out where there is none (a Russian story must
    not send its readers to an English one)."""
    blocks = []
    for block in story.body.raw_data:
        if block["type"] in ("related", "read_more"):
            target = ArticlePage.objects.filter(pk=block["value"].get("story")).first()
            translated = existing_translation(target, edition) if target else None
            if translated is None:
                continue
            block = {**block, "value": {**block["value"], "story": translated.pk}}
        blocks.append({"type": block["type"], "value": block["value"], "id": block.get("id")})
    return blocks


def translate_story(story: ArticlePage, edition, *, user=None) -> ArticlePage:
    """Start the translation of ``story`` into ``edition``: return a new draft there, filed
    under today's date in the edition's timezone and linked to ``story`` as its translation.

    The copy keeps the headline, standfirst, body, photos, bylines, tags and dateline for the
    translator to rewrite; it takes the edition's sections of the same names, and leaves out
    corrections, the top-story flag, the embargo and cards to stories not translated there.
    Raise TranslationRefused when the edition is the story's own or already has a page of the
    story's translation group, and PermissionDenied when ``user`` may not add stories there.
    """
    story = story.get_latest_revision_as_object() if not story.live else story
    if edition.locale_id == story.locale_id:
        raise TranslationRefused(_("The story is already in this edition."))
    existing = existing_translation(story, edition)
    if existing is not None:
        raise TranslationRefused(
            _(
                "This story already has a translation in the %(language)s edition "
                "(“%(title)s”): edit that one instead of starting another."
            )
            % {
                "language": language_name(edition.language_code),
                "title": existing.get_admin_display_title(),
            }
        )
    primary, further = _sections_in(edition, story)
    with transaction.atomic():
        bucket = file_story(edition, timezone.now())
        if user is not None and not bucket.permissions_for_user(user).can_add_subpage():
            raise PermissionDenied
        copy = story.copy(
            to=bucket,
            update_attrs={
                "locale": edition.locale,
                "slug": find_available_slug(bucket, story.slug),
                "edition": edition,
                "primary_section": primary,
                "further_sections": further,
                "body": _body_in(edition, story),
                "published_at": None,
                "is_top_story": False,
                "next_story": None,
                "embargo_until": None,
                "go_live_at": None,
                "expire_at": None,
                "withdrawn_at": None,
                "withdrawn_by": None,
                "withdrawal_reason": "",
            },
            exclude_fields=["corrections"],
            copy_revisions=False,
            keep_live=False,
            reset_translation_key=False,
            user=user,
            log_action="wagtail.copy_for_translation",
        )
        copy_for_translation_done.send(sender=translate_story, source_obj=story, target_obj=copy)
    return ArticlePage.objects.get(pk=copy.pk)


# --- the newsroom's view


@require_http_methods(["GET", "POST"])
def translate_story_view(request, story_id: int, lang: str):
    """Ask to confirm, then start the translation and open it in the editor; a refusal goes
    back to the story's editor with the reason."""
    story = get_object_or_404(ArticlePage, pk=story_id)
    if not story.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    edition = get_edition(lang)
    if edition is None:
        raise Http404("No such edition")
    language = language_name(lang)
    if request.method == "POST":
        try:
            copy = translate_story(story, edition, user=request.user)
        except TranslationRefused as refused:
            messages.error(request, str(refused))
            existing = existing_translation(story, edition)
            return redirect("wagtailadmin_pages:edit", (existing or story).pk)
        messages.success(
            request,
            _("A draft translation into %(language)s has been started: rewrite it and publish.")
            % {"language": language},
        )
        return redirect("wagtailadmin_pages:edit", copy.pk)
    return TemplateResponse(
        request,
        "articles/admin/translate_story.html",
        {
            "story": story,
            "edition": edition,
            "language": language,
            "existing": existing_translation(story, edition),
            "action": reverse("dateline_translate_story", args=[story.pk, lang]),
        },
    )
