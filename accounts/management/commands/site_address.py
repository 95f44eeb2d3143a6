from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand

# Addresses only this machine reaches: a domain like these was set by development, never by an owner.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def is_development_domain(domain: str) -> bool:
    host = domain.split("]")[0] + "]" if domain.startswith("[") else domain.split(":")[0]
    return host in LOOPBACK_HOSTS


class Command(BaseCommand):
    help = (
        "In development: the site's domain (used in emails, feeds, pages' canonical links and 'View on site') "
        "becomes the address the site is served at, unless an owner has set a real one."
    )

    def add_arguments(self, parser):
        parser.add_argument("address", help="host:port, as `make run PORT=…` serves it")

    def handle(self, *args, address: str, **options):
        site = Site.objects.get_current()
        if site.domain != address and is_development_domain(site.domain):
            site.domain = address
            site.save(update_fields=["domain"])
            Site.objects.clear_cache()
        self.stdout.write(f"Links in emails and feeds point to http://{site.domain}/")
