"""Newsletters and their subscribers (by e-mail address, no account needed), the issues sent
and one delivery row per recipient, and the follows of signed-in readers."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Newsletter(models.Model):
    """A mailing list of one edition: its daily digest or its breaking-news alerts, of the
    whole edition or of one section. Every edition gets the two edition-wide lists."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("Daily digest")
        BREAKING = "breaking", _("Breaking news alerts")

    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.CASCADE,
        related_name="newsletters",
        verbose_name=_("edition"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    section = models.ForeignKey(
        "sections.Section",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="newsletters",
        verbose_name=_("section"),
        help_text=_("Only stories of this section; empty for the whole edition."),
    )
    title = models.CharField(
        _("title"),
        max_length=120,
        blank=True,
        help_text=_("Empty: a title in the reader's language is made from the kind and section."),
    )
    send_time = models.TimeField(
        _("send time"),
        default=dt.time(7, 0),
        help_text=_("When the daily digest goes out, in the edition's time zone."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    panels = [
        FieldPanel("edition"),
        FieldPanel("kind"),
        FieldPanel("section"),
        FieldPanel("title"),
        FieldPanel("send_time"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["edition__path", "section__sort_order", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind", "section"], name="unique_newsletter_per_section"
            ),
            models.UniqueConstraint(
                fields=["edition", "kind"],
                condition=Q(section__isnull=True),
                name="unique_edition_newsletter",
            ),
        ]

    def __str__(self):
        return f"{self.display_title} ({self.edition.slug})"

    @property
    def display_title(self) -> str:
        """The title, or one made in the active language."""
        if self.title:
            return self.title
        if self.section_id:
            if self.kind == self.Kind.DIGEST:
                return _("%(section)s: daily digest") % {"section": self.section.name}
            return _("%(section)s: breaking news") % {"section": self.section.name}
        return str(self.Kind(self.kind).label)

    @property
    def description(self) -> str:
        if self.kind == self.Kind.DIGEST:
            return _("Once a day: the stories published since the last digest.")
        return _("An e-mail as soon as the newsroom flags a story as breaking news.")


class Subscriber(models.Model):
    """An e-mail address. It receives nothing but confirmation mails until it is confirmed;
    ``key`` is the secret its signed links carry (a new key kills every old link)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    language = models.CharField(_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email


class Subscription(models.Model):
    """A subscriber on a newsletter; mailed only once both are confirmed."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "newsletter"], name="unique_subscription")
        ]

    def __str__(self):
        return f"{self.subscriber} → {self.newsletter}"


class Issue(models.Model):
    """One send of a newsletter: a day's digest or one breaking alert. ``key`` makes it
    happen once (``digest:2026-11-29``, ``breaking:<flag id>``); the stories are fixed when
    it is made, so a resumed send mails the same issue."""

    class Status(models.TextChoices):
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        EMPTY = "empty", _("nothing to send")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="issues")
    key = models.CharField(max_length=80)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    covers_from = models.DateTimeField(null=True, blank=True)
    covers_until = models.DateTimeField()
    story_ids = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENDING)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A sender holds the issue until then (renewed every batch), so that two senders running
    # at once never mail the same recipient; a sender that died lets go when it passes.
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "key"], name="unique_issue_key")
        ]

    def __str__(self):
        return f"{self.newsletter} {self.key}"


class Delivery(models.Model):
    """One recipient of one issue; ``sent_at`` is set right after the mail server took it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("skipped")
        FAILED = "failed", _("refused by the mail server")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="unique_delivery")
        ]
        indexes = [models.Index(fields=["issue", "status"], name="delivery_pending")]

    def __str__(self):
        return f"{self.issue} → {self.subscriber} ({self.status})"


class Follow(models.Model):
    """A signed-in reader follows a section, a tag or a person (author)."""

    class Kind(models.TextChoices):
        SECTION = "section", _("section")
        TAG = "tag", _("tag")
        PERSON = "person", _("author")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    section = models.ForeignKey(
        "sections.Section", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tag = models.ForeignKey(
        "taggit.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(section__isnull=False, tag__isnull=True, person__isnull=True)
                    | Q(section__isnull=True, tag__isnull=False, person__isnull=True)
                    | Q(section__isnull=True, tag__isnull=True, person__isnull=False)
                ),
                name="follow_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "section"],
                condition=Q(section__isnull=False),
                name="follow_section",
            ),
            models.UniqueConstraint(
                fields=["user", "tag"], condition=Q(tag__isnull=False), name="follow_tag"
            ),
            models.UniqueConstraint(
                fields=["user", "person"], condition=Q(person__isnull=False), name="follow_person"
            ),
        ]

    def __str__(self):
        return f"{self.user} follows {self.target}"

    @property
    def kind(self) -> str:
        if self.section_id:
            return self.Kind.SECTION
        return self.Kind.TAG if self.tag_id else self.Kind.PERSON

    @property
    def target(self):
        return self.section or self.tag or self.person


class NewsPreference(models.Model):
    """A signed-in reader's choice to have what they follow added to their daily digests
    (those sent to their account's verified addresses)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_preference"
    )
    follows_in_digest = models.BooleanField(
        _("add what I follow to my daily digest"), default=False
    )

    def __str__(self):
        return str(self.user)
