"""Readers' comments on stories and live coverage, and what moderators need around them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

COMMENT_MAX = 2000


class Comment(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Waiting for a moderator")
        REJECTED = "rejected", _("Rejected")
        REMOVED = "removed", _("Removed")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), max_length=COMMENT_MAX)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PUBLISHED
    )
    hold_reason = models.CharField(_("why it is held"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    reports = models.PositiveIntegerField(_("reports"), default=0)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["page", "status", "-created_at"], name="comment_page_status"),
            models.Index(fields=["status", "-created_at"], name="comment_status"),
            models.Index(fields=["user", "-created_at"], name="comment_user"),
        ]
        permissions = [("moderate_comment", "Can moderate comments")]

    def __str__(self):
        return self.text[:60]


class CommentReport(models.Model):
    class Reason(models.TextChoices):
        ABUSE = "abuse", _("Abusive or hateful")
        SPAM = "spam", _("Spam or advertising")
        OFF_TOPIC = "off-topic", _("Off topic")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="report_set")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    reason = models.CharField(max_length=12, choices=Reason.choices, default=Reason.OTHER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_reader")
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.comment}"


class ReaderBan(models.Model):
    """A reader whose new comments and chat messages are refused."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_ban"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("banned reader")

    def __str__(self):
        return str(self.user)


class PageDiscussion(models.Model):
    """How one story or live coverage takes comments, when it differs from the default."""

    class Mode(models.TextChoices):
        OPEN = "open", _("Open")
        PREMODERATED = "premoderated", _("Pre-moderated: every comment waits for approval")
        CLOSED = "closed", _("Closed")

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="discussion"
    )
    mode = models.CharField(_("comments"), max_length=14, choices=Mode.choices, default="open")

    def __str__(self):
        return f"{self.page}: {self.get_mode_display()}"


@register_setting(icon="comment")
class DiscussionSettings(BaseGenericSetting):
    banned_words = models.TextField(
        _("banned words"),
        blank=True,
        help_text=_("One word or phrase per line. A comment containing one waits for a moderator."),
    )
    max_links = models.PositiveSmallIntegerField(
        _("most links in a comment"),
        default=2,
        help_text=_("A comment with more links waits for a moderator."),
    )
    new_account_held = models.PositiveSmallIntegerField(
        _("comments held for new readers"),
        default=0,
        help_text=_("A reader's first comments wait for a moderator (0: none)."),
    )
    burst_count = models.PositiveSmallIntegerField(
        _("burst: comments"),
        default=4,
        help_text=_("More comments than this from one reader within the burst minutes are held."),
    )
    burst_minutes = models.PositiveSmallIntegerField(_("burst: minutes"), default=2)
    reports_to_hold = models.PositiveSmallIntegerField(_("reports that hold a comment"), default=3)
    close_after_days = models.PositiveSmallIntegerField(
        _("close comments after (days)"),
        default=14,
        help_text=_("Days after publication; 0 keeps them open."),
    )
    edit_minutes = models.PositiveSmallIntegerField(_("readers may edit for (minutes)"), default=5)
    keep_comments_of_deleted_accounts = models.BooleanField(
        _("keep comments of deleted accounts"),
        default=True,
        help_text=_("Shown as by “deleted user”; otherwise they are removed with the account."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("banned_words"),
                FieldPanel("max_links"),
                FieldPanel("new_account_held"),
                FieldPanel("burst_count"),
                FieldPanel("burst_minutes"),
                FieldPanel("reports_to_hold"),
            ],
            heading=_("Automatic holds"),
        ),
        FieldPanel("close_after_days"),
        FieldPanel("edit_minutes"),
        FieldPanel("keep_comments_of_deleted_accounts"),
    ]

    class Meta:
        verbose_name = _("discussion settings")
