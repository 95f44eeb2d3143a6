"""What the comments app shows on other apps' pages: `{% load comments %}` then
`{% render_likes article %}` and `{% render_comments article %}` on the article page
(`{% comment_feed_links article %}` in its head)
(the host app imports nothing of comments, as with django-contrib-comments),
the draft waiting after a failed sign-in, and the queue's size on the admin's index."""

from django import template
from django.conf import settings
from django.contrib.messages import get_messages
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext

from accounts.adapters import provider_icon, sign_in_choices, signed_in_with
from accounts.avatars import GRAVATAR_ORIGIN, avatar_url
from articles.models import Article, is_article_writer
from config import csp

from ..forms import CommentForm
from ..likes import likes_for, pending_like_taken
from ..models import (
    Comment,
    DiscussionSettings,
    is_comment_moderator,
    may_moderate_comments_on,
)
from ..reader_state import draft_for, last_draft_url, saved_details
from ..threads import (
    LOG_IN_TO_REPLY,
    NO_REPLY,
    REPLY,
    comment_rows,
    discussion_for,
    page_threads,
    shown_counts,
)

register = template.Library()


def _discussion(context) -> DiscussionSettings:
    """The site's discussion settings, read once for every tag of the page."""
    request = context["request"]
    discussion = discussion_for(request)
    if discussion.use_gravatar:
        # The site owner chose Gravatar: let this page load its pictures.
        csp.allow_for_request(request, "img-src", GRAVATAR_ORIGIN)
    return discussion


@register.inclusion_tag("includes/comment_feed_links.html", takes_context=True)
def comment_feed_links(context, article: Article) -> dict:
    """The <link>s in the page's head by which feed readers find the article's comment feeds."""
    return {"article": article, "site_name": context.get("site_name", "")}


@register.simple_tag(takes_context=True)
def comment_page_in_title(context, article: Article) -> str:
    """After the article's title in the page's <title>: " – Comments page 2" on a page of comments with an address of
    its own (search engines keep it as a page of its own: it needs a title of its own), nothing on the page the
    article's address shows."""
    threads = page_threads(context["request"], article)
    if not threads.canonical_query:
        return ""
    return " – " + gettext("Comments page %(number)d") % {"number": threads.page.number}


@register.inclusion_tag("includes/comments_link.html", takes_context=True)
def comments_link(context, article: Article) -> dict:
    """Under an article in a list, "3 Comments" leading to them, or "Leave a comment" leading to the box (nothing when
    comments are closed and there are none), as WordPress's lists show. The counts of the whole list (the page's
    `articles`) are read at its first article, in one query."""
    request = context["request"]
    counted = request.__dict__.setdefault("_listed_comment_counts", {})
    if article.pk not in counted:
        listed = [listed.pk for listed in context.get("articles", ())] or [article.pk]
        counts = shown_counts(listed)
        counted.update({pk: counts.get(pk, {}).get("approved", 0) for pk in listed})
    count = counted.get(article.pk, 0)
    return {
        "article": article,
        "count": count,
        "open": not discussion_for(request).comments_closed_for(article),
    }


@register.inclusion_tag("includes/likes.html", takes_context=True)
def render_likes(context, article: Article) -> dict:
    """The Like button and "N bloggers like this:" with the first likers' avatars; nothing on a preview. A reader who
    signed in to like the article lands here: the site's messages ("Successfully signed in as …") are shown here then,
    not in the comment box."""
    request = context["request"]
    if not article.is_public:
        return {"likes": None}
    likes = likes_for(
        request,
        article,
        use_gravatar=_discussion(context).use_gravatar,
        finish_like=pending_like_taken(request, article),
    )
    return {"likes": likes, "user": request.user, "messages": get_messages(request)}


@register.inclusion_tag("includes/comments.html", takes_context=True)
def render_comments(context, article: Article) -> dict:
    """The article's comments, threaded and paged, then the Leave a Reply box.

    A rejected comment comes back as `comment_form` in the page's context, with what was typed and why; the site's
    messages are shown in the box (outside the thread kept for every reader), where a reader sent back lands."""
    request = context["request"]
    threads = page_threads(request, article)  # before the settings: see page_threads
    discussion = _discussion(context)
    user = request.user
    closed = discussion.comments_closed_for(article)
    must_sign_in = discussion.registration_required and not user.is_authenticated
    reply_links = NO_REPLY if closed else LOG_IN_TO_REPLY if must_sign_in else REPLY
    # The reader's comments still in their edit window carry Edit and Delete for them alone.
    own_ids = threads.editable_ids
    # Those who may moderate them see an Edit link under each comment (to its page in the admin).
    edit_links = may_moderate_comments_on(user, article)
    # The rendered thread is the same for every reader with no held or editable comment of their own:
    # kept under the page's generations, it serves signed-in readers and guests alike.
    thread_version = None
    if threads.version and not own_ids:
        thread_version = f"{threads.version}:{article.pk}:{threads.page.number}:{reply_links}:{edit_links}"
    draft = draft_for(request, article)
    form = context.get("comment_form")  # a rejected comment, as it was sent
    if form is None:
        saved = saved_details(request)
        # The box stays ticked while details are remembered, as WordPress keeps it: unticked, they would be forgotten.
        initial = {**saved, "save_details": bool(saved), **draft}
        form = CommentForm(initial=initial, signed_in=user.is_authenticated)
    replying_to = threads.replyable(
        form.data.get("parent") if form.is_bound else request.GET.get("replytocom") or draft.get("parent")
    )
    if replying_to:
        form.initial["parent"] = replying_to.pk
    elif form.is_bound:
        # The box says "Leave a Reply" without "Cancel reply" (the comment answered is gone, hidden, too deep to
        # answer now, or the field was damaged): sent again, the comment goes on the article, as the box says.
        form.forget_parent()
    else:
        form.initial.pop("parent", None)  # a draft's, likewise
    # Signing in from the box (readers must sign in to comment) comes back to it, answering the comment it answers.
    box_address = article.get_absolute_url()
    if replying_to:
        box_address += "?" + "&".join(filter(None, (threads.page_query, f"replytocom={replying_to.pk}")))
    return {
        "article": article,
        "request": request,
        "user": user,
        "site_name": context.get("site_name", ""),
        "account_avatar_url": (
            avatar_url(user.email, use_gravatar=discussion.use_gravatar, member=user) if user.is_authenticated else ""
        ),
        "account_name": signed_in_with(request),
        "sign_in_choices": (
            []
            if user.is_authenticated
            else [(provider, provider_icon(provider)) for provider in sign_in_choices(request)]
        ),
        "approved_count": threads.approved_count,
        "comment_form": form,
        "comment_page": threads.page,
        "comment_page_query": threads.page_query,
        "comment_page_urls": threads.neighbour_urls,
        # Read and rendered only when the thread is not kept rendered already (see comments.html).
        "comment_rows": SimpleLazyObject(
            lambda: comment_rows(threads, reply_links=reply_links, own_ids=own_ids, edit_links=edit_links)
        ),
        "thread_version": thread_version,
        "thread_seconds": settings.PAGE_CACHE_SECONDS,
        "comments_closed": closed,
        "must_sign_in": must_sign_in,
        "sign_in_back": f"{box_address}#respond",
        "replying_to": replying_to,
        "messages": get_messages(request),
    }


@register.simple_tag(takes_context=True)
def comment_draft_url(context) -> str:
    """The article where the reader left an unsent comment before signing in, if any."""
    request = context.get("request")
    return last_draft_url(request) if request is not None else ""


@register.simple_tag(takes_context=True)
def pending_comment_count(context) -> int | None:
    """How many of the comments the admin lists to the signed-in account wait for a moderator, for the admin's
    front page; None when it lists none."""
    user = context["request"].user
    if not (user.has_perm("comments.view_comment") or is_comment_moderator(user) or is_article_writer(user)):
        return None
    return Comment.objects.pending().listed_to(user).count()
