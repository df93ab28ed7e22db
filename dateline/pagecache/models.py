from django.db import models
from django.utils.translation import gettext_lazy as _


class Purge(models.Model):
    """One purge, in the log that every web process follows (a quarter of a second apart), so
    that a change made in one process (an editor's request, the scheduler, a command) empties
    the page caches of all of them. Rows are pruned as new ones come; only the newest matter."""

    keys = models.CharField(_("keys"), max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("page cache purge")
        verbose_name_plural = _("page cache purges")

    def __str__(self):
        return self.keys
