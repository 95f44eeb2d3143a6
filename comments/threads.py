"""The comments of one article, threaded and paged as the article page shows them."""

import datetime
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext

from accounts.avatars import avatar_url
from articles.models import Article
from config import pagecache
from config.html import escaped, format_escaped
from config.requests import row_id

from .models import Comment, DiscussionSettings, SafetyRule
from .reader_state import own_comments


def _tree_of_threads(roots: set[int]) -> dict[int, tuple[int | None, str]]:
    """Each comment of these threads (top-level comment ids): its parent and its status."""
    return {
        pk: (parent_id, status)
        for pk, parent_id, status in Comment.objects.filter(Q(pk__in=roots) | Q(thread_id__in=roots)).values_list(
            "pk", "parent_id", "status"
        )
    }


def seen_by_reader(status: str, pk: int, held_ids=frozenset()) -> bool:
    """Whether a reader sees a comment of this status on its own: approved, or held and theirs (`held_ids`)."""
    return status == Comment.Status.APPROVED or (status == Comment.Status.PENDING and pk in held_ids)


def _shown_in(tree: dict[int, tuple[int | None, str]], pk: int | None, held_ids=frozenset()) -> bool:
    """Whether readers see this comment of the tree: it and every comment above it are seen (seen_by_reader)."""
    while pk is not None:
        parent_id, status = tree.get(pk, (None, None))
        if not seen_by_reader(status, pk, held_ids):
            return False
        pk = parent_id
    return True


def shown_to_readers(comments: list[Comment], *, held_ids=()) -> list[Comment]:
    """Those of these comments (approved, or the reader's own held ones: `held_ids`) that the reader sees: a reply
    under a held, spam or trashed comment is hidden with it, on the page (CommentThreads) and wherever else
    comments go (feeds, structured data). A comment that is not a reply is shown: only the conversations of replies
    are read."""
    roots = {comment.thread_id for comment in comments if comment.thread_id}
    if not roots:
        return list(comments)
    tree, held_ids = _tree_of_threads(roots), frozenset(held_ids)
    return [comment for comment in comments if comment.thread_id is None or _shown_in(tree, comment.pk, held_ids)]


def approved_below(comments: list[Comment]) -> list[int]:
    """The approved replies under these comments, at any depth: readers see them once they see these (one query)."""
    above = {comment.pk for comment in comments}
    tree = _tree_of_threads({comment.thread_id or comment.pk for comment in comments})

    def under(pk: int) -> bool:
        parent_id = tree[pk][0]
        while parent_id is not None and parent_id not in above:
            parent_id = tree.get(parent_id, (None, None))[0]
        return parent_id is not None

    return [
        pk for pk, (_, status) in tree.items() if status == Comment.Status.APPROVED and pk not in above and under(pk)
    ]


def _not_shown(article_ids: Iterable[int]):
    """The articles' comments readers do not see (held, spam, trash), as a subquery of ids: what hides the replies
    under them."""
    return Comment.objects.filter(article__in=article_ids).unpublished().order_by().values("pk")


def _approved_but_hidden(article_id: int) -> int:
    """How many of the article's approved replies readers do not see, being under a held, spam or trashed comment."""
    roots = set(
        Comment.objects.filter(article=article_id, parent__in=_not_shown([article_id]))
        .approved()
        .order_by()
        .values_list("thread_id", flat=True)
    )
    tree = _tree_of_threads(roots)
    return sum(1 for pk, (_, status) in tree.items() if status == Comment.Status.APPROVED and not _shown_in(tree, pk))


def shown_counts(article_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """For each of these articles, how many approved comments readers see on all its pages (the heading's "N
    thoughts", a list's "N Comments": not the replies hidden with a held, spam or trashed comment above them), and how
    many of them are top-level (its pages of comments). One query for them all; one more for an article where such
    replies are hidden (seldom). An article without comments is left out."""
    article_ids = list(article_ids)
    rows = (
        Comment.objects.filter(article__in=article_ids)
        .approved()
        .order_by()
        .values("article")
        .annotate(
            approved=Count("pk"),
            top_level=Count("pk", filter=Q(parent__isnull=True)),
            # Replies whose parent readers do not see: the same query finds whether any are hidden. (It costs the
            # cold page a measured 0.5-0.8 ms, mostly Django compiling it; a join to the parent cost as much.)
            under_hidden=Count("pk", filter=Q(parent__in=_not_shown(article_ids))),
        )
    )
    counts = {}
    for row in rows:
        if row.pop("under_hidden"):
            row["approved"] -= _approved_but_hidden(row["article"])
        counts[row.pop("article")] = row
    return counts


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

    def __init__(
        self,
        article: Article,
        *,
        held_ids: list[int],
        page_number,
        discussion: DiscussionSettings,
        version: str | None = None,
        editable_ids: Iterable[int] = (),
        member_id: int | None = None,
    ) -> None:
        self.article = article
        self.discussion = discussion
        # The reader's comments still in their edit window: Edit and Delete under them are for the reader alone
        # (a guest's, or the signed-in member's own: a member's comment named by a browser's cookie is not).
        self.editable_ids = frozenset(editable_ids)
        self.member_id = member_id
        # What shows no held comment of the reader's is the same for every reader: its parts may be kept for all
        # of them, under the page's `version` (pagecache.version, taken before anything here was read).
        self.shared = not held_ids
        self.version = version if self.shared else None
        self.visible = Comment.objects.filter(article=article).visible_to(held_ids=held_ids)
        top_level_ids = (
            self.visible.filter(parent__isnull=True).order_by("created_at", "id").values_list("pk", flat=True)
        )
        paginator = Paginator(top_level_ids, discussion.comments_per_page)
        if self.shared:
            # Counted once for each change of the page.
            paginator.count = self.counts["top_level"]
        # The page the article's address shows (Discussion settings): the first, or the last, with the newest.
        last_first = discussion.first_comment_page == DiscussionSettings.FirstCommentPage.LAST
        self.first_shown = paginator.num_pages if last_first else 1
        self.page: Page = paginator.get_page(page_number or self.first_shown)

    @property
    def page_query(self) -> str:
        """The query of a link to the page shown ("cpage=2"), or "" (DiscussionSettings.page_in_address)."""
        number = self.page.number
        return f"cpage={number}" if self.discussion.page_in_address(number) else ""

    @property
    def neighbour_urls(self) -> tuple[str, str]:
        """The addresses of the pages of comments before and after the one shown, at the comments ("" for none):
        the first page at the article's own address when it shows that page (not ?cpage=1, a copy of it)."""

        def url(number: int) -> str:
            return self.discussion.comments_page_url(self.article, number, anchor="comments")

        page = self.page
        return (
            url(page.previous_page_number()) if page.has_previous() else "",
            url(page.next_page_number()) if page.has_next() else "",
        )

    @property
    def canonical_query(self) -> str:
        """The query of the page's address to search engines: "" for the page the article's address shows."""
        return "" if self.page.number == self.first_shown else f"cpage={self.page.number}"

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many approved comments the article shows on all its pages (the heading's "N thoughts": not the
        replies hidden with a held, spam or trashed comment above them), and how many of them are top-level
        (the pages of comments)."""
        return pagecache.kept_under(self.version, f"comments:counts:{self.article.pk}", self._count)

    def _count(self) -> dict[str, int]:
        return shown_counts([self.article.pk]).get(self.article.pk, {"approved": 0, "top_level": 0})

    @cached_property
    def nodes(self) -> dict[int, CommentNode]:
        if not self.page.paginator.count:
            return {}  # nothing to read (Django would still build the query to find that out)
        # The page's top-level comments and their replies in one query: the page's slice of the top-level ids is
        # a subquery of it, not a list read before it.
        roots = self.page.object_list
        comments = self.visible.filter(Q(pk__in=roots) | Q(thread_id__in=roots)).select_related(
            # Only a reader's own held comment shows the guidance of the safety rule that held it.
            *(("user",) if self.shared else ("user", "safety_rule"))
        )
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
        if not self.shared:
            # Replies under the reader's own held comment are shown to them, but an answer to one would be published
            # where nobody else sees it (comments.views._answerable refuses it): no Reply under them.
            under_held = [node for node in nodes.values() if node.comment.status != Comment.Status.APPROVED]
            while under_held:
                for reply in under_held.pop().replies:
                    reply.can_reply = False
                    under_held.append(reply)
        return nodes

    @property
    def threads(self) -> list[CommentNode]:
        """The page's top-level comments, in the order the site owner chose (Discussion settings)."""
        top_level = [node for node in self.nodes.values() if node.comment.parent_id is None]
        newer_first = self.discussion.comment_order == DiscussionSettings.CommentOrder.NEWER_FIRST
        return top_level[::-1] if newer_first else top_level

    @property
    def approved_count(self) -> int:
        return self.counts["approved"]

    def in_reading_order(self) -> Iterator[tuple[CommentNode, int]]:
        """The page's comments as they are read, each top-level comment followed by its replies, depth first;
        with each, how many lists of replies end after it (the last reply of a branch ends its own list, and
        those of the comments above it of which it is the last reply too)."""

        def branch(node: CommentNode, closes: int) -> Iterator[tuple[CommentNode, int]]:
            yield node, closes
            for position, reply in enumerate(node.replies):
                yield from branch(reply, closes + 1 if position == len(node.replies) - 1 else 0)

        for node in self.threads:
            yield from branch(node, 0)

    def replyable(self, raw) -> Comment | None:
        """The comment a reply names (?replytocom=, a rejected reply or a draft), if readers may answer it here."""
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            return None
        node = self.nodes.get(pk)
        if not (node and node.can_reply):
            return None
        # Not a reply taken off the page with a comment above it (held, even the reader's own, spam or trash):
        # every comment above is published here.
        above = node
        while above.comment.parent_id is not None:
            above = self.nodes.get(above.comment.parent_id)
            if above is None or above.comment.status != Comment.Status.APPROVED:
                return None
        return node.comment


def discussion_for(request: HttpRequest) -> DiscussionSettings:
    """The site's discussion settings, read once for all that a request shows."""
    if not hasattr(request, "_discussion"):
        request._discussion = DiscussionSettings.load()
    return request._discussion


def page_threads(request: HttpRequest, article: Article) -> CommentThreads:
    """The comments of the article page this request shows (its ?cpage=, with the reader's own held comments, and
    knowing those they may still edit):
    one CommentThreads for every part of the page that shows them (the thread, its heading, the structured data),
    so that each is read once. A reply sent back rejected shows the page of the comment it answers
    (`request.comment_page`, set by the view), so that the box still says whom it answers; so does ?replytocom= without
    ?cpage= (see _page_asked)."""
    kept = request.__dict__.setdefault("_comment_threads", {})
    if article.pk not in kept:
        # First: what is kept under the version is read after it, so never from before a change it does not know.
        version = pagecache.version(article.get_absolute_url())
        # Only the reader's own comments still held here make the page their own.
        discussion = discussion_for(request)
        own = own_comments(
            request, Comment.objects.filter(article=article), edit_minutes=discussion.edit_window_minutes
        )
        kept[article.pk] = CommentThreads(
            article,
            held_ids=own.held,
            page_number=_page_asked(request, article, held_ids=own.held, discussion=discussion),
            discussion=discussion,
            version=version,
            editable_ids=own.editable,
            member_id=request.user.pk,
        )
    return kept[article.pk]


def _page_asked(
    request: HttpRequest, article: Article, *, held_ids: list[int], discussion: DiscussionSettings
) -> str | int | None:
    """The page of the article's comments the request asks for: its ?cpage=, the page of the comment a rejected reply
    answers, or for ?replytocom= alone the page of the comment it names. WordPress wrote its reply links without the
    page (get_comment_reply_link: the post's permalink), and they circulate: without its page, such a link showed the
    page the article's address shows, where the comment it names is not, and the box answered nobody. None: the page
    the article's address shows."""
    number = request.GET.get("cpage") or getattr(request, "comment_page", None)
    if number or not (pk := row_id(request.GET.get("replytocom", ""))):
        return number
    # Two queries, for an address that names a comment and no page only; kept with the page it makes.
    answered = (
        Comment.objects.filter(article=article, pk=pk).visible_to(held_ids=held_ids).select_related("thread").first()
    )
    return comment_page_number(answered, held_ids=held_ids, discussion=discussion) if answered else None


@dataclass(frozen=True)
class ThreadWords:
    """What every comment of a page says in the reader's language: translated once per page, not per comment."""

    posted: str
    reply: str
    reply_to: str
    log_in_to_reply: str
    log_in_to_reply_to: str
    awaiting_moderation: str
    report: str
    report_label: str
    edited: str
    edit: str
    delete: str
    moderate: str
    months: tuple[str, ...]
    am: str
    pm: str

    @classmethod
    def now(cls) -> "ThreadWords":
        return cls(
            posted=gettext("%(date)s at %(time)s"),
            reply=gettext("Reply"),
            reply_to=gettext("Reply to %(name)s"),
            log_in_to_reply=gettext("Log in to Reply"),
            log_in_to_reply_to=gettext("Log in to reply to %(name)s"),
            awaiting_moderation=gettext("Your comment is awaiting moderation."),
            report=gettext("Report"),
            report_label=gettext("Report the comment by %(name)s"),
            edited=gettext("edited"),
            edit=gettext("Edit your comment"),
            delete=gettext("Delete it"),
            moderate=gettext("Edit"),
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


def comment_address_prefix() -> str:
    """/comments/: each comment's address is this followed by its number and a slash (its pages go on from there).
    Reversed once for a page of comments rather than for each."""
    return reverse("comments:permalink", kwargs={"pk": 0}).removesuffix("0/")


def _literal(text: str) -> str:
    """`text` escaped once, to be written into a format string as it is (its braces doubled)."""
    return conditional_escape(text).replace("{", "{{").replace("}", "}}")


def _naming(words: str) -> str:
    """Words with a %(name)s, as a format string in which the name of the comment they end is the {ended_name} field."""
    return _literal(words % {"name": "\0"}).replace("\0", "{ended_name}")


# What a comment readers may answer carries under it (comment_rows): Reply; or, where readers must sign in to comment
# and this one has not, "Log in to Reply", leading to the log-in page and back to answer it (WordPress's
# get_comment_reply_link); nothing where comments are closed.
REPLY, LOG_IN_TO_REPLY, NO_REPLY = "reply", "log-in", ""


class CommentRows(list):
    """The comments of a page as comment_rows writes them, each a dict: its `html_before` (the end of the comment
    before it, then its own start) and its cleaned `body_html`; after the last, `end`. Dicts, which the template
    reads with one lookup each, where a model's attribute is found only after a failed item lookup."""

    end: str = ""


def comment_rows(
    threads: CommentThreads, *, reply_links: str, own_ids: frozenset[int] = frozenset(), edit_links: bool = False
) -> CommentRows:
    """The page's comments in the order they are shown, each carrying the markup before its cleaned body.

    The list is rendered in one loop, `html_before` then the body, and `end` after it, instead of one template
    include per comment: the markup comes from format_escaped (config.html: format_html, made for this many
    calls), which escapes every value it is given. What is the same for every comment of the page (its words, its
    addresses, which links a comment has) is escaped once, into the page's few format strings; each comment's own
    values (its number, its writer's name and website, its date) are escaped once for the comment, its number and
    name once for its start and its end (which is written with the start of the next). `edit_links`: each comment
    leads to its page in the admin (WordPress's Edit under a comment, for those who may moderate it). `reply_links`:
    what a comment readers may answer carries, REPLY, LOG_IN_TO_REPLY or NO_REPLY."""
    words = ThreadWords.now()
    # The article's own address, not "?replytocom=…" alone: a rejected comment's page is at the address it was
    # sent to (/comments/post/ID/), where a link of a query alone would lead nowhere.
    page_address = _literal(threads.article.get_absolute_url())
    page_query = f"{threads.page_query}&" if threads.page_query else ""
    # "Log in to Reply" comes back to the comment's Reply (its number written after this, and #respond).
    back = quote(f"{threads.article.get_absolute_url()}?{page_query}replytocom=", safe="")
    log_in = _literal(f"{reverse('account_login')}?next={back}")
    page_query = _literal(page_query)
    # Where each comment's report, edit and delete pages are: reversed once for the page.
    comments_path = _literal(comment_address_prefix())
    admin_path = _literal(reverse("admin:comments_comment_change", args=[0]).removesuffix("0/change/"))
    # The reader's own comments still in their edit window (and not replied to) get Edit and Delete.
    now = timezone.now()
    zone = timezone.get_current_timezone()

    @functools.cache
    def opening(*, held: bool, edited: bool, website: bool) -> str:
        author = '<a href="{website}" rel="external nofollow ugc">{name}</a>' if website else "{name}"
        awaiting = (
            '{guidance}<p class="comment-awaiting-moderation" role="status">'
            f"{_literal(words.awaiting_moderation)}</p>\n    "
        )
        return (
            f'<li id="comment-{{pk}}" class="comment depth-{{depth}}{" comment-held" if held else ""}">\n'
            '  <article class="comment-body">\n'
            '    <footer class="comment-meta">\n'
            '      <img class="avatar" src="{avatar}" alt="" width="48" height="48" loading="lazy">\n'
            # Isolated: a name written right to left would take the date after it into its direction.
            f'      <bdi class="comment-author">{author}</bdi>\n'
            '      <a class="comment-date" href="#comment-{pk}"><time datetime="{iso}">{posted}</time></a>'
            + (f' <span class="comment-edited">({_literal(words.edited)})</span>' if edited else "")
            + "\n    </footer>\n"
            f"    {awaiting if held else ''}"
            # Its writer's direction, not the page's: a comment in Hebrew or Arabic reads right to left.
            '<div class="comment-content" dir="auto">'
        )

    @functools.cache
    def closing(*, reply: bool, own: bool, report: bool, replies: bool, closes: int) -> str:
        # Its fields are named ended_…: the next comment's opening follows it in one format string.
        links = ""
        if edit_links:
            links += (
                f'\n    <p class="comment-edit-link"><a href="{admin_path}{{ended_pk}}/change/">'
                f"{_literal(words.moderate)}</a></p>"
            )
        if reply and reply_links == LOG_IN_TO_REPLY:
            links += (
                '\n    <p class="reply"><a class="comment-reply-login" rel="nofollow"'
                f' href="{log_in}{{ended_pk}}%23respond"'
                f' aria-label="{_naming(words.log_in_to_reply_to)}">{_literal(words.log_in_to_reply)}</a></p>'
            )
        elif reply:
            links += (
                '\n    <p class="reply"><a class="comment-reply-link" rel="nofollow"'
                f' href="{page_address}?{page_query}replytocom={{ended_pk}}#respond" data-comment-id="{{ended_pk}}"'
                f' aria-label="{_naming(words.reply_to)}">'
                f"{_literal(words.reply)}</a></p>"
            )
        if own:
            links += (
                f'\n    <p class="comment-own"><a href="{comments_path}{{ended_pk}}/edit/">{_literal(words.edit)}</a>'
                f' · <a href="{comments_path}{{ended_pk}}/delete/">{_literal(words.delete)}</a></p>'
            )
        if report:
            links += (
                f'\n    <p class="report"><a class="comment-report-link" rel="nofollow"'
                f' href="{comments_path}{{ended_pk}}/report/" aria-label="{_naming(words.report_label)}">'
                f"{_literal(words.report)}</a></p>"
            )
        if replies:
            return f'</div>{links}\n  </article>\n  <ol class="children">\n'
        # The last reply of a branch also closes the lists of replies it ends.
        return f"</div>{links}\n  </article>\n</li>\n" + "</ol>\n</li>\n" * closes

    # A comment's number and name are escaped once for the two format strings that write it; its depth (one of a
    # few) once for the page.
    escaped_depth = functools.cache(escaped)
    rows = CommentRows()
    ended = ""  # the end of the comment before, written with the start of the next
    ended_values = {}
    for node, closes in threads.in_reading_order():
        comment = node.comment
        pk = escaped(comment.pk)
        name = escaped(comment.author_display_name)
        website = comment.author_website
        held = comment.status == Comment.Status.PENDING
        shown_at = comment.created_at.astimezone(zone)
        values = {
            **ended_values,
            "pk": pk,
            "depth": escaped_depth(node.depth),
            "avatar": node.avatar_url,
            "name": name,
            "iso": shown_at.isoformat(timespec="seconds"),
            "posted": words.when(shown_at),
        }
        if website:
            values["website"] = website
        if held:
            values["guidance"] = safety_guidance(comment.safety_rule)
        html_before = format_escaped(
            ended + opening(held=held, edited=bool(comment.edited_at), website=bool(website)), **values
        )
        own = (
            comment.pk in own_ids
            and comment.user_id in (None, threads.member_id)
            and not node.replies
            and comment.editable_until(threads.discussion) > now
        )
        ended = closing(
            reply=node.can_reply and reply_links != NO_REPLY,
            own=own,
            report=comment.status == Comment.Status.APPROVED,
            replies=bool(node.replies),
            closes=closes,
        )
        ended_values = {"ended_pk": pk, "ended_name": name}
        rows.append({"html_before": html_before, "body_html": comment.body_html})
    if rows:
        rows.end = format_escaped(ended, **ended_values)
    return rows


def comment_page_number(comment: Comment, *, held_ids: list[int], discussion: DiscussionSettings | None = None) -> int:
    """The page of the article's comments (?cpage=) that shows this comment."""
    discussion = discussion or DiscussionSettings.load()
    root = comment.thread or comment
    earlier = (
        Comment.objects.filter(article=comment.article_id, parent__isnull=True, created_at__lte=root.created_at)
        .visible_to(held_ids=held_ids)
        .exclude(created_at=root.created_at, pk__gt=root.pk)
        .count()
    )
    return max(1, (earlier - 1) // discussion.comments_per_page + 1)


def comment_page_url(
    comment: Comment, *, held_ids: list[int], discussion: DiscussionSettings | None = None, anchor: str = ""
) -> str:
    """The article page that shows this comment, at its #comment-ID anchor (or `anchor`)."""
    discussion = discussion or DiscussionSettings.load()
    page = comment_page_number(comment, held_ids=held_ids, discussion=discussion)
    return discussion.comments_page_url(comment.article, page, anchor=anchor or f"comment-{comment.pk}")
