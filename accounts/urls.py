from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("avatars/<int:user_id>/<str:version>.img", views.avatar, name="avatar"),
    path("connect/", views.connect, name="connect"),
    path("profile/", views.profile, name="profile"),
    path("your-data/", views.privacy, name="privacy"),
    path("your-data/export/", views.export, name="export"),
]
