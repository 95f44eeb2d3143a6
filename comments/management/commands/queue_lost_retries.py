from django.core.management.base import BaseCommand

from accounts.tasks import forget_given_up_emails
from config.tasks import queue_lost_retries


class Command(BaseCommand):
    help = (
        "Queue the next attempt of every failed email (or task queueing emails) whose retry was never queued (the "
        "database failed too), and again what a stopped worker left running. "
        "Run it from cron beside the worker, every ten minutes."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Queued {queue_lost_retries()} tasks again.")
        if forgotten := forget_given_up_emails():
            self.stdout.write(f"Forgot {forgotten} account emails given up.")
