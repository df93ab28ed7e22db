from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from dateline.articles.views import new_story


@hooks.register("register_admin_urls")
def register_story_urls():
    return [path("stories/new/", new_story, name="dateline_new_story")]


class NewStoryMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtailadmin.access_admin")


@hooks.register("register_admin_menu_item")
def register_new_story_menu_item():
    return NewStoryMenuItem(
        _("New story"), reverse("dateline_new_story"), icon_name="doc-full", order=100
    )
