"""In the background: the accounts' emails, and copying a member's picture from their sign-in provider."""

import datetime
import hashlib
import ipaddress
import logging
import socket
from urllib.parse import urlsplit, urlunsplit

from allauth.socialaccount.adapter import get_adapter
from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from requests.adapters import HTTPAdapter

from config.email import SiteEmail
from config.tasks import retried_task

from .models import Avatar, User, WaitingEmail

logger = logging.getLogger(__name__)


def queue_rendered_email(message) -> None:
    """Queue an email already rendered (allauth's): the worker sends it, and again later if the server fails. What it
    says waits in WaitingEmail, not in the queue's arguments."""
    html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
    with transaction.atomic():
        waiting = WaitingEmail.objects.create(
            subject=message.subject,
            body=message.body,
            html=html,
            from_email=message.from_email,
            to=list(message.to),
            headers=dict(message.extra_headers),
        )
        send_rendered_email.enqueue(email_id=waiting.pk)


# An email still waiting after every attempt (a day and more: RETRY_DELAYS) was given up: its words go.
WAITING_EMAILS_KEPT = datetime.timedelta(days=2)


def forget_given_up_emails() -> int:
    """Delete the account emails still waiting after every attempt was made (queue_lost_retries, from cron)."""
    return WaitingEmail.objects.filter(queued_at__lt=timezone.now() - WAITING_EMAILS_KEPT).delete()[0]


@retried_task
def send_rendered_email(*, email_id: int) -> None:
    """Send a waiting account email, then forget it; one whose account was deleted meanwhile is gone already."""
    waiting = WaitingEmail.objects.filter(pk=email_id).first()
    if waiting is None:
        return
    message = SiteEmail(
        subject=waiting.subject,
        body=waiting.body,
        from_email=waiting.from_email,
        to=waiting.to,
        headers=waiting.headers,
    )
    if waiting.html:
        message.attach_alternative(waiting.html, "text/html")
    message.send()
    waiting.delete()


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


# Ranges that carry another address inside them: through them "public" IPv6 reaches a private IPv4.
TUNNELLING_NETWORKS = [
    ipaddress.ip_network("64:ff9b::/96"),  # NAT64
    ipaddress.ip_network("64:ff9b:1::/48"),  # local-use NAT64
    ipaddress.ip_network("::ffff:0:0/96"),  # IPv4-mapped
    ipaddress.ip_network("2002::/16"),  # 6to4
    ipaddress.ip_network("2001::/32"),  # Teredo
]


def is_public_address(address: str) -> bool:
    """Whether an address is on the public internet: not private, loopback, link-local, nor tunnelled to them."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and any(ip in network for network in TUNNELLING_NETWORKS):
        return False
    return ip.is_global


def fetch_address(url: str) -> str | None:
    """The one address to fetch the picture from, checked: resolved once here, and the connection made to it,
    so that the name cannot point elsewhere between the check and the fetch (DNS rebinding). None: refused."""
    private_allowed = settings.AVATAR_FETCH_PRIVATE_ADDRESSES
    try:
        parts = urlsplit(url)  # ValueError for a bracketed host that is no IPv6 address
        if parts.scheme not in (("http", "https") if private_allowed else ("https",)) or not parts.hostname:
            return None
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = [info[4][0] for info in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)]
    except (OSError, ValueError):
        return None
    if not addresses or not (private_allowed or all(is_public_address(address) for address in addresses)):
        return None
    return addresses[0]


class PinnedAddressAdapter(HTTPAdapter):
    """Connects to an address already checked, while TLS still checks the certificate of the host name."""

    def __init__(self, hostname: str, **kwargs) -> None:
        self.hostname = hostname
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["server_hostname"] = self.hostname
        kwargs["assert_hostname"] = self.hostname
        super().init_poolmanager(*args, **kwargs)


def _pinned(url: str, address: str) -> str:
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    return urlunsplit(parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host))


@task
def avatar_fetch(*, user_id: int, url: str) -> bool:
    """Copy a member's avatar from their provider; a failure keeps the drawn avatar."""
    address = fetch_address(url)
    if address is None:
        logger.warning("Refused to fetch the avatar of user %s from %s: not a public HTTPS address", user_id, url)
        return False
    hostname = urlsplit(url).hostname
    try:
        with get_adapter().get_requests_session() as session:
            session.mount(f"{urlsplit(url).scheme}://", PinnedAddressAdapter(hostname))
            response = session.get(
                _pinned(url, address),
                headers={"Host": urlsplit(url).netloc},
                timeout=5,
                stream=True,
                allow_redirects=False,
            )
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
