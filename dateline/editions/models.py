"""An edition: one language of the news service, with its own home front, time and style.

Each edition is a page at the top of the page tree whose slug is its language code (/en/, /ru/);
its stories live below it in date buckets. Fronts, search and archives are served for it by the
higher apps; this model only holds what makes the edition itself.
"""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

DATE_STYLES = {
    # name: (label, Django date format for a date with time). "E" is the month's name as a
    # date spells it (Russian "29 ноября", not the nominative "ноябрь" that "F" gives); a
    # language may set its own punctuation (Arabic writes "،" for ",").
    "day-month": (
        _("29 November 2026, 14:05"),
        pgettext_lazy("Django date format of the day-month date style", "j E Y, H:i"),
    ),
    "month-day": (
        _("November 29, 2026, 2:05 p.m."),
        pgettext_lazy("Django date format of the month-day date style", "F j, Y, P"),
    ),
    "iso": (_("2026-11-29 14:05"), "Y-m-d H:i"),
}


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(zone)s is not a known time zone."), params={"zone": value})


class Edition(Page):
    """The root of one edition; its URL is /<language code>/."""

    # Named so that "edition" stays free on pages (a story's edition is ``story.edition``).
    page_ptr = models.OneToOneField(
        Page, on_delete=models.CASCADE, parent_link=True, related_name="as_edition"
    )

    site_name = models.CharField(_("site name"), max_length=120)
    tagline = models.CharField(_("tagline"), max_length=255, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    date_style = models.CharField(
        _("date style"),
        max_length=16,
        choices=[(key, label) for key, (label, _format) in DATE_STYLES.items()],
        default="day-month",
    )
    agency = models.CharField(
        _("agency"),
        max_length=80,
        help_text=_("The agency named in datelines when a story names none."),
    )
    footer_note = models.CharField(_("footer note"), max_length=255, blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["articles.ArchivePage"]
    # Fronts are views of the fronts app, not page previews.
    preview_modes: list = []

    content_panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [FieldPanel("site_name"), FieldPanel("tagline"), FieldPanel("agency")],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [FieldPanel("time_zone"), FieldPanel("date_style")], heading=_("Time and dates")
        ),
        FieldPanel("footer_note"),
    ]

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def route(self, request, path_components):
        # A story (/<year>/<month>/<day>/<slug>/) in one query, not two a level down the
        # date buckets (dateline.articles.models.route_to_story).
        from dateline.articles.models import route_to_story

        found = route_to_story(self, request, path_components, 4)
        return found or super().route(request, path_components)

    @property
    def language_code(self) -> str:
        return self.locale.language_code

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def format_datetime(self, value) -> str:
        """Return ``value`` in this edition's date style and timezone, in the active language."""
        local = timezone.localtime(value, self.tzinfo)
        return formats.date_format(local, str(DATE_STYLES[self.date_style][1]))

    def clean(self):
        super().clean()
        if self.slug != self.locale.language_code:
            raise ValidationError(
                {
                    "slug": _("An edition's slug is its language code (%(code)s).")
                    % {"code": self.locale.language_code}
                }
            )
