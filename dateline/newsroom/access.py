"""Who in the newsroom may see or do what with a story. Views call these; none re-implements
them."""

from django.db.models import Q, Value
from django.db.models.functions import Substr
from django.db.models.lookups import Exact
from wagtail.permission_policies.pages import PagePermissionPolicy

from dateline.articles.models import ArticlePage

STORY_RIGHTS = {"add_page", "change_page", "publish_page"}


def newsroom_stories(user):
    """Return the stories ``user`` may see in the newsroom: those of the editions where the
    user holds any page permission (every story for a superuser; none for a user without
    page permissions, such as photo editors and moderators)."""
    if user.is_active and user.is_superuser:
        return ArticlePage.objects.all()
    # Page permissions are granted on the edition pages and hold for what is below them: the
    # stories whose tree path starts with a permitted page's. The prefix is compared as a
    # substring, which no index serves, so that the desk's queries are led by their own indexes
    # (publication time, embargo, expiry) instead of reading every story of the edition by path.
    stories = ArticlePage.objects.all()
    below = Q(pk__in=[])
    for permission in PagePermissionPolicy().get_cached_permissions_for_user(user):
        if permission.permission.codename in STORY_RIGHTS:
            path = permission.page.path
            below |= Q(Exact(Substr("path", 1, len(path)), Value(path)))
    return stories.filter(below)


def works_on_stories(user) -> bool:
    """Return whether ``user`` holds any right on stories (reporters, editors, administrators)."""
    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change", "publish"})


def moderates_comments(user) -> bool:
    """Return whether ``user`` may moderate readers' comments (moderators, editors,
    administrators)."""
    return user.has_perm("discussion.moderate_comment")


def can_withdraw(user, story: ArticlePage) -> bool:
    """Return whether ``user`` may withdraw ``story``: only those who may publish it (editors
    and administrators of its edition), and only while it is published or scheduled and not
    withdrawn already."""
    if story.withdrawn_at or not (story.live or story.approved_schedule):
        return False
    return story.permissions_for_user(user).can_publish()
