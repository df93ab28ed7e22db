from django.core.management.base import BaseCommand

from dateline.newsroom.roles import ROLES, WORKFLOW_NAME, setup_newsroom


class Command(BaseCommand):
    help = (
        "Create or update the newsroom's groups (Reporters, Editors, Photo editors, Moderators, "
        "Administrators) with their permissions on every edition, and the editorial review "
        "workflow. Safe to run again."
    )

    def handle(self, *args, **options):
        groups = setup_newsroom()
        for role in ROLES:
            members = groups[role.name].user_set.count()
            self.stdout.write(
                f"{role.name}: {len(role.page)} page, {len(role.images)} image and "
                f"{len(role.models)} other permissions; {members} members"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Newsroom ready: {len(groups)} groups; stories go through '{WORKFLOW_NAME}'."
            )
        )
