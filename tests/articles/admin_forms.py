"""The article change form as the admin sends it."""

from django.urls import reverse
from django.utils import timezone

from articles.models import Article

# The references inline's management form, as the change form sends it with no reference typed.
NO_REFERENCES = {"references-TOTAL_FORMS": "0", "references-INITIAL_FORMS": "0"}


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def change_form_data(article: Article, **fields) -> dict:
    """The article's change form sent unchanged but for `fields` (a field given None is left out)."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "author": article.author_id,
        "body": article.body,
        "excerpt": article.excerpt,
        "status": article.status,
        "published_at_0": timezone.localtime(article.published_at).strftime("%Y-%m-%d"),
        "published_at_1": timezone.localtime(article.published_at).strftime("%H:%M:%S"),
        "comments_open": "on",
        # As the form was opened: the article as saved last.
        "opened_version": Article.objects.get(pk=article.pk).updated_at.isoformat(),
        **NO_REFERENCES,
        **fields,
    }
    return {key: value for key, value in data.items() if value is not None}
