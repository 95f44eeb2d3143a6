from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from accounts import personal_data

        from . import personal_data as articles_data

        personal_data.register(self.label, export=articles_data.export, erase=articles_data.erase)
