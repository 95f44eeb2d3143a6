"""The article's approved comments in its structured data (schema.org Comment items and commentCount)."""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Count, Window

from articles import sanitize
from articles.models import Article
from config import pagecache

from .threads import comment_address_prefix, shown_to_readers

# The newest ones: search engines read a page's comments as a sample, and the page stays light.
STRUCTURED_DATA_COMMENTS = 50


def approved_comments(article: Article, absolute) -> dict:
    """commentCount and the newest approved comments, oldest first: kept under the article page's generations,
    as its rendered thread is, so signed-in readers' pages do not read them again."""
    version = pagecache.version(article.get_absolute_url())
    key = f"comments:structured-data:{version}:{article.pk}:{absolute('/')}"
    if not version:
        return _approved_comments(article, absolute)
    try:
        kept = cache.get(key)
        if kept is None:
            kept = _approved_comments(article, absolute)
            cache.set(key, kept, settings.PAGE_CACHE_SECONDS)
    except DatabaseError:
        raise
    except Exception:  # a cache that fails makes pages slower, never errors
        kept = _approved_comments(article, absolute)
    return kept


def _approved_comments(article: Article, absolute) -> dict:
    newest = list(
        article.comments.approved()
        .select_related("user")
        .annotate(approved_count=Window(Count("pk")))
        .order_by("-created_at", "-pk")[:STRUCTURED_DATA_COMMENTS]
    )
    permalink = absolute(comment_address_prefix())
    return {
        "commentCount": newest[0].approved_count if newest else 0,
        "comment": [
            {
                "@type": "Comment",
                "url": f"{permalink}{comment.pk}/",
                "dateCreated": comment.created_at,
                "author": {"@type": "Person", "name": comment.author_display_name},
                "text": sanitize.text_of(comment.body_html),
            }
            for comment in reversed(shown_to_readers(newest))
        ],
    }
