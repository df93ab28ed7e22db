"""Panels of the newsroom's story form."""

from wagtail.admin.panels import Panel, TabbedInterface


class StoryStatusPanel(Panel):
    """A notice at the top of the story form: embargoed until when, or withdrawn when, by whom
    and why. Shown only when one of them applies."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "articles/admin/story_status_panel.html"

        def is_shown(self):
            story = self.instance
            return bool(story.withdrawn_at or story.is_embargoed)

        def show_panel_furniture(self):
            return False

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["story"] = self.instance
            return context


class StoryTabbedInterface(TabbedInterface):
    """The story form's tabs, with a summary above them when the form comes back with errors:
    each field in error by name, with the tab it is on (Wagtail itself only marks the tab)."""

    class BoundPanel(TabbedInterface.BoundPanel):
        template_name = "articles/admin/story_tabbed_interface.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["error_summary"] = self.error_summary()
            return context

        def error_summary(self) -> list[dict]:
            """Return the fields in error, in the form's order: their name, their tab's name,
            the tab's identifier and the field's element id."""
            form = self.form
            if form is None or not form.is_bound:
                return []
            summary = []
            for tab, identifier in self.visible_children_with_identifiers:
                for heading, element_id in _panels_in_error(tab, form):
                    summary.append(
                        {
                            "field": heading,
                            "tab": tab.heading,
                            "tab_id": identifier,
                            "element_id": element_id,
                        }
                    )
            return summary


def _panels_in_error(bound_panel, form):
    """Yield (heading, element id) for each field or inline list under ``bound_panel`` that
    has errors."""
    bound_field = getattr(bound_panel, "bound_field", None)
    formset = getattr(bound_panel, "formset", None)
    if bound_field is not None:
        if bound_field.errors:
            yield (bound_panel.heading or bound_field.label), bound_field.id_for_label
        return
    if formset is not None:
        if formset.total_error_count():
            yield bound_panel.heading, f"id_{formset.prefix}-FORMS"
        return
    for child in getattr(bound_panel, "children", []):
        yield from _panels_in_error(child, form)
