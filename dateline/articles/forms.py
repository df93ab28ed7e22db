"""The newsroom's story form."""

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

# The edit view's own submissions carry this key (added by the before_edit_page hook in
# wagtail_hooks.py), so that previews, which post the same form elsewhere, are not refused.
EDIT_SUBMISSION = "dateline-edit-submission"


class StoryForm(WagtailAdminPageForm):
    """Wagtail's page form that refuses to save over a version saved since the form was loaded.

    Wagtail 7.4 refuses such an autosave, and its editing-session ping warns in the browser,
    but a plain Save or Publish with an out-of-date form would overwrite the other editor's
    version without a word. Here it is refused with who saved and when; the editor's own
    changes stay in the form, and saving again (now against the newest version) replaces it
    on purpose. Both versions stay in the story's history, to compare and restore.
    """

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and self.data.get(EDIT_SUBMISSION):
            newer = self.newer_revision()
            if newer is not None:
                raise ValidationError(
                    _(
                        "%(user)s saved a newer version of this story at %(time)s while you "
                        "were editing it. Your changes have not been saved and are still in "
                        "the form: compare the versions under History, then save again to "
                        "replace theirs with yours."
                    )
                    % {
                        "user": newer.user.get_username() if newer.user else _("Someone"),
                        "time": formats.date_format(
                            timezone.localtime(newer.created_at), "SHORT_DATETIME_FORMAT"
                        ),
                    },
                    code="newer_version",
                )
        return cleaned_data

    def newer_revision(self):
        """Return the story's latest revision when it is newer than the one this form was
        loaded from (the same test as Wagtail's autosave), else None."""
        latest = (
            Page.objects.filter(pk=self.instance.pk)
            .select_related("latest_revision__user")
            .get()
            .latest_revision
        )
        if latest is None:
            return None
        # An autosaving session names the revision it keeps overwriting; any other session
        # names the revision it loaded, with its time (an autosave rewrites a revision in place).
        own = self.data.get("overwrite_revision_id")
        if own:
            return latest if own != str(latest.pk) else None
        loaded = self.data.get("loaded_revision_id")
        if not loaded:
            return None
        if loaded != str(latest.pk):
            return latest
        loaded_at = self.data.get("loaded_revision_created_at", "")
        return latest if loaded_at and loaded_at != latest.created_at.isoformat() else None
