from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db.models import Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.encoding import escape_uri_path
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DayArchiveView, DetailView, ListView, MonthArchiveView, YearArchiveView

from config.requests import row_id

from . import search
from .forms import SearchForm
from .models import Article, Category, Page, Tag, authors_with_archives, may_edit, may_edit_pages


def by_slug(request, queryset, slug: str):
    """The object at `slug`; asked with capitals (/About/, a link typed by hand), the one at the lowercase slug, as
    slugs are (LowercaseSlugField): the view then leads to its address. 404 when neither is there, or when a
    redirect says where that address goes (an editor's, or one of migration 0017: config.redirects answers it)."""
    try:
        return get_object_or_404(queryset, slug=slug)
    except Http404:
        if slug == slug.lower() or _redirected(request):
            raise
        return get_object_or_404(queryset, slug=slug.lower())


def _redirected(request) -> bool:
    """Whether a redirect says where the address asked goes (an editor's, an import's): config.redirects answers it
    once the view says "not found"."""
    return Redirect.objects.filter(site_id=settings.SITE_ID, old_path=escape_uri_path(request.path)).exists()


def elsewhere(request, found, *, permanent: bool):
    """On to the address of what was found, keeping the query (?cpage=2, a newsletter's ?utm_source=…), when it was
    asked by another (a wrong date, capitals in its slug); None when asked by its own."""
    address = found.get_absolute_url()
    if request.path == address:
        return None
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{address}?{query}" if query else address, permanent=permanent)


class PublishedArticlesMixin:
    """Readers see published articles only."""

    def get_queryset(self):
        return Article.objects.published().select_related("author", "featured_image").prefetch_related("categories")


class StaffPreviewMixin(PublishedArticlesMixin):
    """Staff also see drafts and scheduled articles they may edit: a preview, with the admin's rule."""

    def get_queryset(self):
        user = self.request.user
        if not (user.is_staff and user.has_perm("articles.view_article")):
            return super().get_queryset()
        queryset = Article.objects.select_related("author", "featured_image").prefetch_related("categories")
        if user.has_perm("articles.change_others_article"):
            return queryset
        return queryset.filter(Q(pk__in=Article.objects.published()) | Q(author=user))


# WordPress's plain feed addresses (/?feed=rss2), as feed readers kept them.
WORDPRESS_FEEDS = {
    "rss2": "articles:feed",
    "rss": "articles:feed",
    "rdf": "articles:feed",
    "atom": "articles:feed-atom",
    # The comments' feeds (the comments app's addresses, by name).
    "comments-rss2": "comments:feed",
    "comments-atom": "comments:feed-atom",
}


def with_page(query: QueryDict, address: str, number: int, *, name: str = "page", dropped: tuple[str, ...] = ()) -> str:
    """`address` with `query` (a request's), showing page `number` of its list: ?page=N, or for page 1 none (the
    list's own address, the one search engines should know)."""
    query = query.copy()
    for key in (name, *dropped):
        query.pop(key, None)
    if number > 1:
        query[name] = str(number)
    return f"{address}?{query.urlencode()}" if query else address


class PagedListMixin:
    """A list in pages: ?page=1 is the list's own address, where it leads on (one address for each page)."""

    def get(self, request, *args, **kwargs):
        if request.GET.get("page") == "1":
            return redirect(with_page(request.GET, request.path, 1), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # Where "Newer articles" leads from page 2: the list's own address.
        return super().get_context_data(first_page=with_page(self.request.GET, self.request.path, 1), **kwargs)


def wordpress_list_page(request, number: int, *, listing: str, **address):
    """WordPress's address of a page of a list (/page/2/, /category/x/page/2/, /2026/11/page/2/), kept by search
    engines and links: on, for good, to the same page here (?page=2)."""
    return redirect(with_page(request.GET, reverse(listing, kwargs=address), number), permanent=True)


def wordpress_comment_page(request, number: int, **address):
    """WordPress's address of a page of an article's comments (…/slug/comment-page-2/): on to ?cpage=2, at the
    comments; page 1 too (the article's address may show the last page first: the comments app's setting)."""
    query = request.GET.copy()
    query.pop("cpage", None)
    if number:  # page 0 is none, as ?cpage=0 is (ArticleDetailView): the page the article's address shows
        query["cpage"] = str(number)
    article = reverse("articles:detail", kwargs=address)
    return redirect(f"{article}?{query.urlencode()}#comments" if query else f"{article}#comments", permanent=True)


def wordpress_search(request, words: str, number: int = 1):
    """WordPress's address of a search (/search/spasm/, its page 2 at /search/spasm/page/2/): on to /search/?q=."""
    query = request.GET.copy()
    query["q"] = words.replace("+", " ")  # WordPress writes a space in a search's address as +
    return redirect(with_page(query, reverse("articles:search"), number), permanent=True)


class FrontPageView(PagedListMixin, PublishedArticlesMixin, ListView):
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE
    template_name = "articles/article_list.html"
    extra_context = {"stickies_lead": True}

    def get_queryset(self):
        # Sticky articles lead, newest first (WordPress's sticky posts); on the front page only, not in the archives.
        return super().get_queryset().order_by("-sticky", "-published_at", "-pk")

    def get(self, request, *args, **kwargs):
        if "s" in request.GET:  # WordPress's search address, in links and bookmarks people kept
            return redirect(f"{reverse('articles:search')}?{urlencode({'q': request.GET['s']})}", permanent=True)
        if feed := WORDPRESS_FEEDS.get(request.GET.get("feed", "")):  # its feed addresses, kept by feed readers
            return redirect(feed, permanent=True)
        if paged := row_id(request.GET.get("paged", "")):  # its page of the front page, with plain permalinks
            return redirect(with_page(request.GET, request.path, paged, dropped=("paged",)), permanent=True)
        return super().get(request, *args, **kwargs)


class SearchView(PagedListMixin, ListView):
    """/search/?q=: published articles with the reader's words, best first, each with the words in context."""

    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE
    template_name = "articles/search.html"

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return search.search_articles(self.query) if self.query else Article.objects.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for article in context["articles"]:
            snippet = getattr(article, "snippet", None)
            if snippet is None:  # databases without full-text search
                snippet = search.snippet_around(article.body_text, self.query)
            article.marked_snippet = search.marked_snippet(snippet)
        typed = self.request.GET.get("q", "")[: SearchForm.base_fields["q"].max_length]
        context.update(
            form=self.form,
            search_query=self.query or typed,
            page_query=urlencode({"q": self.query}) + "&" if self.query else "",
        )
        return context


class ArticleDetailView(StaffPreviewMixin, DetailView):
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        # Slugs are unique site-wide, so a wrong date in the address, or capitals in its slug, still
        # finds the article: send the reader to its real permalink.
        if moved := elsewhere(request, self.object, permanent=self.object.is_public):
            return moved
        # ?cpage=0, -1 or abc names no page. WordPress reads it as none ((int) "abc" is 0, comments_template): the
        # page the article's address shows. It leads to that address, one page for the shared cache to keep, where
        # the paginator took 0 and -1 for the last page and ?cpage=0, 00… were each kept as a page of their own.
        if "cpage" in request.GET and row_id(request.GET["cpage"]) is None:
            return redirect(with_page(request.GET, request.path, 1, name="cpage"), permanent=self.object.is_public)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_object(self, queryset=None):
        # One article: its categories and tags are read when shown, one query each as a prefetch would be, without
        # the prefetch's work; its references are shown twice (the list and the structured data), so read once.
        articles = (
            self.get_queryset().prefetch_related(None).select_related("reviewed_by").prefetch_related("references")
        )
        return by_slug(self.request, articles, self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.is_public:  # a preview leads nowhere
            context["previous_article"], context["next_article"] = self.object.neighbours()
        if may_edit(self.request.user, self.object):  # WordPress's Edit link, for those who may
            context["edit_url"] = reverse("admin:articles_article_change", args=[self.object.pk])
        return context


class ArchiveMixin(PagedListMixin, PublishedArticlesMixin):
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

    def get_dated_items(self):
        try:
            return super().get_dated_items()
        except OverflowError:  # December 31, 9999: Django's view reads up to the next day, which no date holds
            raise Http404(gettext("Date out of range")) from None


class TaxonomyArchive(PagedListMixin, PublishedArticlesMixin, ListView):
    """Published articles in one category or with one tag."""

    context_object_name = "articles"
    label = ""
    model = None
    paginate_by = settings.ARTICLES_PER_PAGE
    relation = ""
    template_name = "articles/article_archive.html"

    def get(self, request, *args, **kwargs):
        self.term = by_slug(request, self.model.objects.all(), self.kwargs["slug"])
        return elsewhere(request, self.term, permanent=True) or super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(**{self.relation: self.term})

    def get_context_data(self, **kwargs):
        archive_title = self.label % {"name": self.term.name}
        # Its feed, found by feed readers in the page's head (articles.feeds.TermFeed).
        archive_feed = reverse(f"articles:{self.model._meta.model_name}-feed", kwargs={"slug": self.term.slug})
        return super().get_context_data(
            term=self.term, archive_title=archive_title, archive_feed=archive_feed, **kwargs
        )


class AuthorArchive(PagedListMixin, PublishedArticlesMixin, ListView):
    """An author's published articles, at /author/<slug>/ (their name, never their login)."""

    context_object_name = "articles"
    label = _("Articles by %(name)s")
    paginate_by = settings.ARTICLES_PER_PAGE
    template_name = "articles/article_archive.html"

    def get_queryset(self):
        self.author = get_object_or_404(authors_with_archives(), author_slug=self.kwargs["slug"])
        return super().get_queryset().filter(author=self.author)

    def get_context_data(self, **kwargs):
        archive_title = self.label % {"name": self.author.byline_name}
        # Its feed, found by feed readers in the page's head (articles.feeds.AuthorFeed).
        archive_feed = reverse("articles:author-feed", kwargs={"slug": self.author.author_slug})
        return super().get_context_data(
            author=self.author, archive_title=archive_title, archive_feed=archive_feed, **kwargs
        )


class CategoryArchive(TaxonomyArchive):
    label = _("Category: %(name)s")
    model = Category
    relation = "categories"


class TagArchive(TaxonomyArchive):
    label = _("Tag: %(name)s")
    model = Tag
    relation = "tags"


def wordpress_permalink(request, year: str, month: str, day: str, slug: str):
    """A post's old address whose slug WordPress kept with accented letters (été): on to the article whose slug is
    its ASCII form (ete, as the WordPress import gives it), for good. (An ASCII slug never gets here: the article
    page's own address takes it first.) The import's redirect for it, when there is one, says better: the slug
    was taken (ete-2), or slugify drops its letters (Cyrillic, Greek, emoji) and leaves nothing to find."""
    if _redirected(request):
        raise Http404
    article = get_object_or_404(Article.objects.published(), slug=slugify(slug) or None)
    return redirect(article.get_absolute_url(), permanent=True)


class PageView(DetailView):
    """One of the site's own pages (About us, Privacy policy); staff who may change pages also see a draft."""

    context_object_name = "page"

    def get_queryset(self):
        if may_edit_pages(self.request.user):
            return Page.objects.all()
        return Page.objects.published()

    def get_object(self, queryset=None):
        return by_slug(self.request, self.get_queryset(), self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        moved = elsewhere(request, self.object, permanent=self.object.published)
        return moved or self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if may_edit_pages(self.request.user):
            context["edit_url"] = reverse("admin:articles_page_change", args=[self.object.pk])
        return context
