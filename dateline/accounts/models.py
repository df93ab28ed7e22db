from django.conf import settings
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class ReaderProfile(models.Model):
    """What a reader shows of themselves: the name over their comments and chat messages."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_profile"
    )
    display_name = models.CharField(_("display name"), max_length=40)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("reader profile")

    def __str__(self):
        return self.display_name


def display_name(user) -> str:
    if user is None:
        return str(_("deleted user"))
    profile = getattr(user, "reader_profile", None)
    if profile is not None:
        return profile.display_name
    return user.get_full_name() or user.get_username()


def public_key(user) -> str:
    """An opaque key for a reader, shown beside what they post, so that their own page can
    recognise their comments without telling anyone else who they are."""
    if user is None:
        return ""
    return salted_hmac("dateline.accounts.public-key", str(user.pk)).hexdigest()[:20]
