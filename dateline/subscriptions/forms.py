from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    """An address and the lists it asks for, among ``newsletters``."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("“%(value)s” is not an e-mail address. Check it and try again."),
        },
    )
    newsletters = forms.TypedMultipleChoiceField(
        label=_("Newsletters"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one newsletter."),
            "invalid_choice": _("Choose among the newsletters listed."),
        },
    )

    def __init__(self, *args, newsletters, **kwargs):
        super().__init__(*args, **kwargs)
        self.lists = {newsletter.pk: newsletter for newsletter in newsletters}
        self.fields["newsletters"].choices = [
            (newsletter.pk, newsletter.display_title) for newsletter in newsletters
        ]

    def clean_email(self):
        value = self.cleaned_data["email"]
        # EmailField's message needs the value; Django passes it only for some validators.
        return value.strip()

    def chosen(self) -> list:
        return [self.lists[pk] for pk in self.cleaned_data["newsletters"]]

    def checked(self) -> set[int]:
        """The ids of the lists whose boxes show ticked."""
        return {int(v) for v in self["newsletters"].value() or [] if str(v).isdigit()}


class ManageForm(forms.Form):
    newsletters = forms.TypedMultipleChoiceField(
        label=_("Your newsletters"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose among the newsletters listed.")},
    )

    def __init__(self, *args, newsletters, **kwargs):
        super().__init__(*args, **kwargs)
        self.lists = {newsletter.pk: newsletter for newsletter in newsletters}
        self.fields["newsletters"].choices = [
            (newsletter.pk, str(newsletter)) for newsletter in newsletters
        ]

    def chosen(self) -> list:
        return [self.lists[pk] for pk in self.cleaned_data["newsletters"]]

    def checked(self) -> set[int]:
        """The ids of the lists whose boxes show ticked."""
        return {int(v) for v in self["newsletters"].value() or [] if str(v).isdigit()}
