"""Sections of an edition (World, Asia, Business…) and the places that datelines name."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

# Paths under an edition that belong to the site, so no section may take them.
RESERVED_SLUGS = {
    "search",
    "tags",
    "people",
    "archive",
    "subscribe",
    "feed",
    "mediabank",
    "admin",
    "corrections",
    "chats",
    "newsfeed.json",
    "newsletters",
    "my-news",
}


class Section(index.Indexed, models.Model):
    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("edition"),
    )
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order in navigation"), default=100)
    in_navigation = models.BooleanField(_("show in navigation"), default=True)

    panels = [
        FieldPanel("edition"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
        FieldPanel("in_navigation"),
    ]
    search_fields = [index.SearchField("name"), index.FilterField("edition_id")]

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="unique_section_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/{self.edition.slug}/{self.slug}/"

    @property
    def url(self) -> str:
        return self.get_absolute_url()

    def clean(self):
        # Addresses that start with a digit are the date archives (/en/2026/).
        if self.slug in RESERVED_SLUGS or self.slug[:1].isdigit():
            raise ValidationError({"slug": _("This address is reserved; choose another slug.")})


class Place(models.Model):
    """A place a story is filed from: the PLACE of "PLACE (Agency) –"."""

    name = models.CharField(_("name"), max_length=120)
    country_code = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code")
    )
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country_code"], name="unique_place"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.country_code}" if self.country_code else self.name
