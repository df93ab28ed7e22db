"""Public copies are made when a photo is added, or its file or focal point changes, by
whatever path: ``import_photo``, the newsroom's upload forms, a wire ingest. See
``dateline/mediabank/renditions.py``."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from dateline.mediabank.models import Photo
from dateline.mediabank.renditions import make_renditions_after_commit


@receiver(post_save, sender=Photo)
def photo_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return  # loading a fixture: its files may not be there
    make_renditions_after_commit(instance)
