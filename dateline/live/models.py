"""What the live stream carries besides new stories: breaking news flags and live coverage.

Live coverage is a page (under the edition's date buckets, like a story) whose entries are rows
of their own, so that an editor adds, edits or deletes one entry at a time and each change goes
to readers as it is saved, without publishing a new revision of the page.
"""

import html

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

ENTRY_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class BreakingNewsQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class BreakingNews(models.Model):
    """A story flagged as breaking in its edition, from ``started_at`` until an editor ends
    it. Every open page of the edition shows a banner while it is active."""

    story = models.ForeignKey(
        "articles.ArticlePage",
        on_delete=models.CASCADE,
        related_name="breaking_flags",
        verbose_name=_("story"),
    )
    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="+", verbose_name=_("edition")
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("breaking news flag")
        verbose_name_plural = _("breaking news flags")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["edition", "ended_at"], name="breaking_active")]

    def __str__(self):
        return self.story.title


class LiveCoveragePage(Page):
    """A live page: entries newest first, key events summarised at the top, updated in every
    reader's browser as the desk writes."""

    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.PROTECT,
        related_name="live_coverages",
        editable=False,
        verbose_name=_("edition"),
    )
    standfirst = models.TextField(_("standfirst"), blank=True, max_length=600)
    primary_section = models.ForeignKey(
        "sections.Section",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("section"),
    )
    coverage_start = models.DateTimeField(_("coverage starts"), default=timezone.now)
    coverage_end = models.DateTimeField(
        _("coverage ended"),
        null=True,
        blank=True,
        help_text=_("Set when the coverage is over: readers' pages then stop listening."),
    )

    parent_page_types = ["articles.ArchivePage"]
    subpage_types: list = []
    template = "live/coverage_page.html"

    content_panels = [
        FieldPanel("title", heading=_("Headline")),
        FieldPanel("standfirst"),
        FieldPanel("primary_section"),
        MultiFieldPanel(
            [FieldPanel("coverage_start"), FieldPanel("coverage_end")], heading=_("Coverage")
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("standfirst")]

    class Meta:
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverages")

    @property
    def is_open(self) -> bool:
        return self.coverage_end is None or self.coverage_end > timezone.now()

    def save(self, *args, **kwargs):
        if not self.edition_id:
            from dateline.editions.lookup import edition_id_for_path

            self.edition_id = edition_id_for_path(self.path)
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from dateline.live.channels import coverage_channel, edition_channel
        from dateline.live.events import current_event_id

        context = super().get_context(request, *args, **kwargs)
        if self.pk and self.edition_id:
            # The stream position first, then the entries: nothing saved in between is lost.
            channels = [edition_channel(self.edition.language_code)]
            if self.is_open:
                channels.append(coverage_channel(self.pk))
            context["stream_channels"] = " ".join(channels)
            context["stream_last_event_id"] = current_event_id(channels)
        entries = (
            list(self.entries.select_related("author", "photo").order_by("-created_at", "-pk"))
            if self.pk
            else []
        )
        context["all_entries"] = entries
        context["pinned"] = next((e for e in entries if e.is_pinned), None)
        context["entries"] = [e for e in entries if not e.is_pinned]
        context["key_events"] = [e for e in entries if e.is_key_event]
        return context

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        obj.edition_id = self.edition_id
        return obj


class LiveEntry(models.Model):
    """One entry of a live coverage."""

    coverage = models.ForeignKey(
        LiveCoveragePage,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("live coverage"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = RichTextField(_("text"), features=ENTRY_FEATURES, max_length=20000)
    photo = models.ForeignKey(
        "mediabank.Photo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    embed_url = models.URLField(
        _("embed"),
        blank=True,
        help_text=_("A link to a post or video shown with the entry."),
    )
    author = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    is_key_event = models.BooleanField(
        _("key event"), default=False, help_text=_("List it in the summary at the top.")
    )
    is_pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Keep it above the others (one per coverage).")
    )

    panels = [
        FieldPanel("coverage"),
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("photo"),
        FieldPanel("embed_url"),
        FieldPanel("author"),
        MultiFieldPanel([FieldPanel("is_key_event"), FieldPanel("is_pinned")], heading=_("Flags")),
    ]

    class Meta:
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        ordering = ["-created_at"]

    def __str__(self):
        # Named by its words wherever the admin names it (lists, menus, breadcrumbs): its
        # title, else the start of its text; never an ISO timestamp.
        text = html.unescape(" ".join(strip_tags(self.text or "").split()))
        return self.title or Truncator(text).chars(90) or gettext("Live entry")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.is_pinned:
            # One pinned entry per coverage: pinning one unpins the others.
            LiveEntry.objects.filter(coverage_id=self.coverage_id, is_pinned=True).exclude(
                pk=self.pk
            ).update(is_pinned=False)

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"
