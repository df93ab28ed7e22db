from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LimitsConfig(AppConfig):
    name = "dateline.limits"
    label = "limits"
    verbose_name = _("Rate limits")

    def ready(self):
        # allauth counts sign-in, sign-up and password-reset attempts in Django's default cache,
        # which anonymous writes can fill (and a local-memory cache then evicts the counters).
        # Point it at the limits store instead: nothing else writes there.
        from allauth.core.internal import ratelimit
        from django.core.cache import caches
        from django.utils.connection import ConnectionProxy

        ratelimit.cache = ConnectionProxy(caches, "limits")
