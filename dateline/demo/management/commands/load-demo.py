from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from dateline.articles.loading import load_stories
from dateline.articles.models import ArticlePage
from dateline.chats.actions import open_general_room
from dateline.demo.content import SECTIONS, STORIES, load_demo_stories, photo_files
from dateline.demo.live import load_demo_coverage
from dateline.demo.photos import make_photo
from dateline.editions.actions import create_edition
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
    help = "Set up the demo: the English edition, its sections, a newsroom admin and stories."

    def handle(self, *args, **options):
        edition = create_edition(
            "en",
            site_name="Dateline International",
            tagline="World news as it happens: live coverage, features, analysis and the "
            "stories off the beaten track.",
            agency="Dateline",
            time_zone="Europe/London",
            footer_note="Sample content: every story, person and photo on this demo site is "
            "made up for Dateline's demonstration.",
        )
        open_general_room(edition)
        for order, (slug, name) in enumerate(SECTIONS):
            Section.objects.get_or_create(
                edition=edition, slug=slug, defaults={"name": name, "sort_order": order}
            )
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
        if ArticlePage.objects.filter(edition=edition).exists():
            self.stdout.write("The demo stories are already loaded; keeping the data as it is.")
            return
        # Drawn beside the uploads, so that a test run draws into its own folder.
        photo_dir = Path(settings.MEDIA_ROOT).parent / "demo-photos"
        stories = load_demo_stories()
        files = sorted(photo_files(stories))
        for n, name in enumerate(files, start=1):
            make_photo(photo_dir / name)
            if n % 10 == 0 or n == len(files):
                self.stdout.write(f"Drawing demo photos: {n}/{len(files)}")
        report = load_stories(STORIES, publish=True, photo_dir=photo_dir)
        coverage = load_demo_coverage(edition)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(report.created)} stories ({report.published} published, "
                f"{report.scheduled} scheduled), {report.photos_created} photos, and live "
                f"coverage at {coverage.url}."
            )
        )
