import secrets

from django.contrib.auth import get_user_model


def first_admin_create(*, username: str = "admin") -> tuple[str, str] | None:
    """Create a superuser with a random password if there is none; returns its login once."""
    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(18)
    User.objects.create_superuser(username=username, email="", password=password)
    return username, password
