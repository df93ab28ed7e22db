"""Rebuild the vocabulary "Did you mean" corrects queries from, from the visible stories."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from dateline.articles.models import ArticlePage
from dateline.editions.models import Edition
from dateline.search import vocabulary


class Command(BaseCommand):
    help = (
        "Rebuild each edition's search vocabulary (the words of its visible stories) that "
        "'Did you mean' suggests from. Publishing keeps it up to date; run this after "
        "generate-archive, a bulk import or an upgrade."
    )

    def add_arguments(self, parser):
        parser.add_argument("--edition", help="only this edition (its language code)")

    def handle(self, *args, edition=None, **options):
        editions = Edition.objects.all()
        if edition:
            editions = editions.filter(slug=edition)
        for each in editions:
            stories = (
                ArticlePage.objects.visible(timezone.now())
                .filter(edition=each)
                .only("pk", "title", "standfirst", "body", "edition_id")
                .prefetch_related("bylines__person")
            )
            size = vocabulary.rebuild(each, stories)
            if options["verbosity"]:
                self.stdout.write(f"{each.slug}: {size:,} words")
