from django import template

from comments.models import Comment

register = template.Library()


@register.simple_tag
def pending_comment_count() -> int:
    """How many comments wait for a moderator, for the admin's front page."""
    return Comment.objects.pending().count()
