from django.db.models.signals import post_save
from django.dispatch import receiver

from dateline.editions.models import Edition


@receiver(post_save, sender=Edition)
def open_the_general_room(sender, instance, created, raw=False, **kwargs):
    """Every edition has a general room from its first save."""
    if created and not raw:
        from dateline.chats.actions import open_general_room

        open_general_room(instance)
