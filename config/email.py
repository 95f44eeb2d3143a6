"""The site's emails as mail servers and mailbox providers read them: from the site's own domain,
their headers written out whole."""

import email.policy
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import EmailMultiAlternatives


def current_site() -> Site:
    """The site as it is now: a worker runs for days, and its name or domain may change in the admin meanwhile."""
    Site.objects.clear_cache()
    return Site.objects.get_current()


def absolute_url(path: str) -> str:
    """The full address of a path on this site, for what is read away from it: emails, downloaded data (https unless
    in development)."""
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{current_site().domain}{path}"


def _mail_domain(site: Site) -> str:
    return site.domain.split(":")[0]


def site_sender(site: Site | None = None) -> str:
    """DEFAULT_FROM_EMAIL when the site owner set it; otherwise the site's name at noreply@ its own domain."""
    if settings.DEFAULT_FROM_EMAIL_SET:
        return settings.DEFAULT_FROM_EMAIL
    site = site or current_site()
    return formataddr((site.name, f"noreply@{_mail_domain(site)}"))


def site_message_id(site: Site | None = None) -> str:
    """A Message-ID under the site's domain (not the sending host's name, often "localhost" in a container)."""
    return make_msgid(domain=_mail_domain(site or current_site()))


class SiteEmail(EmailMultiAlternatives):
    """An email whose long headers are written out whole.

    A header longer than the 78 columns of the SMTP policy, such as List-Unsubscribe with its
    signed address, is otherwise folded into RFC 2047 encoded-words, in which mail providers do
    not find the address. RFC 5322 allows 998 characters on a line."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))
