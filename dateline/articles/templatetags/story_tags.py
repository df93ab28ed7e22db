from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from dateline.articles.structured_data import news_article
from dateline.mediabank.structured_data import as_script_json

register = template.Library()


@register.filter
def lookup(mapping, key):
    """Return ``mapping[key]`` or None: ``{{ story_cards|lookup:story.pk }}``."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def story_time(edition, value):
    """Render ``value`` as a <time> element in the edition's date style."""
    if not value:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(timespec="seconds"),
        edition.format_datetime(value),
    )


@register.simple_tag
def news_article_json_ld(story, image_url=""):
    return mark_safe(as_script_json(news_article(story, image_url=image_url)))  # noqa: S308


@register.simple_tag
def with_dateline(html, dateline):
    """Open the first paragraph of ``html`` (rich text we rendered ourselves) with the
    dateline."""
    html = str(html)
    if not dateline:
        return mark_safe(html)  # noqa: S308
    span = format_html('<span class="dateline">{}</span> ', dateline)
    if html.startswith("<p"):
        close = html.index(">") + 1
        return mark_safe(html[:close] + span + html[close:])  # noqa: S308
    return mark_safe(format_html("<p>{}</p>", span) + html)  # noqa: S308


@register.filter
def person_url(person, edition):
    return person.url_in(edition)
