"""The people behind the stories: reporters, editors, photographers."""

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Person(index.Indexed, models.Model):
    class Role(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        EDITOR = "editor", _("Editor")
        PHOTOGRAPHER = "photographer", _("Photographer")
        CONTRIBUTOR = "contributor", _("Contributor")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REPORTER)
    bio = models.TextField(_("biography"), blank=True)
    user = models.OneToOneField(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("newsroom account"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_person_slug(self.name)
        super().save(*args, **kwargs)

    def url_in(self, edition) -> str:
        """Return this person's page in ``edition``."""
        return f"/{edition.slug}/people/{self.slug}/"


def unique_person_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True) or "person"
    slug, n = base, 2
    while Person.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
