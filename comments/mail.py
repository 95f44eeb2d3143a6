"""How the comments app's emails are sent: rendered from templates, with the site's name and full addresses."""

from django.template.loader import render_to_string
from django.urls import reverse

from config.email import SiteEmail, absolute_url, current_site, site_message_id, site_sender


def send_email(template_prefix: str, context: dict, *, to: str, reply_to: str, headers: dict | None = None) -> None:
    """Send `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html`, rendered with the site's name."""
    site = current_site()
    context = {**context, "site_name": site.name}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    message = SiteEmail(
        subject=subject,
        body=render_to_string(f"{template_prefix}.txt", context),
        from_email=site_sender(site),
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Message-ID": site_message_id(site), **(headers or {})},
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
