from django.core.management.base import BaseCommand

from accounts.services import first_admin_create


class Command(BaseCommand):
    help = "Create a first administrator with a random password if the site has none, and print the login once."

    def handle(self, *args, **options):
        login = first_admin_create()
        if login is None:
            self.stdout.write("An administrator already exists; no account created.")
            return
        username, password = login
        self.stdout.write(
            self.style.SUCCESS(
                "Created the first administrator. This password is shown once, now:\n"
                f"  user name: {username}\n  password:  {password}\n"
                "  sign in at http://127.0.0.1:8000/admin/"
            )
        )
