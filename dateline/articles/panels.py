"""Panels of the newsroom's story form."""

from wagtail.admin.panels import Panel


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
