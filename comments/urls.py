from django.urls import path

from articles.converters import PERMALINK
from config.pagecache import shared_page

from . import feeds, guest_data_views, moderation_views, views
from .subscriptions import views as subscription_views

app_name = "comments"
urlpatterns = [
    path("comments/post/<int:article_id>/", views.post_comment, name="post"),
    path("comments/sign-in/<int:article_id>/", views.sign_in_to_comment, name="sign-in"),
    path("comments/sign-out/<int:article_id>/", views.sign_out_from_comment, name="sign-out"),
    path("comments/<int:pk>/", views.comment_permalink, name="permalink"),
    path("comments/<int:pk>/report/", views.report_comment, name="report"),
    path("comments/<int:pk>/edit/", views.edit_comment, name="edit"),
    path("comments/<int:pk>/delete/", views.delete_comment, name="delete"),
    path("comments/form-started/", views.form_started, name="form-started"),
    path("comments/your-data/", guest_data_views.guest_data_ask, name="guest-data-ask"),
    path("comments/your-data/<str:token>/", guest_data_views.guest_data, name="guest-data"),
    path("comments/feed/", shared_page(feeds.SiteCommentsFeed.as_view()), name="feed"),
    path("comments/feed/atom/", shared_page(feeds.SiteCommentsAtomFeed.as_view()), name="feed-atom"),
    path(f"{PERMALINK}feed/", shared_page(feeds.ArticleCommentsFeed.as_view()), name="article-feed"),
    path(f"{PERMALINK}feed/atom/", shared_page(feeds.ArticleCommentsAtomFeed.as_view()), name="article-feed-atom"),
    path(f"{PERMALINK}like/", views.like, name="like"),
    path(f"{PERMALINK}unlike/", views.unlike, name="unlike"),
    path(
        "subscriptions/confirm/<str:token>/",
        subscription_views.subscription_confirm,
        name="subscription-confirm",
    ),
    path("subscriptions/unsubscribe/<str:token>/", subscription_views.unsubscribe, name="unsubscribe"),
    # The reader's own subscriptions: an account page, at an address beside allauth's and accounts' pages,
    # served from here because subscriptions are this app's (accounts knows nothing of comments).
    path("accounts/subscriptions/", subscription_views.your_subscriptions, name="subscriptions"),
    path("accounts/subscriptions/stop/", subscription_views.subscription_stop, name="subscription-stop"),
    path("comments/moderate/done/", moderation_views.moderated, name="moderated"),
    path("comments/moderate/<str:token>/", moderation_views.moderate, name="moderate"),
]
