from django.urls import path, register_converter

from . import feeds, views


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return f"{int(value):02d}"


register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigits, "nn")

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
    path("<yyyy:year>/<nn:month>/<nn:day>/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("<yyyy:year>/<nn:month>/<nn:day>/<slug:slug>/like/", views.like, name="like"),
    path("<yyyy:year>/<nn:month>/<nn:day>/<slug:slug>/unlike/", views.unlike, name="unlike"),
]
