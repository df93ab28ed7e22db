import time

from django.core.management.base import BaseCommand

from dateline.mediabank.models import Photo
from dateline.mediabank.renditions import make_renditions


class Command(BaseCommand):
    help = (
        "Make every public copy (rendition) of every photo that pages, feeds and exports ask "
        "for and that is missing (see dateline/mediabank/renditions.py). New photos get theirs "
        "when they are added; run this once on a site whose photos came before that."
    )

    def handle(self, *args, **options):
        start = time.monotonic()
        made = photos = 0
        for photo in Photo.objects.order_by("pk").iterator(chunk_size=200):
            count = make_renditions([photo])
            if count:
                made += count
                photos += 1
        self.stdout.write(
            f"Made {made} copies of {photos} photos in {time.monotonic() - start:.1f} s; "
            "every photo now has all of its copies."
        )
