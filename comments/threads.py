"""The comments of one article, threaded and paged as the article page shows them."""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from accounts.avatars import avatar_url
from articles.models import Article

from .models import Comment, DiscussionSettings, SafetyRule


def shown_to_readers(comments: list[Comment]) -> list[Comment]:
    """Those of these approved comments that readers see: a reply under a held, spam or trashed comment is
    hidden with it, on the page (CommentThreads) and wherever else comments go (feeds, structured data)."""
    roots = {comment.thread_id or comment.pk for comment in comments}
    tree = {
        pk: (parent_id, status)
        for pk, parent_id, status in Comment.objects.filter(Q(pk__in=roots) | Q(thread_id__in=roots)).values_list(
            "pk", "parent_id", "status"
        )
    }

    def shown(pk: int | None) -> bool:
        while pk is not None:
            parent_id, status = tree.get(pk, (None, None))
            if status != Comment.Status.APPROVED:
                return False
            pk = parent_id
        return True

    return [comment for comment in comments if shown(comment.pk)]


@dataclass
class CommentNode:
    comment: Comment
    depth: int
    avatar_url: str
    can_reply: bool
    replies: list["CommentNode"] = field(default_factory=list)


class CommentThreads:
    """One page of an article's top-level comments, each with its replies, in a constant number of queries.

    The page's place among the pages is known at once; its comments are read when first asked
    for, so that a page whose thread is already rendered in the cache never reads them."""

    def __init__(self, article: Article, *, held_ids: list[int], page_number, discussion: DiscussionSettings) -> None:
        self.discussion = discussion
        self.visible = Comment.objects.filter(article=article).visible_to(held_ids=held_ids)
        top_level_ids = (
            self.visible.filter(parent__isnull=True).order_by("created_at", "id").values_list("pk", flat=True)
        )
        self.page: Page = Paginator(top_level_ids, discussion.comments_per_page).get_page(page_number)

    @cached_property
    def nodes(self) -> dict[int, CommentNode]:
        roots = list(self.page.object_list)
        comments = self.visible.filter(Q(pk__in=roots) | Q(thread_id__in=roots)).select_related("user", "safety_rule")
        use_gravatar, deepest = self.discussion.use_gravatar, self.discussion.thread_depth
        # Two passes: a reply may carry an earlier time than its parent (the clocks
        # of two hosts disagree), so every node exists before any is attached.
        nodes = {
            comment.pk: CommentNode(
                comment=comment,
                depth=comment.depth,
                avatar_url=avatar_url(comment.avatar_email, use_gravatar=use_gravatar, member=comment.user),
                can_reply=comment.depth < deepest and comment.status == Comment.Status.APPROVED,
            )
            for comment in comments
        }
        for node in nodes.values():  # oldest first, in each list of replies too
            if node.comment.parent_id is not None and (parent := nodes.get(node.comment.parent_id)):
                parent.replies.append(node)
            # A reply whose parent is hidden (held, spam or trash) is hidden too.
        return nodes

    @property
    def threads(self) -> list[CommentNode]:
        return [node for node in self.nodes.values() if node.comment.parent_id is None]

    def replyable(self, raw) -> Comment | None:
        """The comment a reply names (?replytocom=, a rejected reply or a draft), if readers may answer it here."""
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            return None
        node = self.nodes.get(pk)
        return node.comment if node and node.can_reply else None


@dataclass(frozen=True)
class ThreadWords:
    """What every comment of a page says in the reader's language: translated once per page, not per comment."""

    posted: str
    reply: str
    reply_to: str
    leave_a_reply_to: str
    awaiting_moderation: str
    report: str
    report_label: str
    edited: str
    edit: str
    delete: str
    months: tuple[str, ...]
    am: str
    pm: str

    @classmethod
    def now(cls) -> "ThreadWords":
        return cls(
            posted=gettext("%(date)s at %(time)s"),
            reply=gettext("Reply"),
            reply_to=gettext("Reply to %(name)s"),
            leave_a_reply_to=gettext("Leave a Reply to %(name)s"),
            awaiting_moderation=gettext("Your comment is awaiting moderation."),
            report=gettext("Report"),
            report_label=gettext("Report the comment by %(name)s"),
            edited=gettext("edited"),
            edit=gettext("Edit your comment"),
            delete=gettext("Delete it"),
            months=tuple(str(MONTHS[number]) for number in range(1, 13)),
            am=gettext("a.m."),
            pm=gettext("p.m."),
        )

    def when(self, moment: datetime.datetime) -> str:
        """WordPress's "November 2, 2026 at 3:05 p.m." (Django's "F j, Y" and "g:i a"), without a formatter per call."""
        date = f"{self.months[moment.month - 1]} {moment.day}, {moment.year}"
        time = f"{moment.hour % 12 or 12}:{moment.minute:02d} {self.pm if moment.hour > 11 else self.am}"
        return self.posted % {"date": date, "time": time}


def safety_guidance(rule: SafetyRule | None) -> str:
    """What a reader whose held comment matched a safety rule is told, above it (only they see a held comment)."""
    if rule is None or not rule.enabled:
        return ""
    link = (
        format_html(
            '<p><a class="safety-guidance-link" href="{}">{}</a></p>', rule.link_url, rule.link_text or rule.link_url
        )
        if rule.link_url
        else ""
    )
    return format_html('<div class="safety-guidance" role="alert"><p>{}</p>{}</div>\n    ', rule.message, link)


def comment_rows(
    threads: CommentThreads, *, reply_links: bool, own_ids: frozenset[int] = frozenset(), edit_minutes: int = 0
) -> list[Comment]:
    """The page's comments in the order they are shown, each carrying the markup around its cleaned body.

    The list is rendered in one loop, `html_before`, the body, `html_after`, instead of one template
    include per comment: the markup comes from format_html, which escapes every value it is given."""
    words = ThreadWords.now()
    page_query = f"cpage={threads.page.number}&" if threads.page.number > 1 else ""
    # /comments/, where each comment's report, edit and delete pages are: reversed once for the page.
    comments_path = reverse("comments:report", kwargs={"pk": 0}).removesuffix("0/report/")
    # The reader's own comments still in their edit window (and not replied to) get Edit and Delete.
    edits_end = timezone.now() - datetime.timedelta(minutes=edit_minutes)
    rows: list[Comment] = []

    def add(node: CommentNode, closes: int) -> None:
        comment = node.comment
        name = comment.author_display_name
        website = comment.author_website
        shown_at = timezone.localtime(comment.created_at)
        comment.html_before = format_html(
            '<li id="comment-{pk}" class="comment depth-{depth}{held}">\n'
            '  <article class="comment-body">\n'
            '    <footer class="comment-meta">\n'
            '      <img class="avatar" src="{avatar}" alt="" width="48" height="48" loading="lazy">\n'
            '      <span class="comment-author">{author}</span>\n'
            '      <a class="comment-date" href="#comment-{pk}"><time datetime="{iso}">{posted}</time></a>{edited}\n'
            "    </footer>\n"
            "    {awaiting}"
            '<div class="comment-content">',
            pk=comment.pk,
            depth=node.depth,
            held=" comment-held" if comment.status == Comment.Status.PENDING else "",
            avatar=node.avatar_url,
            author=format_html('<a href="{}" rel="external nofollow ugc">{}</a>', website, name) if website else name,
            iso=shown_at.isoformat(timespec="seconds"),
            posted=words.when(shown_at),
            edited=format_html(' <span class="comment-edited">({})</span>', words.edited) if comment.edited_at else "",
            awaiting=format_html(
                '{}<p class="comment-awaiting-moderation" role="status">{}</p>\n    ',
                safety_guidance(comment.safety_rule),
                words.awaiting_moderation,
            )
            if comment.status == Comment.Status.PENDING
            else "",
        )
        reply = ""
        if node.can_reply and reply_links:
            reply = format_html(
                '\n    <p class="reply"><a class="comment-reply-link" rel="nofollow"'
                ' href="?{query}replytocom={pk}#respond" data-comment-id="{pk}"'
                ' data-reply-title="{title}" aria-label="{label}">{reply}</a></p>',
                query=page_query,
                pk=comment.pk,
                title=words.leave_a_reply_to % {"name": name},
                label=words.reply_to % {"name": name},
                reply=words.reply,
            )
        if comment.pk in own_ids and comment.created_at > edits_end and not node.replies:
            reply = format_html(
                '{}\n    <p class="comment-own"><a href="{}{}/edit/">{}</a> · <a href="{}{}/delete/">{}</a></p>',
                reply,
                comments_path,
                comment.pk,
                words.edit,
                comments_path,
                comment.pk,
                words.delete,
            )
        if comment.status == Comment.Status.APPROVED:
            reply = format_html(
                '{}\n    <p class="report"><a class="comment-report-link" rel="nofollow" href="{}{}/report/"'
                ' aria-label="{}">{}</a></p>',
                reply,
                comments_path,
                comment.pk,
                words.report_label % {"name": name},
                words.report,
            )
        if node.replies:
            comment.html_after = format_html('</div>{}\n  </article>\n  <ol class="children">\n', reply)
        else:
            # The last reply of a branch also closes the lists of replies it ends.
            closing = format_html_join("", "</ol>\n</li>{}\n", [("",)] * closes)
            comment.html_after = format_html("</div>{}\n  </article>\n</li>\n{}", reply, closing)
        rows.append(comment)
        for position, reply_node in enumerate(node.replies):
            last = position == len(node.replies) - 1
            add(reply_node, closes + 1 if last else 0)

    for node in threads.threads:
        add(node, 0)
    return rows


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
