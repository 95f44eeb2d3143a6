from django import template

from comments.listing import last_draft_url

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_draft_url(context) -> str:
    """The article where the reader left an unsent comment before signing in, if any."""
    request = context.get("request")
    return last_draft_url(request) if request is not None else ""
