"""The photo archive's model: a Wagtail image with the metadata an agency's photo desk keeps."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.search import index


class Photo(AbstractImage):
    caption = models.TextField(_("caption"), blank=True)
    alt_text = models.CharField(
        _("alt text"),
        max_length=255,
        blank=True,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    photographer = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
        verbose_name=_("photographer"),
    )
    agency = models.CharField(_("agency"), max_length=80, blank=True)
    copyright_notice = models.CharField(_("copyright notice"), max_length=255, blank=True)

    admin_form_fields = (
        *Image.admin_form_fields,
        "caption",
        "alt_text",
        "photographer",
        "agency",
        "copyright_notice",
    )
    search_fields = [
        *AbstractImage.search_fields,
        index.SearchField("caption"),
        index.SearchField("agency"),
    ]

    class Meta(AbstractImage.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    @property
    def credit_line(self) -> str:
        """Return the credit as printed under the photo: "© Agency / Photographer"."""
        names = [n for n in (self.agency, self.photographer.name if self.photographer else "") if n]
        return "© " + " / ".join(names) if names else ""

    @property
    def default_alt_text(self) -> str:
        return self.alt_text or self.caption or self.title

    def get_absolute_url(self) -> str:
        return reverse("mediabank:photo", args=[self.pk])


class PhotoRendition(AbstractRendition):
    image = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
