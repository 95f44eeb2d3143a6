"""Copying a member's picture from their sign-in provider, in the background."""

import hashlib
import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from allauth.socialaccount.adapter import get_adapter
from django.conf import settings
from django.db import transaction
from django.tasks import task

from .models import Avatar, User

logger = logging.getLogger(__name__)

MAX_AVATAR_BYTES = 256 * 1024
# What a picture's first bytes must be; SVG is refused (it can carry script).
IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


def image_type(data: bytes) -> str | None:
    """The content type of a PNG, JPEG, GIF or WebP image, from its bytes; None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for signature, kind in IMAGE_SIGNATURES.items() if data.startswith(signature)), None)


def fetch_is_allowed(url: str) -> bool:
    """Only public HTTPS addresses: the worker sits inside the network, and a provider's data is not trusted."""
    parts = urlsplit(url)
    if settings.AVATAR_FETCH_PRIVATE_ADDRESSES:
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    if parts.scheme != "https" or not parts.hostname:
        return False
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(address.split("%")[0]).is_global for address in addresses)


@task
def avatar_fetch(*, user_id: int, url: str) -> bool:
    """Copy a member's avatar from their provider; a failure keeps the drawn avatar."""
    if not fetch_is_allowed(url):
        logger.warning("Refused to fetch the avatar of user %s from %s: not a public HTTPS address", user_id, url)
        return False
    try:
        with get_adapter().get_requests_session() as session:
            response = session.get(url, timeout=5, stream=True, allow_redirects=False)
            response.raise_for_status()
            if response.status_code != 200:
                raise ValueError(f"answered {response.status_code}")
            data = response.raw.read(MAX_AVATAR_BYTES + 1, decode_content=True)
    except Exception:
        logger.warning("Could not fetch the avatar of user %s from %s", user_id, url, exc_info=True)
        return False
    kind = image_type(data)
    if len(data) > MAX_AVATAR_BYTES or kind is None:
        logger.warning("Refused the avatar of user %s from %s: not a small PNG, JPEG, GIF or WebP", user_id, url)
        return False
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            return False
        Avatar.objects.update_or_create(user=user, defaults={"image": data, "content_type": kind, "source_url": url})
        user.avatar_version = hashlib.sha256(data).hexdigest()[:16]
        user.save(update_fields=["avatar_version"])
    return True
