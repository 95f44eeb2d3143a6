"""What the articles app puts in pages beyond its views' own: `{% load articles %}`, then on the article page
`{% article_sharing article %}` in the head and `{% article_sources article %}` under the body, on the admin's
index `{% review_due_counts %}`, and wherever a page gives a full address of the site (a site page's canonical link,
robots.txt's sitemap) `{% site_url path %}`."""

from django import template

from config.json_ld import json_ld_script
from config.sites import site_url as _site_url

from .. import structured_data
from ..models import Article, MedicalDisclaimer

register = template.Library()


@register.simple_tag(takes_context=True)
def review_due_counts(context) -> dict:
    """How many published articles are due for medical review soon or overdue, how many are overdue, and how many
    were never reviewed: among the articles this staff member sees in the admin (an author, their own)."""
    user = context["request"].user
    articles = (
        Article.objects.all()
        if user.has_perm("articles.change_others_article")
        else Article.objects.filter(author=user)
    )
    return {
        "due": articles.review_due().count(),
        "overdue": articles.review_overdue().count(),
        "never": articles.never_reviewed().count(),
    }


@register.simple_tag(takes_context=True)
def site_url(context, location: str = "/") -> str:
    """The full address of a path on the site's domain, whatever host name the page was asked by (config.sites)."""
    return _site_url(context["request"], location)


@register.inclusion_tag("includes/article_sharing.html", takes_context=True)
def article_sharing(context, article: Article) -> dict:
    """In the article page's head: its canonical address, Open Graph and Twitter card tags, and JSON-LD."""
    request = context["request"]
    site_name = context.get("site_name", "")
    sharing = structured_data.article_sharing(article, request=request, site_name=site_name)
    return {
        "article": article,
        "site_name": site_name,
        "sharing": sharing,
        "json_ld": json_ld_script(sharing.structured_data),
    }


@register.inclusion_tag("includes/article_sources.html")
def article_sources(article: Article) -> dict:
    """Under the article's body: its references, its medical review and the site's medical disclaimer, on every
    page that shows the article (its own, and the page a rejected comment comes back on)."""
    return {"article": article, "disclaimer": MedicalDisclaimer.load()}
