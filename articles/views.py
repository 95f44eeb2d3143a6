import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import DayArchiveView, DetailView, ListView, MonthArchiveView, YearArchiveView

from comments.avatars import GRAVATAR_ORIGIN, avatar_url
from comments.listing import discussion_context
from comments.models import DiscussionSettings
from config import csp

from .models import Article, Category, Like, Tag
from .services import article_like, article_unlike

LIKERS_SHOWN = 10
PENDING_LIKE_SESSION_KEY = "pending_like"
PENDING_LIKE_MAX_AGE = 15 * 60  # seconds: enough to sign in, even through a provider


class PublishedArticlesMixin:
    """Readers see published articles only."""

    def get_queryset(self):
        return Article.objects.published().select_related("author").prefetch_related("categories")


class StaffPreviewMixin(PublishedArticlesMixin):
    """Staff also see drafts and scheduled articles they may edit: a preview, with the admin's rule."""

    def get_queryset(self):
        user = self.request.user
        if not (user.is_staff and user.has_perm("articles.view_article")):
            return super().get_queryset()
        queryset = Article.objects.select_related("author").prefetch_related("categories")
        if user.has_perm("articles.change_others_article"):
            return queryset
        return queryset.filter(Q(pk__in=Article.objects.published()) | Q(author=user))


class FrontPageView(PublishedArticlesMixin, ListView):
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE
    template_name = "articles/article_list.html"


class ArticleDetailView(StaffPreviewMixin, DetailView):
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            # Slugs are unique site-wide, so a wrong date in the address still
            # finds the article: send the reader to its real permalink.
            return redirect(canonical, permanent=self.object.is_public)
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(discussion_context(self.request, self.object, form=kwargs.get("comment_form")))
        if self.object.is_public:
            context["likes"] = likes_for(
                self.request,
                self.object,
                use_gravatar=context["discussion"].use_gravatar,
                finish_like=pending_like_taken(self.request, self.object),
            )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["discussion"].use_gravatar:
            # The site owner chose Gravatar: let the page load its pictures.
            csp.allow(response, "img-src", GRAVATAR_ORIGIN)
        return response

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset().prefetch_related("tags"), slug=self.kwargs["slug"])


class ArchiveMixin(PublishedArticlesMixin):
    allow_empty = False
    context_object_name = "articles"
    date_field = "published_at"
    make_object_list = True
    month_format = "%m"
    paginate_by = settings.ARTICLES_PER_PAGE
    template_name = "articles/article_archive.html"

    date_shown = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = context.get("day") or context.get("month") or context.get("year")
        context["archive_title"] = gettext("Articles of %(period)s") % {"period": format_date(period, self.date_shown)}
        return context


class YearArchive(ArchiveMixin, YearArchiveView):
    date_shown = "Y"


class MonthArchive(ArchiveMixin, MonthArchiveView):
    date_shown = "F Y"


class DayArchive(ArchiveMixin, DayArchiveView):
    date_shown = "F j, Y"


class TaxonomyArchive(PublishedArticlesMixin, ListView):
    """Published articles in one category or with one tag."""

    context_object_name = "articles"
    label = ""
    model = None
    paginate_by = settings.ARTICLES_PER_PAGE
    relation = ""
    template_name = "articles/article_archive.html"

    def get_queryset(self):
        self.term = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return super().get_queryset().filter(**{self.relation: self.term})

    def get_context_data(self, **kwargs):
        archive_title = self.label % {"name": self.term.name}
        return super().get_context_data(term=self.term, archive_title=archive_title, **kwargs)


class CategoryArchive(TaxonomyArchive):
    label = _("Category: %(name)s")
    model = Category
    relation = "categories"


class TagArchive(TaxonomyArchive):
    label = _("Tag: %(name)s")
    model = Tag
    relation = "tags"


@dataclass
class Liker:
    """One of the first readers who liked the article, as the block shows them."""

    name: str
    website: str
    avatar_url: str


@dataclass
class Likes:
    """The likes block under an article: the button, the line and the first likers' avatars."""

    article: Article
    count: int
    liked: bool
    likers: list[Liker]
    # The reader clicked Like as a guest and has just signed in: finish it.
    finish_like: bool = False

    @property
    def summary(self) -> str:
        """WordPress's line: nothing to count yet, one blogger, or N bloggers."""
        if not self.count:
            return gettext("Be the first to like this.")
        return ngettext("One blogger likes this:", "%(count)d bloggers like this:", self.count) % {"count": self.count}

    @property
    def more(self) -> int:
        """Likers beyond the avatars shown."""
        return self.count - len(self.likers)

    @property
    def action_url(self) -> str:
        """Where the button posts: Like, or its undo once liked. Both sit under the article's permalink."""
        return reverse("articles:unlike" if self.liked else "articles:like", kwargs=self.article.permalink_kwargs)


def likes_for(request: HttpRequest, article: Article, *, use_gravatar: bool, finish_like: bool = False) -> Likes:
    """The likes block in two queries, however many readers liked the article."""
    likes = Like.objects.filter(article=article)
    # An anonymous reader's pk is None: their share of the count is 0.
    totals = likes.aggregate(count=Count("pk"), mine=Count("pk", filter=Q(user=request.user.pk)))
    first = likes.select_related("user").order_by("created_at", "pk")[:LIKERS_SHOWN] if totals["count"] else []
    liked = bool(totals["mine"])
    return Likes(
        article=article,
        count=totals["count"],
        liked=liked,
        likers=[
            Liker(
                name=like.user.public_name,
                website=like.user.website,
                avatar_url=avatar_url(like.user.email, use_gravatar=use_gravatar, member=like.user),
            )
            for like in first
        ],
        finish_like=finish_like and request.user.is_authenticated and not liked,
    )


def pending_like_taken(request: HttpRequest, article: Article) -> bool:
    """Whether this session's reader clicked Like on this article as a guest, minutes ago; asks only once."""
    pending = request.session.get(PENDING_LIKE_SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("article") != article.pk:
        return False
    del request.session[PENDING_LIKE_SESSION_KEY]
    # On a shared computer a guest's click must not be finished for whoever signs in hours later.
    return time.time() - pending.get("at", 0) <= PENDING_LIKE_MAX_AGE


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
        request.session[PENDING_LIKE_SESSION_KEY] = {"article": article.pk, "at": time.time()}
        return redirect_to_login(f"{article.get_absolute_url()}#likes", login_url=reverse("account_login"))
    article_like(article=article, user=request.user)
    request.session.pop(PENDING_LIKE_SESSION_KEY, None)
    return _after_liking(request, article)


@require_POST
def unlike(request, year: str, month: str, day: str, slug: str):
    """The Liked button: take the like back."""
    article = _published_article(year, month, day, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(f"{article.get_absolute_url()}#likes", login_url=reverse("account_login"))
    article_unlike(article=article, user=request.user)
    request.session.pop(PENDING_LIKE_SESSION_KEY, None)
    return _after_liking(request, article)
