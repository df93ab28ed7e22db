"""The newsroom's story form."""

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page
from wagtail.snippets.widgets import AdminSnippetChooser

from dateline.articles.slugs import unique_story_slug

# The edit view's own submissions carry this key (added by the before_edit_page hook in
# wagtail_hooks.py), so that previews, which post the same form elsewhere, are not refused.
EDIT_SUBMISSION = "dateline-edit-submission"
# The revision the form's own autosaves have been writing (set by story_form.js).
AUTOSAVED_REVISION = "dateline_autosaved_revision_id"


class EditionSectionChooser(AdminSnippetChooser):
    """The section chooser, opened on one edition's sections (the chooser view filters on
    ``?edition=``, see dateline/sections/wagtail_hooks.py)."""

    def __init__(self, edition_id, **kwargs):
        from dateline.sections.models import Section

        self.edition_id = edition_id
        super().__init__(Section, **kwargs)

    def get_chooser_modal_url(self):
        url = super().get_chooser_modal_url()
        return f"{url}?{urlencode({'edition': self.edition_id})}" if self.edition_id else url


class StoryForm(WagtailAdminPageForm):
    """The story form: scoped to the story's edition, with a slug made from the headline.

    The section fields (and the section chooser) offer only the sections of the story's own
    edition, and refuse any other. The slug follows the headline as it is typed, in Latin
    letters whatever the edition's script (Wagtail's transliteration, see story_form.js); when
    it is left empty it is made here from the headline, unique within the day's bucket.

    It also refuses to save over a version saved since the form was loaded.

    Wagtail 7.4 refuses such an autosave, and its editing-session ping warns in the browser,
    but a plain Save or Publish with an out-of-date form would overwrite the other editor's
    version without a word. Here it is refused with who saved and when; the editor's own
    changes stay in the form, and saving again (now against the newest version) replaces it
    on purpose. Both versions stay in the story's history, to compare and restore.
    """

    class Media:
        css = {"all": ["articles/story_form.css"]}
        js = ["articles/story_form.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from dateline.sections.models import Section

        edition_id = self.story_edition_id()
        sections = Section.objects.filter(edition_id=edition_id)
        if "primary_section" in self.fields:
            self.fields["primary_section"].queryset = sections
            self.fields["primary_section"].widget = EditionSectionChooser(edition_id)
        if "further_sections" in self.fields:
            self.fields["further_sections"].queryset = sections
        for name in ("title", "standfirst", "dateline_agency", "lead_caption"):
            if name in self.fields:
                # An Arabic headline in a left-to-right newsroom (or the reverse) reads in its
                # own direction.
                self.fields[name].widget.attrs.setdefault("dir", "auto")
        if "slug" in self.fields:
            # Left empty, the slug is made from the headline (clean): it is never required.
            self.fields["slug"].required = False
            attrs = self.fields["slug"].widget.attrs
            # Wagtail's slug field keeps Cyrillic and Arabic letters by default; a story's
            # address is transliterated into Latin letters, with the edition's language's table.
            attrs["data-w-slug-allow-unicode-value"] = "false"
            language = self.story_language()
            if language:
                attrs["data-w-slug-locale-value"] = language

    def story_parent(self):
        """Return the page the story is (or will be) filed under: its day's bucket."""
        if self.parent_page is not None:
            return self.parent_page
        return self.instance.get_parent() if self.instance.pk else None

    def story_edition_id(self):
        if self.instance.edition_id:
            return self.instance.edition_id
        from dateline.editions.lookup import edition_id_for_path

        parent = self.story_parent()
        return edition_id_for_path(parent.path) if parent is not None else None

    def story_language(self):
        parent = self.story_parent()
        page = self.instance if self.instance.locale_id else parent
        return page.locale.language_code if page is not None and page.locale_id else ""

    def clean(self):
        cleaned_data = super().clean()
        parent = self.story_parent()
        if not cleaned_data.get("slug") and cleaned_data.get("title") and parent is not None:
            cleaned_data["slug"] = unique_story_slug(cleaned_data["title"], parent, self.instance)
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
        # (A Save or Publish from a form that has autosaved names that revision too, see
        # story_form.js: Wagtail's autosave rewrites it, and it is not someone else's.)
        own = self.data.get("overwrite_revision_id") or self.data.get(AUTOSAVED_REVISION)
        if own:
            return latest if own != str(latest.pk) else None
        loaded = self.data.get("loaded_revision_id")
        if not loaded:
            return None
        if loaded != str(latest.pk):
            return latest
        loaded_at = self.data.get("loaded_revision_created_at", "")
        return latest if loaded_at and loaded_at != latest.created_at.isoformat() else None
