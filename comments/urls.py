from django.urls import path

from . import moderation_views, views

app_name = "comments"
urlpatterns = [
    path("comments/post/<int:article_id>/", views.post_comment, name="post"),
    path("comments/sign-in/<int:article_id>/", views.sign_in_to_comment, name="sign-in"),
    path("comments/<int:pk>/", views.comment_permalink, name="permalink"),
    path("avatars/<str:token>.svg", views.avatar, name="avatar"),
    path("comments/moderate/done/", moderation_views.moderated, name="moderated"),
    path("comments/moderate/<str:token>/", moderation_views.moderate, name="moderate"),
]
