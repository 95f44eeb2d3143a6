from django.urls import path

from config.pagecache import shared_page

from . import feeds, views
from .converters import PERMALINK

PAGES = ("page",)  # the lists of articles are paginated

app_name = "articles"
urlpatterns = [
    path("", shared_page(views.FrontPageView.as_view(), query=PAGES), name="front"),
    path("feed/", shared_page(feeds.LatestArticlesFeed.as_view()), name="feed"),
    path("feed/atom/", shared_page(feeds.LatestArticlesAtomFeed.as_view()), name="feed-atom"),
    # Not a shared page: each query is its own, and most are asked once.
    path("search/", views.SearchView.as_view(), name="search"),
    path("category/<slug:slug>/", shared_page(views.CategoryArchive.as_view(), query=PAGES), name="category"),
    path("category/<slug:slug>/feed/", shared_page(feeds.CategoryFeed.as_view()), name="category-feed"),
    path("category/<slug:slug>/feed/atom/", shared_page(feeds.CategoryAtomFeed.as_view()), name="category-feed-atom"),
    path("tag/<slug:slug>/", shared_page(views.TagArchive.as_view(), query=PAGES), name="tag"),
    path("tag/<slug:slug>/feed/", shared_page(feeds.TagFeed.as_view()), name="tag-feed"),
    path("tag/<slug:slug>/feed/atom/", shared_page(feeds.TagAtomFeed.as_view()), name="tag-feed-atom"),
    path("author/<slug:slug>/", shared_page(views.AuthorArchive.as_view(), query=PAGES), name="author"),
    path("author/<slug:slug>/feed/", shared_page(feeds.AuthorFeed.as_view()), name="author-feed"),
    path("author/<slug:slug>/feed/atom/", shared_page(feeds.AuthorAtomFeed.as_view()), name="author-feed-atom"),
    path("<yyyy:year>/", shared_page(views.YearArchive.as_view(), query=PAGES), name="year"),
    path("<yyyy:year>/<nn:month>/", shared_page(views.MonthArchive.as_view(), query=PAGES), name="month"),
    path("<yyyy:year>/<nn:month>/<nn:day>/", shared_page(views.DayArchive.as_view(), query=PAGES), name="day"),
    path(PERMALINK, shared_page(views.ArticleDetailView.as_view(), query=("cpage", "replytocom")), name="detail"),
    # A WordPress address whose slug has accented letters (/2020/01/01/été/): the article's slug here is ASCII.
    path("<yyyy:year>/<nn:month>/<nn:day>/<str:slug>/", views.wordpress_permalink, name="wordpress-permalink"),
    # WordPress's addresses of a list's later pages, of an article's comments' pages and of a search: on to ours.
    path("page/<int:number>/", views.wordpress_list_page, {"listing": "articles:front"}),
    *(
        path(f"{prefix}page/<int:number>/", views.wordpress_list_page, {"listing": f"articles:{listing}"})
        for prefix, listing in (
            ("category/<slug:slug>/", "category"),
            ("tag/<slug:slug>/", "tag"),
            ("author/<slug:slug>/", "author"),
            ("<yyyy:year>/", "year"),
            ("<yyyy:year>/<nn:month>/", "month"),
            ("<yyyy:year>/<nn:month>/<nn:day>/", "day"),
        )
    ),
    path(f"{PERMALINK}comment-page-<int:number>/", views.wordpress_comment_page),
    path("search/<str:words>/", views.wordpress_search),
    path("search/<str:words>/page/<int:number>/", views.wordpress_search),
    # Last: the site's own pages take what no other address is (Page.clean refuses a slug the site uses).
    path("<slug:slug>/", shared_page(views.PageView.as_view()), name="page"),
]
