from allauth.account import views as account_views
from allauth.socialaccount import views as socialaccount_views
from django.db import transaction
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("avatars/<int:user_id>/<str:version>.img", views.avatar, name="avatar"),
    path("connect/", views.connect, name="connect"),
    path("profile/", views.profile, name="profile"),
    path("your-data/", views.privacy, name="privacy"),
    path("your-data/export/", views.export, name="export"),
    # allauth's pages that make an account or add an address, and queue the email confirming it: in one transaction,
    # so that neither is kept without its email (the queue is in the database). Before allauth's own routes to them.
    path("signup/", transaction.atomic(account_views.signup)),
    path("email/", transaction.atomic(account_views.email)),
    path("3rdparty/signup/", transaction.atomic(socialaccount_views.signup)),
]
