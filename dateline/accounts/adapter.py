"""django-allauth as Dateline: mails that carry the name of the reader's edition and speak its
language, and readers named by their display name, never by the internal user name."""

from email.utils import parseaddr
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from dateline.accounts import outbox
from dateline.editions.lookup import get_edition


def reader_edition(request):
    """Return the edition whose masthead the request wears (ReaderLanguageMiddleware sets it
    from the link, the referring page or the remembered language), else the default one."""
    edition = getattr(request, "edition", None) if request is not None else None
    return edition or get_edition(settings.LANGUAGE_CODE)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send allauth's mail with the reader's edition in its context: ``site_name`` and
        ``site_url`` for Dateline's own templates, and a ``current_site`` that names the
        edition (allauth's templates would otherwise greet from the request's host name).
        The mail is sent in the background (dateline.accounts.outbox)."""
        edition = reader_edition(allauth_context.request)
        site_name = edition.site_name if edition else "Dateline"
        site_url = settings.SITE_URL + (f"/{edition.slug}/" if edition else "/")
        context = {
            "edition": edition,
            "site_name": site_name,
            "site_url": site_url,
            "current_site": SimpleNamespace(name=site_name, domain=urlsplit(site_url).netloc),
            **context,
        }
        # Rendered now, in the reader's language; sent from the background after commit, so
        # that every path of sign-up and password reset costs the reader the same time.
        message = self.render_mail(
            template_prefix, email, {"request": allauth_context.request, "email": email, **context}
        )
        outbox.send_later(message)

    def get_login_redirect_url(self, request) -> str:
        """Without a ``next``, send a reader who signs in (or confirms their address) to the
        home front of the edition they came from, not to the one their browser prefers."""
        edition = getattr(request, "edition", None)
        return f"/{edition.slug}/" if edition else super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request) -> str:
        """As after signing in: confirming the address of a new account signs the reader in."""
        edition = getattr(request, "edition", None)
        return f"/{edition.slug}/" if edition else super().get_signup_redirect_url(request)

    def get_logout_redirect_url(self, request) -> str:
        edition = getattr(request, "edition", None)
        return f"/{edition.slug}/" if edition else super().get_logout_redirect_url(request)

    def get_from_email(self) -> str:
        """Return the sender address under the name of the reader's edition."""
        edition = reader_edition(allauth_context.request)
        _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        if edition is None or not address:
            return settings.DEFAULT_FROM_EMAIL
        # Not formataddr(), which encodes the name: Django encodes the header when it sends.
        name = edition.site_name
        if any(char in name for char in '()<>@,:;."[]\\'):
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{name} <{address}>"
