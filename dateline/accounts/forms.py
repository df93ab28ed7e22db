from django import forms
from django.utils.translation import gettext_lazy as _

from dateline.accounts.models import ReaderProfile
from dateline.accounts.names import validate_display_name
from dateline.accounts.text import clean_text
from dateline.text import strip_bidi_controls

NAME_MAX = 40


def clean_display_name(value, *, user=None) -> str:
    """Return the name ``value`` as stored, or refuse it with a message the reader can act
    on: direction controls are removed; reserved, look-alike and disguised names refused
    (dateline.accounts.names)."""
    if isinstance(value, str):
        value = strip_bidi_controls(value, invisible=False)
    name = clean_text(value, max_length=NAME_MAX)
    if len(name) < 2:
        raise forms.ValidationError(_("A name has at least 2 characters."))
    validate_display_name(name, user=user)
    return name


class SignupForm(forms.Form):
    """allauth's sign-up form adds these fields (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=200,
        help_text=_("Shown with your comments and chat messages."),
    )

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])

    def signup(self, request, user):
        ReaderProfile.objects.update_or_create(
            user=user, defaults={"display_name": self.cleaned_data["display_name"]}
        )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = ReaderProfile
        fields = ["display_name"]

    display_name = forms.CharField(label=_("Display name"), max_length=200)

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"], user=self.instance.user)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("That is not your password."))
        return ""
