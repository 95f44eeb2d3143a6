"""How the comments app's emails are sent: rendered from templates, with the site's name and full addresses."""

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


def absolute_url(path: str) -> str:
    """The full address of a path on this site, for emails (https unless in development)."""
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{_site().domain}{path}"


def _site() -> Site:
    # The worker runs for days: the site's name or domain may have changed in the admin since.
    Site.objects.clear_cache()
    return Site.objects.get_current()


def send_email(template_prefix: str, context: dict, *, to: str, reply_to: str, headers: dict | None = None) -> None:
    """Send `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html`, rendered with the site's name."""
    context = {**context, "site_name": _site().name}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template_prefix}.txt", context),
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{template_prefix}.html", context), "text/html")
    message.send()


def comment_email_context(comment) -> dict:
    """What every email about a comment shows: the comment, its article and their addresses."""
    return {
        "comment": comment,
        "article": comment.article,
        "article_url": absolute_url(comment.article.get_absolute_url()),
        "comment_url": absolute_url(comment.get_absolute_url()),
        "admin_url": absolute_url(reverse("admin:comments_comment_change", args=[comment.pk])),
    }
