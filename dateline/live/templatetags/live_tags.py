from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from dateline.articles.models import ArticlePage
from dateline.live.structured_data import live_blog_posting
from dateline.mediabank.structured_data import as_script_json

register = template.Library()


@register.simple_tag
def local_time(edition, value):
    """A <time> element with the hour and minute of ``value`` in the edition's timezone."""
    if not value:
        return ""
    local = timezone.localtime(value, edition.tzinfo)
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(timespec="seconds"),
        local.strftime("%H:%M"),
    )


@register.simple_tag
def next_story(story):
    """The story a reader gets at the end of ``story``: the editor's pick if it is visible,
    else the next older story of the edition."""
    stories = ArticlePage.objects.visible().select_related("primary_section", "edition")
    if story.next_story_id:
        pick = stories.filter(pk=story.next_story_id).first()
        if pick is not None:
            return pick
    if not story.published_at:
        return None
    return (
        stories.filter(edition_id=story.edition_id)
        .filter(published_at__lt=story.published_at)
        .order_by("-published_at", "-pk")
        .first()
    )


@register.simple_tag
def live_blog_json_ld(page, entries):
    return mark_safe(as_script_json(live_blog_posting(page, entries)))  # noqa: S308
