from django.db import models


class Counter(models.Model):
    """One entry of the limits store (dateline.limits.store.DatabaseLimitsStore): a window's
    count, or a value allauth keeps. Expired entries are pruned; live ones are never culled."""

    bucket = models.CharField(max_length=250, primary_key=True)
    hits = models.BigIntegerField(null=True)
    payload = models.TextField(blank=True, default="")
    expires_at = models.FloatField(db_index=True)  # seconds since the epoch

    class Meta:
        db_table = "limits_counter"  # written as such in store.py's SQL
        verbose_name = "rate limit counter"

    def __str__(self):
        return self.bucket
