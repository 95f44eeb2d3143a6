from django.conf import settings
from django.core.management.base import BaseCommand

from comments.models import moderators


class Command(BaseCommand):
    help = "Say where the emails about held comments go: the moderators' addresses, and how mail leaves this site."

    def handle(self, *args, **options):
        addresses = sorted({user.email for user in moderators() if user.email})
        if addresses:
            self.stdout.write(f"Held comments are emailed to: {', '.join(addresses)}")
        else:
            self.stdout.write(
                self.style.WARNING(
                    "Held comments are emailed to nobody: no moderator or administrator has an email address "
                    "(add one under Users in the admin)."
                )
            )
        self.stdout.write(
            "  Authors who write in the admin are emailed too, about held comments under their own articles."
        )
        backend = settings.MAILERS["default"]["BACKEND"]
        if backend.endswith("console.EmailBackend"):
            self.stdout.write("  Emails are printed in this terminal, not sent (EMAIL_BACKEND, see the README).")
