import re
from urllib.parse import urlencode

from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from accounts.adapters import sign_in_choice
from accounts.views import connecting
from articles.models import Article
from articles.views import ArticleDetailView

from .avatars import AVATAR_MAX_AGE, identicon_svg
from .forms import CommentForm
from .listing import (
    SAVED_DETAILS_COOKIE,
    forget_draft,
    held_comment_ids,
    remember_held_comment,
    save_draft,
)
from .models import Comment, DiscussionSettings
from .services import CommentRejected, RequestMeta, comment_submit

SAVED_DETAILS_MAX_AGE = 365 * 24 * 3600


@require_POST
def post_comment(request, article_id: int):
    """The Leave a Reply box posts here; a rejected comment comes back with what was typed."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    form = CommentForm(request.POST, signed_in=request.user.is_authenticated)
    if form.is_valid():
        data = form.cleaned_data
        parent = get_object_or_404(Comment, pk=data["parent"]) if data.get("parent") else None
        discussion = DiscussionSettings.load()
        try:
            comment = comment_submit(
                article=article,
                author=request.user,
                body=data["comment"],
                name=data.get("name", ""),
                email=data.get("email", ""),
                website=data.get("url", ""),
                parent=parent,
                meta=RequestMeta.from_request(request),
                honeypot=data["leave_empty"],
                form_started=data["started"],
                discussion=discussion,
                subscribe_to=form.subscriptions_asked,
            )
        except CommentRejected as rejection:
            form.add_error(None, rejection.message)
        else:
            return _after_posting(request, form, comment, discussion=discussion)
    view = ArticleDetailView()
    view.setup(request)
    view.object = article
    return view.render_to_response(view.get_context_data(object=article, comment_form=form), status=400)


@require_POST
def sign_in_to_comment(request, article_id: int):
    """An icon in the Leave a Reply box: keep what was typed, then sign in and come back to it."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    save_draft(request, article, request.POST)
    back = f"{article.get_absolute_url()}#respond"
    choice = request.POST.get("provider", "")
    if choice == "local":
        return redirect(f"{reverse('account_login')}?{urlencode({'next': back})}")
    provider = sign_in_choice(request, choice)
    if provider is None:
        raise Http404
    return connecting(request, provider=provider, next_url=back)


def _after_posting(request, form: CommentForm, comment: Comment, *, discussion: DiscussionSettings):
    forget_draft(request, comment.article)
    if comment.status == Comment.Status.PENDING:
        remember_held_comment(request, comment)
    if comment.status in (Comment.Status.SPAM, Comment.Status.TRASH):
        # No hint to a bot: back to the article as if all went well.
        response = redirect(comment.article.get_absolute_url())
    else:
        response = redirect(comment_page_url(comment, held_ids=held_comment_ids(request), discussion=discussion))
    if "save_details" in form.cleaned_data:
        if form.cleaned_data["save_details"]:
            details = {key: form.cleaned_data[key] for key in ("name", "email", "url")}
            response.set_cookie(
                SAVED_DETAILS_COOKIE,
                signing.dumps(details, salt=SAVED_DETAILS_COOKIE, compress=True),
                max_age=SAVED_DETAILS_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        elif SAVED_DETAILS_COOKIE in request.COOKIES:
            response.delete_cookie(SAVED_DETAILS_COOKIE, samesite="Lax")
    return response


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


@require_GET
def comment_permalink(request, pk: int):
    """/comments/ID/ leads to the comment on its article page."""
    held_ids = held_comment_ids(request)
    comment = get_object_or_404(
        Comment.objects.visible_to(held_ids=held_ids).select_related("article", "thread"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    return redirect(comment_page_url(comment, held_ids=held_ids))


TOKEN = re.compile(r"[0-9a-f]{32}")


@require_GET
@cache_control(public=True, max_age=AVATAR_MAX_AGE, immutable=True)
def avatar(request, token: str):
    """An identicon drawn here: the page never asks another site for a picture."""
    if not TOKEN.fullmatch(token):
        raise Http404
    return HttpResponse(identicon_svg(token), content_type="image/svg+xml")
