from django.core.management.base import BaseCommand

from comments.subscriptions.notices import announce_new_posts


class Command(BaseCommand):
    help = (
        "Queue the new-article email for each site subscriber who has not had it yet, including those whose "
        "send failed. The database task worker does this at each scheduled time; run this from cron too."
    )

    def handle(self, *args, **options):
        queued = announce_new_posts.call()
        self.stdout.write(f"Queued {queued} new-article emails.")
