"""The article's approved comments in its structured data (schema.org Comment items and commentCount)."""

from functools import partial

from django.http import HttpRequest

from articles import sanitize
from articles.models import Article
from config import pagecache
from config.sites import site_url

from .models import Comment
from .threads import CommentThreads, comment_address_prefix, page_threads

# Search engines read a page's comments as a sample, and the page stays light.
STRUCTURED_DATA_COMMENTS = 50


def approved_comments(article: Article, request: HttpRequest) -> dict:
    """commentCount and the approved comments the page shows, in reading order: only what readers of the page
    see, as search engines ask. Kept under the article page's generations, as its rendered thread is, so
    signed-in readers' pages do not read them again."""
    threads = page_threads(request, article)
    absolute = partial(site_url, request)
    return pagecache.kept_under(
        threads.version,
        f"comments:structured-data:{article.pk}:{threads.page.number}:{absolute('/')}",
        lambda: _approved_comments(threads, absolute),
        large=True,
    )


def _approved_comments(threads: CommentThreads, absolute) -> dict:
    # The reader's own held comments are on their page, not in what it tells search engines.
    shown = [node.comment for node, _ in threads.in_reading_order() if node.comment.status == Comment.Status.APPROVED]
    permalink = absolute(comment_address_prefix())
    return {
        "commentCount": threads.approved_count,
        "comment": [
            {
                "@type": "Comment",
                "url": f"{permalink}{comment.pk}/",
                "dateCreated": comment.created_at,
                "author": {"@type": "Person", "name": comment.author_display_name},
                "text": sanitize.text_of(comment.body_html),
            }
            for comment in shown[:STRUCTURED_DATA_COMMENTS]
        ],
    }


def comment_page_query(article: Article, request: HttpRequest) -> str:
    """A later page of comments is a page of its own to search engines (WordPress's comment-page-2/): the comments
    only it shows are found there. The page shown, whatever was asked (?cpage=99 shows the last); none for the page
    the article's address shows (the first, or the last: Discussion settings)."""
    query = page_threads(request, article).canonical_query
    return f"?{query}" if query else ""
