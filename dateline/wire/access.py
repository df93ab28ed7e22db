"""Who may use the wire desk. Views call these; none re-implements them."""

from wagtail.permission_policies.pages import PagePermissionPolicy

from dateline.editions.models import Edition


def can_use_wire_desk(user) -> bool:
    """Return whether ``user`` may read the wire desk: anyone who may write stories."""
    if not user.is_active:
        return False
    return user.is_superuser or PagePermissionPolicy().user_has_any_permission(
        user, {"add", "change", "publish"}
    )


def editions_for_drafts(user) -> list[Edition]:
    """Return the editions ``user`` may add a story to."""
    policy = PagePermissionPolicy()
    return [
        edition
        for edition in Edition.objects.live().filter(depth=2).order_by("path")
        # Stories go into date buckets below the edition, so "add" on the edition is the
        # right to write them (can_add_subpage would ask about the edition's own children).
        if user.is_active
        and (user.is_superuser or policy.user_has_permission_for_instance(user, "add", edition))
    ]
