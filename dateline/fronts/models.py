"""Reads counted for "most read": how often each story was read in each hour, and nothing about
who read it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadCount(models.Model):
    """The number of reads of one story in one hour (``hour`` is the start of the hour, UTC).

    No address, cookie, user agent or reader id is stored or needed: the count is all."""

    story = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("story")
    )
    hour = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("reads"), default=0)

    class Meta:
        verbose_name = _("read count")
        verbose_name_plural = _("read counts")
        constraints = [
            models.UniqueConstraint(fields=["story", "hour"], name="readcount_story_hour")
        ]
        indexes = [models.Index(fields=["hour"], name="readcount_hour")]

    def __str__(self):
        return f"{self.story_id} @ {self.hour:%Y-%m-%d %H}:00: {self.count}"
