from django.db.models import Case, Exists, OuterRef, Value, When
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import widgets
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from dateline.articles.actions import WITHDRAW_ACTION
from dateline.articles.forms import EDIT_SUBMISSION
from dateline.articles.models import ArticlePage
from dateline.articles.translations import editions_to_translate_into, translate_story_view
from dateline.articles.views import new_story
from dateline.editions.lookup import live_editions
from dateline.editions.translations import language_name


@hooks.register("register_admin_urls")
def register_story_urls():
    return [
        path("stories/new/", new_story, name="dateline_new_story"),
        path(
            "stories/<int:story_id>/translate/<str:lang>/",
            translate_story_view,
            name="dateline_translate_story",
        ),
    ]


# The explorer's rows carry, per live edition, the language code to translate into when the
# story has no page in that edition yet (else ""): their buttons then need no query of their
# own (two per row otherwise).
MISSING_TRANSLATION = "dateline_translate_into_"


@hooks.register("construct_explorer_page_queryset")
def annotate_missing_translations(parent_page, pages, request):
    annotations = {
        f"{MISSING_TRANSLATION}{edition.pk}": Case(
            When(
                Exists(
                    Page.objects.filter(
                        translation_key=OuterRef("translation_key"), locale_id=edition.locale_id
                    )
                ),
                then=Value(""),
            ),
            default=Value(edition.language_code),
        )
        for edition in live_editions()
    }
    return pages.annotate(**annotations)


def translate_buttons(page, user, priority):
    """Yield a "Translate into …" button per edition the story is not in yet."""
    if not issubclass(page.specific_class or type(page), ArticlePage):
        return
    if not page.permissions_for_user(user).can_edit():
        return
    annotated = [
        value for name, value in vars(page).items() if name.startswith(MISSING_TRANSLATION)
    ]
    if annotated:
        codes = [code for code in annotated if code]
    else:
        codes = [edition.language_code for edition in editions_to_translate_into(page)]
    for code in codes:
        yield widgets.Button(
            _("Translate into %(language)s") % {"language": language_name(code)},
            reverse("dateline_translate_story", args=[page.pk, code]),
            icon_name="globe",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def story_translate_header_buttons(page, user, view_name=None, next_url=None):
    yield from translate_buttons(page, user, priority=70)


@hooks.register("register_page_listing_more_buttons")
def story_translate_listing_buttons(page, user, next_url=None):
    yield from translate_buttons(page, user, priority=65)


class NewStoryMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtailadmin.access_admin")


@hooks.register("register_admin_menu_item")
def register_new_story_menu_item():
    return NewStoryMenuItem(
        _("New story"), reverse("dateline_new_story"), icon_name="doc-full", order=100
    )


@hooks.register("before_edit_page")
def mark_edit_submission(request, page):
    """Mark a story form posted by the edit view itself, so that StoryForm checks it against
    newer versions (a preview posts the same form, and is left alone)."""
    if request.method == "POST" and issubclass(page.specific_class or type(page), ArticlePage):
        data = request.POST.copy()
        data[EDIT_SUBMISSION] = "1"
        request.POST = data


@hooks.register("register_log_actions")
def register_story_log_actions(actions):
    @actions.register_action(WITHDRAW_ACTION)
    class WithdrawFormatter(LogFormatter):
        label = _("Withdraw")

        def format_message(self, log_entry):
            reason = (log_entry.data or {}).get("reason")
            if reason:
                return _("Withdrawn: %(reason)s") % {"reason": reason}
            return _("Withdrawn")
