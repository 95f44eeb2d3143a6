import secrets

from allauth.account.models import EmailAddress
from allauth.socialaccount import providers
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.db import transaction

from articles.models import Like
from comments.models import Comment, Subscription
from comments.services import comments_anonymise

from .models import Avatar


def first_admin_create(*, username: str = "admin") -> tuple[str, str] | None:
    """Create a superuser with a random password if there is none; returns its login once."""
    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(18)
    User.objects.create_superuser(username=username, email="", password=password)
    return username, password


def account_export(*, user) -> dict:
    """Everything the site keeps about a reader, as JSON-ready data."""
    return {
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "website": user.website,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "social_connections": [
            {
                "provider": providers.registry.get_class(account.provider).name,
                "uid": account.uid,
                "date_joined": account.date_joined.isoformat(),
                "last_login": account.last_login.isoformat(),
                "profile": account.extra_data,
            }
            for account in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "likes": [
            {
                "article": like.article.title,
                "url": like.article.get_absolute_url(),
                "liked": like.created_at.isoformat(),
            }
            for like in Like.objects.filter(user=user).select_related("article").order_by("created_at")
        ],
        "subscriptions": [
            {"email": subscription.email, "about": str(subscription.subject), "status": subscription.status}
            for subscription in Subscription.objects.belonging_to(user).select_related("article").order_by("pk")
        ],
        "avatar": (
            {
                "copied_from": user.avatar.source_url,
                "type": user.avatar.content_type,
                "fetched": user.avatar.fetched_at.isoformat(),
            }
            if Avatar.objects.filter(user=user).exists()
            else None
        ),
        "comments": [
            {
                "article": comment.article.title,
                "url": comment.article.get_absolute_url(),
                "status": comment.status,
                "submitted": comment.created_at.isoformat(),
                "comment": comment.body,
                "ip_address": comment.ip_address,
                "user_agent": comment.user_agent,
            }
            for comment in Comment.objects.filter(user=user).select_related("article").order_by("created_at")
        ],
    }


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete a reader's account; their published comments stay, anonymised, including those they
    wrote as a guest with one of the account's verified addresses, whose subscriptions go too."""
    for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True):
        comments_anonymise(email=email)
    comments_anonymise(user=user)
    user.delete()
