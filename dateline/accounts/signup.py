"""allauth's sign-up form (ACCOUNT_FORMS["signup"]) with one change: an address that already
has an account costs what a new one costs. allauth then sends "you already have an account"
instead of creating one (ACCOUNT_PREVENT_ENUMERATION); creating one hashes the password, which
is most of the time a sign-up takes. The same hashing is done for the known address, and the
mail goes out in the background in both cases (dateline.accounts.outbox)."""

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password


class ReaderSignupForm(SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
