"""Forms that readers and clients fill in on the public site."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from dateline.text import single_line, strip_bidi_controls


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

    # Fields that go into the photo desk's mail on one line (the name also in the subject's
    # reach): line breaks are folded, so no field can add lines or headers to the mail.
    SINGLE_LINE = ("name", "organisation")

    def clean(self):
        data = super().clean()
        for field in ("name", "organisation", "intended_use"):
            if data.get(field):
                try:
                    text = _clean_text(strip_bidi_controls(data[field]))
                except forms.ValidationError as error:
                    self.add_error(field, error)
                    continue
                data[field] = single_line(text) if field in self.SINGLE_LINE else text
        return data
