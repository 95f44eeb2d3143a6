from django.urls import path

from . import moderation_views, subscription_views, views

app_name = "comments"
urlpatterns = [
    path("comments/post/<int:article_id>/", views.post_comment, name="post"),
    path("comments/sign-in/<int:article_id>/", views.sign_in_to_comment, name="sign-in"),
    path("comments/<int:pk>/", views.comment_permalink, name="permalink"),
    path("avatars/<str:token>.svg", views.avatar, name="avatar"),
    path(
        "subscriptions/confirm/<str:token>/",
        subscription_views.subscription_confirm,
        name="subscription-confirm",
    ),
    path("subscriptions/unsubscribe/<str:token>/", subscription_views.unsubscribe, name="unsubscribe"),
    path("comments/moderate/done/", moderation_views.moderated, name="moderated"),
    path("comments/moderate/<str:token>/", moderation_views.moderate, name="moderate"),
]
