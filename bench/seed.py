"""Comments for the benchmark: run inside the site (`manage.py shell`), on the benchmark's own database."""

import random

from django.utils import timezone

from articles import sanitize
from articles.models import Article
from articles.services import seed_article_load
from comments.models import Comment, DiscussionSettings

BODY = (
    "Comment {n}: I had twitching on one side of my face for two years & the injections helped. "
    "My neurologist explained it at https://example.org/hemifacial-{n}\n\nThank you for writing this up."
)


def comments_for(article: Article, count: int, *, seed: int = 1) -> None:
    """`count` approved comments, about 60 % on the article and the rest replies down to depth 5."""
    random.seed(seed)
    start = timezone.now() - timezone.timedelta(days=30)
    made: list[Comment] = []
    for n in range(count):
        parent = None
        open_to_reply = [comment for comment in made[-300:] if comment.depth < 5]
        if open_to_reply and random.random() >= 0.6:
            parent = random.choice(open_to_reply)
        body = BODY.format(n=n)
        made.append(
            Comment.objects.create(
                article=article,
                parent=parent,
                thread=(parent.thread or parent) if parent else None,
                depth=parent.depth + 1 if parent else 1,
                author_name=f"Reader {n}",
                author_email=f"reader{n}@example.com",
                author_url="https://example.org/" if n % 3 == 0 else "",
                body=body,
                body_html=sanitize.clean_comment_html(body),
                status=Comment.Status.APPROVED,
                created_at=start + timezone.timedelta(minutes=n),
            )
        )


def bench_site() -> None:
    """The seed article with 200 comments, an article with none and one with 2,000; rules that let a load test post."""
    seed = seed_article_load()[0]
    comments_for(seed, 200)
    for title, count in (("No comments yet", 0), ("A busy discussion", 2000)):
        article = Article.objects.create(
            title=title, author=seed.author, body="<p>Text.</p>", status="published", published_at=seed.published_at
        )
        comments_for(article, count, seed=count)
    # One IP posts for everyone here, faster than a person: no flood limit, no minimum time.
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"flood_seconds": 0, "minimum_fill_seconds": 0})
