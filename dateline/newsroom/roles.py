"""The newsroom's roles, as Wagtail groups with the permissions each needs, per edition."""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from dateline.editions.models import Edition

REPORTERS, EDITORS, PHOTO_EDITORS = "Reporters", "Editors", "Photo editors"
MODERATORS, ADMINISTRATORS = "Moderators", "Administrators"
WORKFLOW_NAME = "Editorial review"
APPROVAL_TASK_NAME = "Editor approval"


@dataclass(frozen=True)
class Role:
    name: str
    # Wagtail page permissions on each edition: add (write and edit one's own), change,
    # publish, lock, unlock, bulk_delete.
    page: tuple[str, ...] = ()
    # Image permissions on the root collection: add, change, choose, delete.
    images: tuple[str, ...] = ()
    # Plain model permissions, "app_label.codename".
    models: tuple[str, ...] = field(default_factory=tuple)


ADMIN_ACCESS = "wagtailadmin.access_admin"
# What the story form's choosers need to list.
CHOOSE = ("sections.view_section", "sections.view_place", "people.view_person")
SNIPPETS = (
    "sections.add_section",
    "sections.change_section",
    "sections.add_place",
    "sections.change_place",
    "people.add_person",
    "people.change_person",
)

LIVE_ENTRIES = (
    "live.view_liveentry",
    "live.add_liveentry",
    "live.change_liveentry",
    "live.delete_liveentry",
)
MODERATE = ("discussion.moderate_comment", "chats.moderate_chat")
# The wire desk's sources.
WIRE_SOURCES = ("wire.view_wiresource", "wire.add_wiresource", "wire.change_wiresource")
# Partners' keys to the read API (issuing one shows its secret once).
API_KEYS = ("api.view_apikey", "api.add_apikey", "api.change_apikey", "api.delete_apikey")
# The edition's newsletters (adding a section's list, renaming, retiming, pausing).
NEWSLETTERS = (
    "subscriptions.view_newsletter",
    "subscriptions.add_newsletter",
    "subscriptions.change_newsletter",
)
# Opening and editing chat rooms (per topic or per story).
CHAT_ROOMS = ("chats.view_chatroom", "chats.add_chatroom", "chats.change_chatroom")

ROLES = [
    Role(
        REPORTERS,
        page=("add_page",),
        images=("add_image", "choose_image"),
        models=(ADMIN_ACCESS, *CHOOSE, "sections.add_place", "sections.change_place"),
    ),
    Role(
        EDITORS,
        page=("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
        images=("add_image", "choose_image"),
        models=(
            ADMIN_ACCESS,
            *CHOOSE,
            *SNIPPETS,
            *LIVE_ENTRIES,
            *MODERATE,
            *CHAT_ROOMS,
            *WIRE_SOURCES,
            *NEWSLETTERS,
        ),
    ),
    Role(
        PHOTO_EDITORS,
        images=("add_image", "change_image", "choose_image", "delete_image"),
        models=(
            ADMIN_ACCESS,
            "people.view_person",
            "people.add_person",
            "people.change_person",
            "mediabank.view_licencerequest",
            "mediabank.change_licencerequest",
        ),
    ),
    Role(MODERATORS, models=(ADMIN_ACCESS, *MODERATE)),
    Role(
        ADMINISTRATORS,
        page=(
            "add_page",
            "change_page",
            "publish_page",
            "lock_page",
            "unlock_page",
            "bulk_delete_page",
        ),
        images=("add_image", "change_image", "choose_image", "delete_image"),
        models=(
            ADMIN_ACCESS,
            *CHOOSE,
            *SNIPPETS,
            *LIVE_ENTRIES,
            *MODERATE,
            *CHAT_ROOMS,
            *WIRE_SOURCES,
            *NEWSLETTERS,
            "wire.delete_wiresource",
            *API_KEYS,
            "sections.delete_section",
            "people.delete_person",
            "mediabank.view_licencerequest",
            "mediabank.change_licencerequest",
            "mediabank.delete_licencerequest",
            "auth.add_user",
            "auth.change_user",
            "auth.view_user",
            "wagtailcore.add_locale",
            "wagtailcore.change_locale",
        ),
    ),
]


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def setup_newsroom() -> dict[str, Group]:
    """Create or bring up to date the newsroom's groups, their permissions on every edition,
    and the editorial review workflow (a story a reporter submits waits for an editor).
    Running it again changes nothing; a new edition gets the same permissions."""
    editions = list(Edition.objects.filter(depth=2))
    root_collection = Collection.get_first_root_node()
    groups = {}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.name)
        group.permissions.set([_permission(p) for p in role.models])
        GroupPagePermission.objects.filter(group=group).delete()
        for edition in editions:
            for codename in role.page:
                GroupPagePermission.objects.create(
                    group=group, page=edition, permission=_permission(f"wagtailcore.{codename}")
                )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for codename in role.images:
            GroupCollectionPermission.objects.create(
                group=group,
                collection=root_collection,
                permission=_permission(f"wagtailimages.{codename}"),
            )
        groups[role.name] = group

    task, _created = GroupApprovalTask.objects.get_or_create(name=APPROVAL_TASK_NAME)
    task.groups.set([groups[EDITORS], groups[ADMINISTRATORS]])
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for edition in editions:
        WorkflowPage.objects.update_or_create(
            page=Page.objects.get(pk=edition.pk), defaults={"workflow": workflow}
        )
    return groups
