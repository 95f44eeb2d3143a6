from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from accounts import personal_data
        from config import pagecache, redirects

        from . import personal_data as articles_data
        from . import signals  # noqa: F401
        from .models import Article, readers_find_path

        personal_data.register(
            self.label,
            export=articles_data.export,
            erase=articles_data.erase,
            kept_because=articles_data.kept_because,
        )
        pagecache.register_next_change(Article.objects.next_publication)
        pagecache.register_next_change(Article.objects.next_review_lapse)
        # An article put off to a later date is not found at its old addresses either until then.
        redirects.register_shown_check(readers_find_path)
