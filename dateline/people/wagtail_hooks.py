from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from dateline.people.models import Person


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = "People"
    add_to_admin_menu = True
    menu_order = 220
    list_display = ["name", "role"]
    list_filter = ["role"]
    search_fields = ["name"]


register_snippet(PersonViewSet)
