from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from dateline.sections.models import Place, Section


class SectionChooserViewSet(SnippetChooserViewSet):
    """The section chooser: ``?edition=<id>`` (which the story form's chooser passes, see
    dateline.articles.forms.EditionSectionChooser) limits it to that edition's sections, through
    its searches and pages too."""

    url_filter_parameters = ["edition"]
    preserve_url_parameters = ["multiple", "edition"]


class SectionViewSet(SnippetViewSet):
    model = Section
    chooser_viewset_class = SectionChooserViewSet
    icon = "folder-open-inverse"
    menu_label = "Sections"
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name", "edition", "slug", "sort_order"]
    list_filter = ["edition"]


class PlaceViewSet(SnippetViewSet):
    model = Place
    icon = "site"
    list_display = ["name", "country_code"]
    search_fields = ["name"]


register_snippet(SectionViewSet)
register_snippet(PlaceViewSet)
