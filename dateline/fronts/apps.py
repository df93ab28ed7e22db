from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontsConfig(AppConfig):
    name = "dateline.fronts"
    label = "fronts"
    verbose_name = _("Fronts")
