"""The comments of one article page, threaded: what the template shows."""

from dataclasses import dataclass, field

from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Q

from accounts.adapters import provider_icon, sign_in_choices
from articles.models import Article

from .avatars import avatar_url
from .forms import CommentForm
from .models import Comment, DiscussionSettings
from .services import MAX_COMMENT_LENGTH

DRAFTS_SESSION_KEY = "comment_drafts"
DRAFT_FIELDS = ("comment", "email", "name", "url", "parent", "notify_comments", "notify_posts")
# A ticked box is sent as "on", an unticked one not at all: kept as True or
# False, the initial data a checkbox renders from.
DRAFT_CHECKBOXES = {"notify_comments", "notify_posts"}
HELD_SESSION_KEY = "comments_held"
SAVED_DETAILS_COOKIE = "comment_author"
SIGNED_IN_WITH_SESSION_KEY = "signed_in_with"


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


def save_draft(request, article: Article, typed) -> None:
    """Keep what the reader typed while they sign in elsewhere: the box shows it again on return."""
    drafts = request.session.get(DRAFTS_SESSION_KEY, {})
    drafts[str(article.pk)] = {
        "fields": {field: _draft_value(typed, field) for field in DRAFT_FIELDS},
        "url": f"{article.get_absolute_url()}#respond",
    }
    request.session[DRAFTS_SESSION_KEY] = drafts


def _draft_value(typed, field: str) -> str | bool:
    if field in DRAFT_CHECKBOXES:
        return bool(typed.get(field))
    return str(typed.get(field, ""))[:MAX_COMMENT_LENGTH]


def draft_for(request, article: Article) -> dict:
    return request.session.get(DRAFTS_SESSION_KEY, {}).get(str(article.pk), {}).get("fields", {})


def forget_draft(request, article: Article) -> None:
    drafts = request.session.get(DRAFTS_SESSION_KEY, {})
    if drafts.pop(str(article.pk), None) is not None:
        request.session[DRAFTS_SESSION_KEY] = drafts


def last_draft_url(request) -> str:
    """Where the reader's most recent unsent comment waits, if any."""
    drafts = request.session.get(DRAFTS_SESSION_KEY, {})
    return list(drafts.values())[-1]["url"] if drafts else ""


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

    signed_in = request.user.is_authenticated
    draft = draft_for(request, article)
    if form is None:
        form = CommentForm(initial={**saved_details(request), **draft}, signed_in=signed_in)
    if form.is_bound:
        replying_to = _replying_to(form.data.get("parent"), nodes)
    else:
        replying_to = _replying_to(request.GET.get("replytocom") or draft.get("parent"), nodes)
    if replying_to:
        form.initial["parent"] = replying_to.pk
    closed = discussion.comments_closed_for(article)
    return {
        "account_avatar_url": (
            avatar_url(request.user.email, use_gravatar=discussion.use_gravatar, member=request.user)
            if signed_in
            else ""
        ),
        "account_name": request.session.get(SIGNED_IN_WITH_SESSION_KEY, "") if signed_in else "",
        "sign_in_choices": []
        if signed_in
        else [(provider, provider_icon(provider)) for provider in sign_in_choices(request)],
        "approved_count": article.comments.approved().count(),
        "comment_form": form,
        "comment_page": page,
        "comments_closed": closed,
        "comment_threads": threads,
        "discussion": discussion,
        "must_sign_in": discussion.registration_required and not signed_in,
        "replying_to": replying_to,
    }


def _replying_to(raw, nodes: dict[int, CommentNode]) -> Comment | None:
    """The comment named by ?replytocom=, a rejected reply or a draft, if readers may reply to it."""
    try:
        node = nodes.get(int(raw))
    except (TypeError, ValueError):
        return None
    return node.comment if node and node.can_reply else None
