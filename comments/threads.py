"""The comments of one article, threaded and paged as the article page shows them."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Q

from accounts.avatars import avatar_url
from articles.models import Article

from .models import Comment, DiscussionSettings


@dataclass
class CommentNode:
    comment: Comment
    depth: int
    avatar_url: str
    can_reply: bool
    replies: list["CommentNode"] = field(default_factory=list)


@dataclass
class CommentThreads:
    """One page of an article's top-level comments, each with its replies, in a constant number of queries."""

    page: Page
    threads: list[CommentNode]
    nodes: dict[int, CommentNode]

    def replyable(self, raw) -> Comment | None:
        """The comment a reply names (?replytocom=, a rejected reply or a draft), if readers may answer it here."""
        try:
            node = self.nodes.get(int(raw))
        except (TypeError, ValueError):
            return None
        return node.comment if node and node.can_reply else None


def comment_threads(
    article: Article, *, held_ids: list[int], page_number, discussion: DiscussionSettings
) -> CommentThreads:
    """The threads on one page of the article: approved comments and the reader's own held ones, oldest first."""
    visible = Comment.objects.filter(article=article).visible_to(held_ids=held_ids)
    top_level_ids = visible.filter(parent__isnull=True).order_by("created_at", "id").values_list("pk", flat=True)
    page = Paginator(top_level_ids, discussion.comments_per_page).get_page(page_number)
    roots = list(page.object_list)
    comments = visible.filter(Q(pk__in=roots) | Q(thread_id__in=roots)).select_related("user")

    # Two passes: a reply may carry an earlier time than its parent (the clocks
    # of two hosts disagree), so every node exists before any is attached.
    nodes = {
        comment.pk: CommentNode(
            comment=comment,
            depth=comment.depth,
            avatar_url=avatar_url(comment.avatar_email, use_gravatar=discussion.use_gravatar, member=comment.user),
            can_reply=comment.depth < discussion.thread_depth and comment.status == Comment.Status.APPROVED,
        )
        for comment in comments
    }
    threads: list[CommentNode] = []
    for node in nodes.values():  # oldest first, in each list of replies too
        if node.comment.parent_id is None:
            threads.append(node)
        elif parent := nodes.get(node.comment.parent_id):
            parent.replies.append(node)
        # Otherwise its parent is hidden (held, spam or trash): so is the reply.
    return CommentThreads(page=page, threads=threads, nodes=nodes)


def comment_page_url(comment: Comment, *, held_ids: list[int], discussion: DiscussionSettings | None = None) -> str:
    """The article page that shows this comment, with its #comment-ID anchor."""
    discussion = discussion or DiscussionSettings.load()
    root = comment.thread or comment
    earlier = (
        Comment.objects.filter(article=comment.article_id, parent__isnull=True, created_at__lte=root.created_at)
        .visible_to(held_ids=held_ids)
        .exclude(created_at=root.created_at, pk__gt=root.pk)
        .count()
    )
    page = max(1, (earlier - 1) // discussion.comments_per_page + 1)
    query = f"?cpage={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"
