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
    # The display name's confusables skeletons (dateline.accounts.names.name_keys): its own,
    # upper-case and lower-case. Another reader's name that shares one is refused.
    name_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    name_key_upper = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    name_key_lower = models.CharField(max_length=200, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("reader profile")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        from dateline.accounts.names import skeleton

        name = self.display_name
        self.name_key = skeleton(name)[:200]
        self.name_key_upper = skeleton(name.upper())[:200]
        self.name_key_lower = skeleton(name.lower())[:200]
        if kwargs.get("update_fields") is not None and "display_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "name_key",
                "name_key_upper",
                "name_key_lower",
            }
        super().save(*args, **kwargs)


def _profile_name(user) -> str:
    try:
        return user.reader_profile.display_name
    except ReaderProfile.DoesNotExist:
        return ""


def display_name(user) -> str:
    """Return the name others see over a user's comments and messages: the reader's display
    name, else their full name; a newsroom account without either shows its user name, a
    reader's never does (allauth made it up; the reader never chose it)."""
    if user is None:
        return str(_("deleted user"))
    name = _profile_name(user) or user.get_full_name()
    if name:
        return name
    return user.get_username() if is_staff_member(user) else str(_("reader"))


def newsroom_accounts():
    """The accounts whose words carry the staff badge and whose names readers may not take:
    active, and a superuser, a Django staff user, or in a group that may enter the newsroom
    (every role of dateline.newsroom.roles). Decided by the account's role, never by the name,
    which any reader may choose."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    newsroom = Q(is_superuser=True) | Q(is_staff=True)
    newsroom |= Q(
        groups__permissions__codename="access_admin",
        groups__permissions__content_type__app_label="wagtailadmin",
    )
    return get_user_model().objects.filter(newsroom, is_active=True).distinct()


def staff_member_ids(user_ids) -> set[int]:
    """Those of ``user_ids`` that are newsroom accounts (one query however many ids)."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return set()
    return set(newsroom_accounts().filter(pk__in=ids).values_list("pk", flat=True))


def is_staff_member(user, staff_ids: set[int] | None = None) -> bool:
    """Whether what ``user`` writes carries the staff badge (see staff_member_ids); a list
    passes the ``staff_ids`` it looked up once for all its authors."""
    if user is None:
        return False
    if staff_ids is None:
        staff_ids = staff_member_ids([user.pk])
    return user.pk in staff_ids


def account_display(user) -> str:
    """Return how allauth's pages and mails name the signed-in reader to themselves: the
    display name, else the e-mail address (``ACCOUNT_USER_DISPLAY``). Never the user name."""
    return _profile_name(user) or user.get_full_name() or user.email or str(_("reader"))


def public_key(user) -> str:
    """An opaque key for a reader, shown beside what they post, so that their own page can
    recognise their comments without telling anyone else who they are."""
    if user is None:
        return ""
    return salted_hmac("dateline.accounts.public-key", str(user.pk)).hexdigest()[:20]
