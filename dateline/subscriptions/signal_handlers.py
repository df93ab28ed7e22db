"""Hooks into the lower apps: every new edition gets its newsletters, and a story flagged as
breaking news makes an alert for the sender to mail."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from dateline.editions.models import Edition
from dateline.live.models import BreakingNews
from dateline.subscriptions import actions, sending


@receiver(post_save, sender=Edition)
def give_edition_newsletters(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(lambda: actions.ensure_newsletters(instance))


@receiver(post_save, sender=BreakingNews)
def alert_breaking_news(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.ended_at is None:
        transaction.on_commit(lambda: sending.make_breaking_issues(instance))
