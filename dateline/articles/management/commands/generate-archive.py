from django.core.management.base import BaseCommand, CommandError

from dateline.articles.generate import generate_archive
from dateline.editions.models import Edition


class Command(BaseCommand):
    help = (
        "Fill an edition with N synthetic published stories spread over years, sections, tags, "
        "bylines and a pool of generated photos, for benchmarks (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, required=True, help="how many stories to add")
        parser.add_argument("--edition", default="en", help="the edition's language code")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument(
            "--years", type=int, default=10, help="spread the stories over this many years"
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, stories: int, edition: str, seed: int, years: int, **options):
        if stories < 1:
            raise CommandError(f"--stories must be at least 1, not {stories}.")
        if years < 1:
            raise CommandError(f"--years must be at least 1, not {years}.")
        found = Edition.objects.filter(slug=edition).first()
        if found is None:
            known = ", ".join(Edition.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No edition {edition!r} (editions: {known}).")
        verbose = options["verbosity"] > 0

        def progress(done: int, total: int, seconds: float) -> None:
            rate = done / seconds if seconds else 0
            left = (total - done) / rate if rate else 0
            self.stdout.write(
                f"[{done:,}/{total:,}] {rate:,.0f} stories/s, about {left:,.0f} s to go",
            )

        report = generate_archive(
            found,
            stories,
            seed=seed,
            years=years,
            batch_size=options["batch_size"],
            progress=progress if verbose else None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {report.stories:,} stories to {edition} in {report.seconds:,.1f} s "
                f"({report.stories / max(report.seconds, 0.001):,.0f}/s): "
                f"{report.buckets:,} date buckets, {report.photos} photos, "
                f"{report.people} people, {report.tags:,} tags created."
            )
        )
