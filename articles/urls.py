from django.urls import path

from . import feeds, views
from .converters import PERMALINK

app_name = "articles"
urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("category/<slug:slug>/", views.CategoryArchive.as_view(), name="category"),
    path("tag/<slug:slug>/", views.TagArchive.as_view(), name="tag"),
    path("<yyyy:year>/", views.YearArchive.as_view(), name="year"),
    path("<yyyy:year>/<nn:month>/", views.MonthArchive.as_view(), name="month"),
    path("<yyyy:year>/<nn:month>/<nn:day>/", views.DayArchive.as_view(), name="day"),
    path(PERMALINK, views.ArticleDetailView.as_view(), name="detail"),
]
