"""Chat rooms of an edition (its general room, and rooms editors open for a topic or a story),
their messages, and the mutes moderators hand out."""

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PageChooserPanel

MESSAGE_MAX = 500
GENERAL_SLUG = "general"


class ChatRoom(models.Model):
    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.CASCADE,
        related_name="chat_rooms",
        verbose_name=_("edition"),
    )
    title = models.CharField(_("title"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=60, help_text=_("The room's address: /<edition>/chats/<slug>/.")
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    story = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("story"),
        help_text=_("For a story's room: the story links to it."),
    )
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)

    panels = [
        FieldPanel("edition", widget=forms.Select),
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("description"),
        PageChooserPanel("story", "articles.ArticlePage"),
    ]

    class Meta:
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")
        ordering = ["edition", "-is_open", "title"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="chat_room_slug_per_edition")
        ]
        permissions = [("moderate_chat", "Can moderate chats")]

    def __str__(self):
        return self.title

    @property
    def channel(self) -> str:
        return f"chat-{self.pk}"

    @property
    def url(self) -> str:
        return f"/{self.edition.slug}/chats/{self.slug}/"


class ChatMessage(models.Model):
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="messages")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chat_messages",
        verbose_name=_("author"),
    )
    text = models.CharField(_("text"), max_length=MESSAGE_MAX)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    removed = models.BooleanField(_("removed"), default=False)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        indexes = [
            models.Index(fields=["room", "removed", "-id"], name="chat_message_room"),
            models.Index(fields=["user", "-created_at"], name="chat_message_user"),
        ]

    def __str__(self):
        return self.text[:60]


class ChatMuteQuerySet(models.QuerySet):
    def active(self, room=None):
        """Mutes in force now, for ``room`` (those of every room included) when given."""
        mutes = self.filter(until__gt=timezone.now())
        if room is not None:
            mutes = mutes.filter(Q(room=room) | Q(room=None))
        return mutes


class ChatMute(models.Model):
    """A reader who may not post in a room (or in any room, when ``room`` is empty) until a time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="chat_mutes",
        verbose_name=_("reader"),
    )
    room = models.ForeignKey(
        ChatRoom,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mutes",
        verbose_name=_("room"),
        help_text=_("Empty: every room."),
    )
    until = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("muted by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChatMuteQuerySet.as_manager()

    class Meta:
        verbose_name = _("chat mute")
        indexes = [models.Index(fields=["user", "-until"], name="chat_mute_user")]

    def __str__(self):
        until = formats.date_format(timezone.localtime(self.until), "SHORT_DATETIME_FORMAT")
        return f"{self.user}: {until}"
