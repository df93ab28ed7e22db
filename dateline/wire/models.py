"""The wire desk's data: the sources it polls and the items they bring in, with their
provenance and history."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WireSource(models.Model):
    """A feed, an agency's ninjs or NewsML-G2 address, or a drop folder, polled at an
    interval; what it brings goes to the wire desk for ``edition``."""

    class Kind(models.TextChoices):
        FEED = "feed", _("RSS, Atom or JSON Feed")
        NINJS = "ninjs", _("IPTC ninjs")
        NEWSML = "newsml", _("IPTC NewsML-G2")
        HTML = "html", _("Web page")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("format"), max_length=12, choices=Kind.choices)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    folder = models.CharField(
        _("drop folder"),
        max_length=500,
        blank=True,
        help_text=_(
            "A folder on the server whose files are read (instead of an address): a subfolder "
            "of the wire drop root (WIRE_DROP_ROOT), named from the root or in full."
        ),
    )
    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="+", verbose_name=_("edition")
    )
    default_section = models.ForeignKey(
        "sections.Section",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default section"),
    )
    poll_minutes = models.PositiveIntegerField(_("poll every (minutes)"), default=5)
    active = models.BooleanField(_("active"), default=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("wire source")
        verbose_name_plural = _("wire sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from dateline.text import single_line
        from dateline.wire.dropfolders import DropFolderError, resolve_drop_folder

        self.name = single_line(self.name)
        self.folder = (self.folder or "").strip()
        if bool(self.url) == bool(self.folder):
            raise ValidationError(_("Give either an address or a drop folder."))
        if self.folder:
            try:
                resolve_drop_folder(self.folder)
            except DropFolderError as exc:
                raise ValidationError({"folder": str(exc)}) from None

    def is_due(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.active and (
            self.last_polled_at is None
            or self.last_polled_at + dt.timedelta(minutes=self.poll_minutes) <= now
        )


class WireItem(models.Model):
    """One story, picture or package from a source, in its latest version."""

    source = models.ForeignKey(
        WireSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("source"),
    )
    # Where it came from when there is no source: a file or an address given to `ingest`.
    origin = models.CharField(_("origin"), max_length=1000, blank=True)
    # (source, original id) hashed: the same item twice is stored once.
    identity = models.CharField(max_length=64, unique=True, editable=False)
    format = models.CharField(_("format"), max_length=16)
    original_id = models.CharField(_("original id"), max_length=1000)
    original_url = models.URLField(_("original address"), max_length=1000, blank=True)
    version = models.CharField(_("version"), max_length=64, blank=True)
    revision = models.PositiveIntegerField(_("versions received"), default=1)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    first_received_at = models.DateTimeField(_("first received"), default=timezone.now)
    version_created = models.DateTimeField(_("version created"), null=True, blank=True)
    first_created = models.DateTimeField(_("first created"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, default="text")
    pubstatus = models.CharField(_("status"), max_length=16, default="usable")
    headline = models.CharField(_("headline"), max_length=500)
    slugline = models.CharField(_("slugline"), max_length=255, blank=True)
    byline = models.CharField(_("byline"), max_length=500, blank=True)
    dateline = models.CharField(_("dateline"), max_length=255, blank=True)
    located = models.CharField(_("located"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body_html = models.TextField(_("body"), blank=True)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True, db_index=True)
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    agency = models.CharField(_("agency"), max_length=255, blank=True)
    copyright_holder = models.CharField(_("copyright holder"), max_length=255, blank=True)
    copyright_notice = models.TextField(_("copyright notice"), blank=True)
    usage_terms = models.TextField(_("usage terms"), blank=True)
    photos = models.JSONField(_("photos"), default=list, blank=True)
    raw = models.TextField(_("original"), blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    # Near-identical copies (the same story from two sources) share the first one's group.
    headline_key = models.CharField(max_length=64, db_index=True, editable=False)
    text_key = models.CharField(max_length=64, db_index=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copy of"),
    )
    used_in = models.ForeignKey(
        "articles.ArticlePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wire_items",
        verbose_name=_("used in"),
    )
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("wire item")
        verbose_name_plural = _("wire items")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["source", "-received_at"], name="wire_source_time")]

    def __str__(self) -> str:
        return self.headline

    @property
    def source_name(self) -> str:
        """Return who sent the item, as the desk names it: its source, else the agency the
        item names, else the name of the file or the host it was read from."""
        if self.source_id:
            return self.source.name
        if self.agency:
            return self.agency
        origin = self.origin.rstrip("/")
        if "://" in origin:
            return urlsplit(origin).hostname or origin
        return PurePath(origin).name or origin

    @property
    def priority_level(self) -> str:
        """Return how urgent the item is, for the desk's marks: "flash" (1), "urgent" (2–3),
        "normal" (4–6), "low" (7–9) or "" when it has no priority."""
        if not self.priority:
            return ""
        if self.priority == 1:
            return "flash"
        return "urgent" if self.priority <= 3 else "normal" if self.priority <= 6 else "low"

    @property
    def provenance(self) -> str:
        """Return where the item came from, for editors: source (or origin), id, version."""
        where = self.source.name if self.source_id else self.origin
        version = f", version {self.version}" if self.version else ""
        return f"{where}: {self.original_id}{version}"


class WireItemVersion(models.Model):
    """An earlier version of a wire item, kept when a newer one replaced it."""

    item = models.ForeignKey(WireItem, on_delete=models.CASCADE, related_name="history")
    version = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField()
    version_created = models.DateTimeField(null=True, blank=True)
    headline = models.CharField(max_length=500)
    body_html = models.TextField(blank=True)
    raw = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.headline} (version {self.version})"
