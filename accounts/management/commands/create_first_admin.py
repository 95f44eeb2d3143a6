import os
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from accounts.services import first_admin_create


class Command(BaseCommand):
    help = (
        "Create a first administrator with a random password if the site has none, and print the login once. "
        "Their email address (held comments are sent there) comes from ADMIN_EMAIL, or is asked for with "
        "--ask-email when a terminal is attached."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ask-email", action="store_true", help="Ask for the address when ADMIN_EMAIL is not set (make run)."
        )
        parser.add_argument(
            "--address", default="127.0.0.1:8000", help="Where the site is served, for the sign-in link."
        )

    def handle(self, *args, ask_email=False, address="127.0.0.1:8000", **options):
        email = self._email(ask=ask_email)
        login = first_admin_create(email=email)
        if login is None:
            self.stdout.write("An administrator already exists; no account created.")
            return
        username, password = login
        self.stdout.write(
            self.style.SUCCESS(
                "Created the first administrator. This password is shown once, now:\n"
                f"  user name: {username}\n  password:  {password}\n"
                f"  sign in at http://{address}/admin/"
            )
        )
        if not email:
            self.stdout.write(
                self.style.WARNING(
                    "  The administrator has no email address, so held comments are emailed to nobody: add one under "
                    "Users in the admin, or create the administrator with ADMIN_EMAIL=you@example.org."
                )
            )

    def _email(self, *, ask: bool) -> str:
        email = os.environ.get("ADMIN_EMAIL", "").strip()
        if email:
            self._check(email)
            return email
        if not ask or not sys.stdin.isatty() or self._admin_exists():
            return ""
        while True:
            email = input("Email address of the first administrator (held comments are sent there; Enter to skip): ")
            email = email.strip()
            if not email:
                return ""
            try:
                self._check(email)
            except CommandError as refused:
                self.stderr.write(str(refused))
            else:
                return email

    @staticmethod
    def _check(email: str) -> None:
        try:
            validate_email(email)
        except ValidationError as refused:
            raise CommandError(f"{email!r} is not an email address.") from refused

    @staticmethod
    def _admin_exists() -> bool:
        return get_user_model().objects.filter(is_superuser=True).exists()
