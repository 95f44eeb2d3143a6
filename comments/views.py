import copy
from urllib.parse import urlencode

from allauth.account.internal.flows.logout import logout
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.adapters import sign_in_choice
from accounts.views import connecting
from articles.models import Article
from articles.services import article_like, article_unlike
from config import pagecache
from config.csrf import token_for_members_origin_for_guests
from config.requests import row_id, too_often
from config.views import too_many_tries

from .forms import CommentForm
from .likes import forget_pending_like, likes_for, remember_pending_like
from .models import Comment, DiscussionSettings, Report
from .reader_state import (
    forget_details,
    forget_draft,
    held_comment_ids,
    own_comment_ids,
    own_held_comment_ids,
    remember_details,
    remember_held_comment,
    remember_own_comment,
    remember_posting,
    save_draft,
    typed_as_guest,
)
from .services import (
    CommentRejected,
    DuplicateComment,
    RequestMeta,
    comment_edit_own,
    comment_report,
    comment_sent_again_by_guest,
    comment_submit,
    comment_withdraw,
    reporter_key,
)
from .subscriptions.notices import confirmations_left_today
from .threads import comment_page_number, comment_page_url, discussion_for, seen_by_reader, shown_to_readers
from .tokens import edit_opened_at, edit_opened_stamp, form_started_stamp

# The article page shows the comments through this app's template tags: a
# rejected comment is shown on it the same way, with the form as it was sent.
ARTICLE_PAGE_TEMPLATE = "articles/article_detail.html"


# Where an article page shows the site's messages: in its comment box (includes/messages.html). A reader told something
# there is sent to it, not to a comment or a box a long article's length below a message at the top of the page.
MESSAGES_ANCHOR = "messages"


def _tell(request, level: int, text: str, *, about: Comment | None = None) -> None:
    """A message for the article page the reader is sent to, at MESSAGES_ANCHOR; one `about` a comment leads on to it
    (its anchor is the message's extra tag)."""
    messages.add_message(request, level, text, extra_tags=f"comment-{about.pk}" if about else "")


@require_http_methods(["GET", "POST"])
@token_for_members_origin_for_guests
def post_comment(request, article_id: int):
    """The Leave a Reply box posts here; a rejected comment comes back with what was typed."""
    if request.method == "GET":
        return _to_the_comment_box(article_id)
    article = _article_to_post_on(article_id)
    if article is None:
        # Unpublished or deleted while the reader typed: give them their words back.
        return TemplateResponse(
            request, "comments/not_posted.html", {"typed": request.POST.get("comment", "")}, status=404
        )
    form = CommentForm(request.POST, signed_in=request.user.is_authenticated)
    if form.is_valid():
        data = form.cleaned_data
        # One missing, hidden or of another article is "no longer there" alike, so that no answer tells which numbers
        # belong to comments nobody may see.
        parent = _answerable(article, data["parent"]) if data.get("parent") else None
        if data.get("parent") and parent is None:
            return _rejected(request, article, form, gettext(REPLIED_TO_GONE))
        discussion = DiscussionSettings.load()
        # Counted before this comment asks for more: what it asks will not be confirmed by email today, and the
        # reader is told why (a member's verified address needs no confirmation).
        no_confirmation = bool(
            form.subscriptions_asked
            and not request.user.is_authenticated
            and not confirmations_left_today(data["email"])
        )
        try:
            comment = comment_submit(
                article=article,
                author=request.user,
                body=data["comment"],
                name=data.get("name", ""),
                email=data.get("email", ""),
                website=data.get("url", ""),
                parent=parent,
                parent_seen=True,  # _answerable
                meta=RequestMeta.from_request(request),
                honeypot=data["leave_empty"],
                form_started=data["started"],
                discussion=discussion,
                subscribe_to=form.subscriptions_asked,
            )
        except DuplicateComment as duplicate:
            if (answer := _sent_again(request, form, duplicate.earlier, discussion=discussion)) is not None:
                return answer
            return _rejected(request, article, form, duplicate.message)
        except CommentRejected as rejection:
            return _rejected(request, article, form, rejection.message)
        return _after_posting(request, form, comment, discussion=discussion, no_confirmation=no_confirmation)
    return _rejected(request, article, form)


def _to_the_comment_box(article_id: int) -> HttpResponse:
    """A rejected comment is shown at the address it was posted to: opened again (a tab brought back, a bookmark, a
    link shared), it leads to the article's comment box."""
    article = _article_to_post_on(article_id)
    if article is None:
        raise Http404
    return redirect(f"{article.get_absolute_url()}#respond")


SENT_ALREADY = gettext_lazy("You sent this comment already.")


def _sent_again(request, form: CommentForm, earlier: Comment, *, discussion: DiscussionSettings) -> HttpResponse | None:
    """The answer to a comment sent again (DuplicateComment), rather than "Duplicate comment detected" in the box: its
    writer goes to it as after posting it (they may never have had that answer, with the cookie that shows them a held
    comment), anyone to a published one. None for another reader's held comment, or spam, which stay unseen."""
    if earlier.status == Comment.Status.SPAM:
        return None
    # A guest's Edit and Delete are the browser's that got them with the comment (own_comment_ids); the cookie that
    # shows a held comment is given without them below, and is no proof of having written it.
    posted_here = earlier.user_id is None and earlier.pk in own_comment_ids(request)
    by_account = earlier.user_id is not None and earlier.user_id == request.user.pk
    if posted_here or by_account:
        return _after_posting(request, form, earlier, discussion=discussion, sent_again=True)
    if request.user.is_anonymous and (
        earlier.pk in held_comment_ids(request)
        or comment_sent_again_by_guest(earlier, meta=RequestMeta.from_request(request))
    ):
        # Known by the address and browser alone, which a household or an office shares (or by the cookie that
        # answer gave): shown the comment, not given its Edit and Delete (a neighbour who knows the writer's email
        # and words would be given them too).
        return _after_posting(request, form, earlier, discussion=discussion, editable=False, sent_again=True)
    if earlier.status == Comment.Status.APPROVED:
        forget_draft(request, earlier.article)
        _tell(request, messages.INFO, gettext(SENT_ALREADY), about=earlier)
        return redirect(_on_its_page(request, earlier, discussion=discussion, anchor=MESSAGES_ANCHOR))
    return None


def _article_to_post_on(article_id: int) -> Article | None:
    """The article a comment is posted to, if readers may see it now; its text is read only if the comment comes
    back rejected, on the article page. Kept with the site (saving or deleting an article changes it), so that a
    post reads no article from PostgreSQL; a scheduled one opens at its time."""
    article = pagecache.site_kept(
        f"article-to-post-on:{article_id}",
        lambda: Article.objects.defer("body", "body_html", "body_text").filter(pk=article_id).first(),
    )
    # The caller's own copy: a rejected comment's page reads the text into it.
    return copy.copy(article) if article is not None and article.is_public else None


REPLIED_TO_GONE = gettext_lazy(
    "The comment you were replying to is no longer there, so yours was not posted. "
    "It is kept below: send it again to post it on the article."
)


CONFIRMATIONS_SPENT = gettext_lazy(
    "No confirmation email comes today: this address has had as many as we send in a day. If your subscription "
    "still needs confirming, follow the link in one sent today, or tick the box again tomorrow."
)


# A reader corrects a rejected comment a few times; a program tries on: past this, a cheap page.
REJECTIONS_PER_ADDRESS = 20
REJECTIONS_WINDOW_SECONDS = 600


def _rejected(request, article: Article, form: CommentForm, reason: str = ""):
    """The article page again, its comment box holding what was typed and saying why it was not posted (a reply to a
    comment readers may not answer there, without it: render_comments)."""
    if too_often(request, "comment-rejected", limit=REJECTIONS_PER_ADDRESS, seconds=REJECTIONS_WINDOW_SECONDS):
        return too_many_tries(request, wait_seconds=60, typed=request.POST.get("comment", ""))
    if reason:
        form.add_error(None, reason)
    if "cpage" not in request.GET:
        # A reply: the page that shows the comment it answers, so that the box still says whom it answers.
        # (None for a top-level comment: the page the article's address shows.)
        request.comment_page = _answered_and_its_page(request, article, form.data.get("parent", ""))[1]
    return TemplateResponse(
        request, ARTICLE_PAGE_TEMPLATE, {"article": article, "object": article, "comment_form": form}, status=400
    )


def _after_posting(
    request,
    form: CommentForm,
    comment: Comment,
    *,
    discussion: DiscussionSettings,
    no_confirmation: bool = False,
    editable: bool = True,
    sent_again: bool = False,
):
    """Where a comment just sent (or `sent_again`) leads its writer, with the cookies that show them their held
    comment and, if `editable`, let them edit or delete it within the edit window."""
    forget_draft(request, comment.article)
    if comment.status in (Comment.Status.SPAM, Comment.Status.TRASH):
        # No hint to a bot: back to the article as if all went well.
        response = redirect(comment.article.get_absolute_url())
    else:
        if sent_again:
            _tell(request, messages.INFO, gettext(SENT_ALREADY), about=comment)
        if no_confirmation:
            # Said of the address alone, whoever asked before: not what it subscribed to, nor whether it confirmed.
            _tell(request, messages.WARNING, gettext(CONFIRMATIONS_SPENT), about=comment)
        anchor = MESSAGES_ANCHOR if sent_again or no_confirmation else ""
        response = redirect(_on_its_page(request, comment, discussion=discussion, anchor=anchor))
        remember_posting(request, response)
    if comment.status == Comment.Status.PENDING:
        remember_held_comment(request, response, comment)
    if editable and comment.status in (Comment.Status.PENDING, Comment.Status.APPROVED):
        remember_own_comment(request, response, comment, minutes=discussion.edit_window_minutes)
    if "save_details" in form.cleaned_data:
        if form.cleaned_data["save_details"]:
            remember_details(request, response, form.cleaned_data)
        else:
            forget_details(request, response)
    return response


@require_POST
@token_for_members_origin_for_guests
def sign_in_to_comment(request, article_id: int):
    """An icon in the Leave a Reply box: keep what was typed, then sign in and come back to it."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    back = _comment_box_address(request, article)
    save_draft(request, article, request.POST, url=back)
    choice = request.POST.get("provider", "")
    if choice == "local":
        return redirect(f"{reverse('account_login')}?{urlencode({'next': back})}")
    provider = sign_in_choice(request, choice)
    if provider is None:
        raise Http404
    return connecting(request, provider=provider, next_url=back)


@require_POST
@token_for_members_origin_for_guests
def sign_out_from_comment(request, article_id: int):
    """ "Log Out" and "Change" in the box of a signed-in reader: sign out (as allauth's page does, saying so), keeping
    what was typed for the box, which then asks for a guest's details or, after "Change", another sign-in."""
    # A preview's box (a draft, a scheduled article) has no page to come back to: signed out as anywhere else.
    article = Article.objects.published().filter(pk=article_id).first()
    # What the box sent, and the details typed as a guest before signing in from it (a member's box has no fields for
    # them): read before the session they are kept in goes.
    typed = {**typed_as_guest(request, article), **request.POST.dict()} if article else {}
    logout(request)  # a new session: the draft goes into it, for the box's next showing only
    # Back to the box, which says "You have signed out." at its top, above the sign-in icons "Change" is for; on the
    # page of the comment answered as the signed-out reader counts pages (without the member's held comments).
    back = _comment_box_address(request, article) if article else settings.ACCOUNT_LOGOUT_REDIRECT_URL
    if article:
        save_draft(request, article, typed, url=back, once=True)
    return redirect(back)


def _comment_box_address(request, article: Article) -> str:
    """Where the reader who left the comment box to sign in finds it again: under the comment they were answering,
    on its page of comments, or at the end of the article."""
    parent, page = _answered_and_its_page(request, article, request.POST.get("parent", ""))
    if parent is None:
        return f"{article.get_absolute_url()}#respond"
    in_address = discussion_for(request).page_in_address(page)
    query = {"cpage": page, "replytocom": parent.pk} if in_address else {"replytocom": parent.pk}
    return f"{article.get_absolute_url()}?{urlencode(query)}#respond"


def _answered_and_its_page(request, article: Article, parent_id: str) -> tuple[Comment | None, int | None]:
    """The published comment a reply answers (the form's `parent`), and the page of the article's comments that
    shows it, counted as this reader's pages are (page_threads: with their own held comments); None and None for none
    (the page the article's address shows: the first or the last, Discussion settings)."""
    parent = _answerable(article, parent_id)
    if parent is None:
        return None, None
    return parent, comment_page_number(
        parent, held_ids=_held_here(request, article.pk), discussion=discussion_for(request)
    )


def _answerable(article: Article, parent_id) -> Comment | None:
    """The comment a reply names (the form's `parent`), if readers may answer it: published on the article, and on its
    page (not a reply taken off it with a held, spam or trashed comment above, where an answer would go unseen)."""
    if not row_id(parent_id):
        return None
    parent = Comment.objects.approved().filter(article=article, pk=parent_id).select_related("thread").first()
    return parent if parent is not None and shown_to_readers([parent]) else None


@require_GET
@never_cache
def form_started(request):
    """The signed time a guest starts filling in the comment form: their page is shared, so it cannot carry one."""
    return JsonResponse({"started": form_started_stamp()})


@require_GET
def comment_permalink(request, pk: int):
    """/comments/ID/ leads to the comment on its article page: not a reply taken off the page with the comment above
    it (held, spam or trash), as its report page and the feeds have it."""
    comment = get_object_or_404(
        Comment.objects.select_related("article", "thread"), pk=pk, article__in=Article.objects.published()
    )
    held_ids = _held_here(request, comment.article_id)  # the reader's own held comments are on their pages
    if not seen_by_reader(comment.status, comment.pk, held_ids) or not shown_to_readers([comment], held_ids=held_ids):
        raise Http404("This comment is not on the page.")
    return redirect(comment_page_url(comment, held_ids=held_ids))


def _held_here(request, article_id: int) -> list[int]:
    """The reader's own comments held on the article: they are on its pages for them."""
    return own_held_comment_ids(request, Comment.objects.filter(article=article_id))


def _on_its_page(request, comment: Comment, *, discussion: DiscussionSettings | None = None, anchor: str = "") -> str:
    """The comment on the page of its article that shows it (?cpage=), at its #comment-ID or `anchor`, as this reader
    sees the pages. Asked after a change is saved (a comment posted or edited, a report recorded), the answer must say
    it was saved even if the database fails now: then the article's first page, at the same anchor."""
    anchor = anchor or f"comment-{comment.pk}"
    try:
        held_ids = _held_here(request, comment.article_id)
        if comment.status == Comment.Status.PENDING:
            held_ids.append(comment.pk)
        return comment_page_url(comment, held_ids=held_ids, discussion=discussion, anchor=anchor)
    except DatabaseError:
        return f"{comment.article.get_absolute_url()}#{anchor}"


# ---- A writer's own comment: edit or delete it for a while ----------------------------
def _own_comment(request, pk: int) -> Comment:
    """The comment, if this reader wrote it: a member by account, a guest by the signed cookie of the browser that
    posted it (which lasts the edit window), or by the signed stamp of the page to edit it, shown only to them, sent
    back within its hour of grace (comments.tokens.edit_opened_at). Anyone else is refused (the site's 403 page)."""
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if request.user.is_authenticated and comment.user_id == request.user.pk:
        return comment
    if comment.user_id is None and comment.pk in own_comment_ids(request):
        return comment
    if comment.user_id is None and request.method == "POST" and edit_opened_at(request.POST.get("opened", ""), comment):
        return comment
    raise PermissionDenied(gettext("You can only change a comment you wrote, from the browser you wrote it in."))


def _own_comment_page(
    request, comment: Comment, template: str, *, status: int = 200, opened_at=None, **context
) -> TemplateResponse:
    discussion = DiscussionSettings.load()
    context = {
        "comment": comment,
        "closed": comment.edit_closed_because(discussion, opened_at=opened_at),
        "until": comment.editable_until(discussion),
        "back": _on_its_page(request, comment),
        # Sent back with the form: a page opened within the edit window may be sent a while after it closed.
        "opened": request.POST.get("opened") if opened_at else edit_opened_stamp(comment),
        **context,
    }
    return TemplateResponse(request, template, context, status=status if not context["closed"] else 403)


@require_http_methods(["GET", "POST"])
def edit_comment(request, pk: int):
    """The writer edits their comment within the edit window (a page of its own: no JavaScript needed)."""
    if request.method == "POST":
        return _edit_sent(request, pk)
    comment = _own_comment(request, pk)
    return _own_comment_page(request, comment, "comments/edit.html", typed=comment.body)


def _edit_sent(request, pk: int):
    comment = _own_comment(request, pk)
    typed = request.POST.get("comment", "")
    opened_at = edit_opened_at(request.POST.get("opened", ""), comment)
    try:
        comment = comment_edit_own(comment=comment, body=typed, author=request.user, opened_at=opened_at)
    except CommentRejected as rejection:
        # What was typed stays in the box, with the reason.
        return _own_comment_page(
            request,
            comment,
            "comments/edit.html",
            status=400,
            opened_at=opened_at,
            typed=typed,
            error=rejection.message,
        )
    if comment.status == Comment.Status.PENDING:
        held_again = gettext("Your comment is updated and waits for a moderator again.")
        _tell(request, messages.INFO, held_again, about=comment)
    else:
        _tell(request, messages.SUCCESS, gettext("Your comment is updated."), about=comment)
    response = redirect(_on_its_page(request, comment, anchor=MESSAGES_ANCHOR))
    if comment.status == Comment.Status.PENDING:
        # Held again: only its writer sees it now, with the guidance of a safety rule it matched.
        remember_held_comment(request, response, comment)
    return response


@require_http_methods(["GET", "POST"])
def delete_comment(request, pk: int):
    """The writer deletes their comment within the edit window, after saying yes."""
    if request.method == "POST":
        return _delete_sent(request, pk)
    return _own_comment_page(request, _own_comment(request, pk), "comments/delete.html")


def _delete_sent(request, pk: int):
    comment = _own_comment(request, pk)
    opened_at = edit_opened_at(request.POST.get("opened", ""), comment)
    # Back to the page of comments it was on (?cpage=), found while it is still there.
    back = _on_its_page(request, comment, anchor=MESSAGES_ANCHOR)
    try:
        comment_withdraw(comment=comment, opened_at=opened_at)
    except CommentRejected as rejection:
        return _own_comment_page(request, comment, "comments/delete.html", opened_at=opened_at, error=rejection.message)
    _tell(request, messages.SUCCESS, gettext("Your comment is deleted."))
    return redirect(back)


# ---- Reports from readers ---------------------------------------------------------
# Reports one reader (by address) may send in an hour: enough for a bad thread, not for a program.
REPORTS_PER_ADDRESS = 10
REPORTS_WINDOW_SECONDS = 3600


@require_http_methods(["GET", "POST"])
def report_comment(request, pk: int):
    """ "Report" under a published comment: a page asking why, then the report (works without JavaScript)."""
    if request.method == "POST":
        return _report_sent(request, pk)
    return _report_page(request, _reportable(pk))


def _reportable(pk: int) -> Comment:
    # Only what readers see can be reported: a held, spam or trashed comment, or a draft's, is not found.
    comments = Comment.objects.approved().select_related("article").filter(article__in=Article.objects.published())
    comment = get_object_or_404(comments, pk=pk)
    if not shown_to_readers([comment]):  # a reply under a comment taken off the page is off it too
        raise Http404("This comment is not on the page.")
    return comment


def _report_page(request, comment: Comment, *, status: int = 200, **context) -> TemplateResponse:
    context = {"comment": comment, "reasons": Report.Reason.choices, "back": _on_its_page(request, comment), **context}
    return TemplateResponse(request, "comments/report.html", context, status=status)


def _report_sent(request, pk: int):
    comment = _reportable(pk)
    reason = request.POST.get("reason", "")
    if reason not in Report.Reason.values:
        return _report_page(request, comment, status=400, error=gettext("Choose why the comment should not be here."))
    # A guest's, by the browser that posted it (a member's signed out: this browser is anyone's then).
    written_here = comment.user_id is None and comment.pk in own_comment_ids(request)
    if written_here or (request.user.is_authenticated and comment.user_id == request.user.pk):
        # A report counts toward taking a comment off the page: its own writer's would be a vote of their own.
        return _report_page(
            request,
            comment,
            status=400,
            error=gettext("This is your own comment: edit or delete it while you may, or write to the site's editors."),
        )
    if too_often(request, "comment-report", limit=REPORTS_PER_ADDRESS, seconds=REPORTS_WINDOW_SECONDS):
        return too_many_tries(request, wait_seconds=REPORTS_WINDOW_SECONDS)
    recorded = comment_report(comment=comment, reason=reason, reporter_key=reporter_key(request), reporter=request.user)
    return _report_page(request, comment, reported=True, already=not recorded)


# ---- Likes ------------------------------------------------------------------------
def _published_article(year: str, month: str, day: str, slug: str) -> Article:
    """The article at this permalink if readers can see it: drafts, scheduled and unknown articles are a 404."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    if article.permalink_kwargs != {"year": year, "month": month, "day": day, "slug": slug}:
        raise Http404
    return article


def _after_liking(request: HttpRequest, article: Article) -> HttpResponse:
    """JSON with the re-rendered block for likes.js; otherwise back to the article."""
    if request.get_preferred_type(["text/html", "application/json"]) != "application/json":
        return redirect(f"{article.get_absolute_url()}#likes")
    likes = likes_for(request, article, use_gravatar=DiscussionSettings.load().use_gravatar)
    return JsonResponse(
        {
            "liked": likes.liked,
            "count": likes.count,
            "summary": likes.summary,
            "html": render_to_string("includes/likes.html", {"likes": likes}, request=request),
        }
    )


@require_POST
@token_for_members_origin_for_guests
def like(request, year: str, month: str, day: str, slug: str):
    """The Like button. A guest signs in first and comes back to the article to finish the like."""
    article = _published_article(year, month, day, slug)
    if not request.user.is_authenticated:
        # Signing in ends with a GET of `next`, and a GET must not like anything:
        # with a "?like=1" address any site could make a signed-in reader like a
        # page by sending them there. So the like waits in the session (which
        # survives signing in; the comment box keeps its draft the same way), and
        # the article page finishes it with a POST: likes.js sends it at once, and
        # a reader without JavaScript sees the Like button with a prompt to press it.
        remember_pending_like(request, article)
        return redirect_to_login(f"{article.get_absolute_url()}#likes", login_url=reverse("account_login"))
    article_like(article=article, user=request.user)
    forget_pending_like(request)
    return _after_liking(request, article)


@require_POST
@token_for_members_origin_for_guests
def unlike(request, year: str, month: str, day: str, slug: str):
    """The Liked button: take the like back."""
    article = _published_article(year, month, day, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(f"{article.get_absolute_url()}#likes", login_url=reverse("account_login"))
    article_unlike(article=article, user=request.user)
    forget_pending_like(request)
    return _after_liking(request, article)
