"""The comments of one article page, threaded: what the template shows."""

from dataclasses import dataclass, field

from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Q

from articles.models import Article

from .avatars import avatar_url
from .forms import CommentForm
from .models import Comment, DiscussionSettings

HELD_SESSION_KEY = "comments_held"
SAVED_DETAILS_COOKIE = "comment_author"


@dataclass
class CommentNode:
    comment: Comment
    depth: int
    avatar_url: str
    can_reply: bool
    replies: list["CommentNode"] = field(default_factory=list)


def held_comment_ids(request) -> list[int]:
    """Held comments this session posted: only their writer sees them."""
    return request.session.get(HELD_SESSION_KEY, [])


def remember_held_comment(request, comment: Comment) -> None:
    request.session[HELD_SESSION_KEY] = [*held_comment_ids(request), comment.pk][-50:]


def saved_details(request) -> dict:
    """Name, email and website the reader asked this browser to remember."""
    try:
        details = signing.loads(request.COOKIES.get(SAVED_DETAILS_COOKIE, ""), salt=SAVED_DETAILS_COOKIE)
    except signing.BadSignature:
        return {}
    return {key: str(details.get(key, "")) for key in ("name", "email", "url")} if isinstance(details, dict) else {}


def discussion_context(request, article: Article, *, form: CommentForm | None = None) -> dict:
    """Everything the comments section needs, in a constant number of queries."""
    discussion = DiscussionSettings.load()
    visible = Comment.objects.filter(article=article).visible_to(held_ids=held_comment_ids(request))
    top_level_ids = visible.filter(parent__isnull=True).order_by("created_at", "id").values_list("pk", flat=True)
    page = Paginator(top_level_ids, discussion.comments_per_page).get_page(request.GET.get("cpage"))
    roots = list(page.object_list)
    comments = visible.filter(Q(pk__in=roots) | Q(thread_id__in=roots)).select_related("user")

    nodes: dict[int, CommentNode] = {}
    threads: list[CommentNode] = []
    for comment in comments:  # oldest first, so a parent comes before its replies
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        depth = parent.depth + 1 if parent else 1
        node = CommentNode(
            comment=comment,
            depth=depth,
            avatar_url=avatar_url(comment.avatar_email, use_gravatar=discussion.use_gravatar),
            can_reply=depth < discussion.thread_depth and comment.status == Comment.Status.APPROVED,
        )
        nodes[comment.pk] = node
        if parent:
            parent.replies.append(node)
        elif comment.parent_id is None:
            threads.append(node)

    signed_in = request.user.is_authenticated
    if form is None:
        form = CommentForm(initial=saved_details(request), signed_in=signed_in)
    replying_to = _replying_to(request, form, nodes)
    if replying_to:
        form.initial["parent"] = replying_to.pk
    closed = discussion.comments_closed_for(article)
    return {
        "approved_count": article.comments.approved().count(),
        "comment_form": form,
        "comment_page": page,
        "comments_closed": closed,
        "comment_threads": threads,
        "discussion": discussion,
        "must_sign_in": discussion.registration_required and not signed_in,
        "replying_to": replying_to,
    }


def _replying_to(request, form: CommentForm, nodes: dict[int, CommentNode]) -> Comment | None:
    """The comment named by ?replytocom= (or by a rejected reply), if readers may reply to it."""
    raw = form.data.get("parent") if form.is_bound else request.GET.get("replytocom")
    try:
        node = nodes.get(int(raw))
    except (TypeError, ValueError):
        return None
    return node.comment if node and node.can_reply else None
