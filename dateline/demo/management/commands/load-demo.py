from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from dateline.articles.loading import load_stories
from dateline.articles.models import ArticlePage
from dateline.chats.actions import open_general_room
from dateline.demo.agencies import load_demo_wire
from dateline.demo.content import EDITIONS, TRANSLATIONS, load_demo_stories, photo_files
from dateline.demo.live import load_demo_coverage
from dateline.demo.photos import make_photo
from dateline.demo.readers import record_demo_reads
from dateline.editions.actions import create_edition, link_translation
from dateline.live.models import LiveCoveragePage
from dateline.newsroom.roles import (
    ADMINISTRATORS,
    EDITORS,
    MODERATORS,
    PHOTO_EDITORS,
    REPORTERS,
    setup_newsroom,
)
from dateline.sections.models import Section

ADMIN_USER, ADMIN_PASSWORD = "admin", "dateline-demo"
# One newsroom user per role, all with the demo password.
ROLE_USERS = {
    "reporter": REPORTERS,
    "editor": EDITORS,
    "photoeditor": PHOTO_EDITORS,
    "moderator": MODERATORS,
    "administrator": ADMINISTRATORS,
}


class Command(BaseCommand):
    help = (
        "Set up the demo: the English, Russian and Arabic editions with their sections, "
        "stories, live coverage, reads for most read and chat rooms, the demo agencies' items "
        "on the wire desk, and a newsroom user per role. An edition that already has stories "
        "is kept as it is."
    )

    def handle(self, *args, **options):
        editions = {demo.code: self.setup_edition(demo) for demo in EDITIONS}
        # The newsroom's groups get their page permissions on the editions that exist.
        self.setup_users()
        # Drawn beside the uploads, so that a test run draws into its own folder.
        photo_dir = Path(settings.MEDIA_ROOT).parent / "demo-photos"
        loaded = []
        for demo in EDITIONS:
            edition = editions[demo.code]
            if ArticlePage.objects.filter(edition=edition).exists():
                self.stdout.write(
                    f"The {demo.code} demo stories are already loaded; keeping the data as it is."
                )
                continue
            stories = load_demo_stories(demo.code)
            files = sorted(photo_files(stories))
            for n, name in enumerate(files, start=1):
                make_photo(photo_dir / name)
                if n % 10 == 0 or n == len(files):
                    self.stdout.write(f"Drawing {demo.code} demo photos: {n}/{len(files)}")
            report = load_stories(demo.stories, publish=True, photo_dir=photo_dir)
            coverage = load_demo_coverage(edition)
            reads = record_demo_reads(edition)
            loaded.append(demo.code)
            self.stdout.write(
                f"{demo.code}: {len(report.created)} stories ({report.published} published, "
                f"{report.scheduled} scheduled), {report.photos_created} photos, live "
                f"coverage at {coverage.url}, {reads} reads for most read"
            )
        wire = load_demo_wire()
        if wire.created:
            self.stdout.write(f"Wire desk: {wire.summary()} from the demo agencies.")
        linked = self.link_translations()
        if loaded:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo ready: {len(loaded)} editions loaded ({', '.join(loaded)}), "
                    f"{linked} translations linked."
                )
            )

    def setup_edition(self, demo):
        """Return the demo edition ``demo``, created with its sections and general chat room
        if they are missing."""
        edition = create_edition(
            demo.code,
            site_name=demo.site_name,
            tagline=demo.tagline,
            agency=demo.agency,
            time_zone=demo.time_zone,
            date_style=demo.date_style,
            footer_note=demo.footer_note,
        )
        open_general_room(edition)
        for order, (slug, name) in enumerate(demo.sections):
            Section.objects.get_or_create(
                edition=edition, slug=slug, defaults={"name": name, "sort_order": order}
            )
        return edition

    def setup_users(self):
        groups = setup_newsroom()
        User = get_user_model()
        if not User.objects.filter(username=ADMIN_USER).exists():
            User.objects.create_superuser(ADMIN_USER, "admin@localhost", ADMIN_PASSWORD)
        for username, group_name in ROLE_USERS.items():
            if not User.objects.filter(username=username).exists():
                user = User.objects.create_user(
                    username,
                    f"{username}@localhost",
                    ADMIN_PASSWORD,
                    first_name=username.title(),
                    last_name="(demo)",
                )
                user.groups.add(groups[group_name])

    def link_translations(self) -> int:
        """Link the demo's translated stories and live coverage to their English originals
        (those not linked yet); return how many were linked."""
        pairs = [
            (
                ArticlePage.objects.filter(edition__slug=code, slug=slug).first(),
                ArticlePage.objects.filter(edition__slug="en", slug=original).first(),
            )
            for (code, slug), original in TRANSLATIONS.items()
        ]
        english_coverage = LiveCoveragePage.objects.filter(edition__slug="en").first()
        pairs += [
            (coverage, english_coverage)
            for coverage in LiveCoveragePage.objects.exclude(edition__slug="en")
        ]
        linked = 0
        for page, original in pairs:
            if page and original and page.translation_key != original.translation_key:
                link_translation(page, original)
                linked += 1
        return linked
