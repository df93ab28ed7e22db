from django import template

from dateline.discussion.models import Comment

register = template.Library()


@register.simple_tag
def comment_count(page) -> int:
    return Comment.objects.filter(page_id=page.pk, status=Comment.Status.PUBLISHED).count()
