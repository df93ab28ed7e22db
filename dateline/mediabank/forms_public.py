"""Forms that readers and clients fill in on the public site."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _


def _clean_text(value: str) -> str:
    """Refuse control characters (other than line breaks and tabs) in reader input."""
    for char in value:
        if unicodedata.category(char) == "Cc" and char not in "\n\r\t":
            raise forms.ValidationError(_("Please remove the control characters."))
    return value.strip()


class LicenceRequestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    organisation = forms.CharField(label=_("Organisation"), max_length=160, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    intended_use = forms.CharField(
        label=_("Intended use"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Where and how the photo would appear, for how long, in which countries."),
    )

    def clean(self):
        data = super().clean()
        for field in ("name", "organisation", "intended_use"):
            if data.get(field):
                try:
                    data[field] = _clean_text(data[field])
                except forms.ValidationError as error:
                    self.add_error(field, error)
        return data
