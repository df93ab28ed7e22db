"""Messages of Django's own that readers or editors can meet and that Django's Arabic catalogue
lacks (or holds under an older msgid), marked here so that Dateline's catalogue carries them.

Nothing imports this module: `makemessages` reads it. The msgids must stay identical to Django's
(django/contrib/auth/password_validation.py, django/forms/formsets.py, django/forms/models.py,
django/db/models/constraints.py, django/core/validators.py); tests/test_catalogues.py checks
that every one of them still exists in Django's English catalogue, so an upgrade that changes one
fails the test instead of leaving it untranslated.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    # Registration and password change (Django's Arabic catalogue has the msgid of Django < 5).
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    # Forms of the newsroom (Wagtail admin): inline panels, choosers and constraints.
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms."),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms."),
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    gettext_noop("Constraint “%(name)s” is violated."),
    gettext_noop("Enter a valid domain name."),
]
