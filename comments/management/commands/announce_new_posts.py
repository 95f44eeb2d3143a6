from django.core.management.base import BaseCommand

from comments.tasks import announce_new_posts


class Command(BaseCommand):
    help = (
        "Email site subscribers the articles published since they subscribed, each once. "
        "The database task worker does this at each scheduled time; run this from cron with the immediate backend."
    )

    def handle(self, *args, **options):
        sent = announce_new_posts.call()
        self.stdout.write(f"Sent {sent} new-article emails.")
