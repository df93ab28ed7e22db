"""The mails: the confirmation of a sign-up, and one issue of a newsletter for one recipient.
Each is rendered in the language of the edition it belongs to, as plain text and HTML."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from dateline.subscriptions.tokens import confirm_token, manage_token, unsubscribe_token


def site_link(path: str) -> str:
    return settings.SITE_URL + path


def confirm_url(subscriber, language: str) -> str:
    return site_link(f"/{language}/newsletters/confirm/{confirm_token(subscriber)}/")


def manage_url(subscriber, language: str) -> str:
    return site_link(f"/{language}/newsletters/manage/{manage_token(subscriber)}/")


def unsubscribe_url(subscriber, newsletter) -> str:
    token = unsubscribe_token(subscriber, newsletter)
    return site_link(f"/{newsletter.edition.slug}/newsletters/unsubscribe/{token}/")


def list_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _render(name: str, context: dict) -> tuple[str, str]:
    text = render_to_string(f"subscriptions/email/{name}.txt", context)
    html = render_to_string(f"subscriptions/email/{name}.html", context)
    return text, html


def send_confirmation(subscriber, newsletters, connection=None) -> None:
    """Mail ``subscriber`` the link that confirms their address and ``newsletters``."""
    edition = newsletters[0].edition
    with translation.override(edition.language_code):
        context = {
            "edition": edition,
            "newsletters": newsletters,
            "confirm_url": confirm_url(subscriber, edition.slug),
            "valid_days": 3,
        }
        subject = _("Confirm your subscription to %(site)s") % {"site": edition.site_name}
        text, html = _render("confirm", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [subscriber.email], connection=connection
    )
    message.attach_alternative(html, "text/html")
    message.send()


def issue_message(issue, subscriber, stories, followed=(), connection=None):
    """Return the mail of ``issue`` for ``subscriber``: ``stories`` (and ``followed``, the
    stories from what the reader follows), with the one-click unsubscribe headers of RFC 8058
    and a link to the page where the reader manages all their lists."""
    newsletter = issue.newsletter
    edition = newsletter.edition
    unsubscribe = unsubscribe_url(subscriber, newsletter)
    with translation.override(edition.language_code), timezone.override(edition.tzinfo):
        context = {
            "edition": edition,
            "newsletter": newsletter,
            "issue": issue,
            "stories": [_story_context(story, edition) for story in stories],
            "followed": [_story_context(story, edition) for story in followed],
            "unsubscribe_url": unsubscribe,
            "manage_url": manage_url(subscriber, edition.slug),
            "home_url": site_link(f"/{edition.slug}/"),
            "breaking": newsletter.kind == "breaking",
        }
        if context["breaking"] and stories:
            subject = _("Breaking: %(headline)s") % {"headline": stories[0].title}
        else:
            subject = _("%(site)s: %(newsletter)s, %(date)s") % {
                "site": edition.site_name,
                "newsletter": newsletter.display_title,
                "date": formats.date_format(timezone.localtime(issue.covers_until).date()),
            }
        text, html = _render("issue", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<{newsletter.kind}-{newsletter.pk}.{edition.slug}.{list_domain()}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _story_context(story, edition) -> dict:
    return {
        "headline": story.title,
        "standfirst": story.standfirst,
        "section": story.primary_section.name,
        "url": story.url if story.url.startswith("http") else site_link(story.url),
        "time": edition.format_datetime(story.published_at),
    }
