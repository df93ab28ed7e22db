"""API keys: how partners are known to the read API.

A key is a random secret that the newsroom issues to a partner (``actions.issue_api_key``). Only
its SHA-256 hash is stored, so the key itself is shown once, when it is issued; the first
characters are kept to tell keys apart in the list. A key identifies the partner and gives it
its own rate limit; it opens nothing that anonymous readers cannot see.
"""

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How many characters of a key are kept in the clear to recognise it ("dlk_Ab12Cd34").
SHOWN_CHARACTERS = 12
MAX_REQUESTS_PER_MINUTE = 100_000


def hash_key(key: str) -> str:
    """Return the SHA-256 hex digest under which ``key`` is stored. Keys are 256 random bits,
    so a fast hash is enough: there is nothing to guess a dictionary of."""
    return hashlib.sha256(key.encode()).hexdigest()


def default_requests_per_minute() -> int:
    return settings.API_KEY_REQUESTS_PER_MINUTE


class ApiKey(models.Model):
    """A partner's key to the read API, with the requests per minute it may make."""

    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("What the key is for, e.g. “Website widget” or “Mobile app”."),
    )
    partner = models.CharField(
        _("partner"), max_length=200, help_text=_("The organisation or person using the key.")
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    requests_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        default=default_requests_per_minute,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REQUESTS_PER_MINUTE)],
        help_text=_("Requests beyond this in one minute are answered 429 Too Many Requests."),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick to revoke the key: requests with it are refused at once."),
    )
    notes = models.TextField(_("notes"), blank=True)
    shown_part = models.CharField(_("key begins"), max_length=SHOWN_CHARACTERS, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["partner", "name"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.name} ({self.shown_part}…)"

    @property
    def rate_bucket(self) -> str:
        return f"key:{self.pk}"
