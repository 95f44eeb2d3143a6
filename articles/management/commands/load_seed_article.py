from django.core.management.base import BaseCommand

from articles.services import seed_article_load


class Command(BaseCommand):
    help = "Publish the seed article “hemifacial spasm” if it is not there yet. Safe to run again."

    def handle(self, *args, **options):
        article, created = seed_article_load()
        verb = "Published" if created else "Already there:"
        self.stdout.write(f"{verb} “{article.title}” at {article.get_absolute_url()}")
