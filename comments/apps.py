from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from accounts import personal_data
        from articles import feeds, structured_data
        from config import pagecache

        from . import personal_data as comments_data
        from . import signals  # noqa: F401
        from .feeds import comment_counts
        from .models import DiscussionSettings
        from .structured_data import approved_comments, comment_page_query

        personal_data.register(self.label, export=comments_data.export, erase=comments_data.erase)
        pagecache.register_next_change(lambda: DiscussionSettings.load().next_closing())
        structured_data.register(approved_comments)
        structured_data.register_page_query(comment_page_query)
        feeds.register_comment_counts(comment_counts)
