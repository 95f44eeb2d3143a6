from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comments.wordpress_import import ImportReport, WordPressImportError, wordpress_import


class Command(BaseCommand):
    help = (
        "Bring in a WordPress export (the WXR file of Tools → Export): posts, categories, tags, authors and comments "
        "with their threads. An author is the account here with their email; one the export gives no email gets an "
        "account of their own, never one here that has their user name (an old site's “admin” is not this one's). "
        "Running it again adds nothing already here."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The export, e.g. mysite.WordPress.2026-11-02.xml")
        parser.add_argument(
            "--media",
            action="store_true",
            help="Also copy the pictures the posts show, and their featured images, from the old site into the "
            "library (WordPress's “Download and import file attachments”). The old site must be online.",
        )

    def handle(self, *args, file: Path, media: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            report = wordpress_import(path=file, progress=self._progress, media=media)
        except WordPressImportError as error:
            self._summary(error.report)
            raise CommandError(error.message) from error
        self._summary(report)

    def _progress(self, report: ImportReport) -> None:
        self.stdout.write(report.progress_line())

    def _summary(self, report: ImportReport) -> None:
        for line in report.lines():
            self.stdout.write(line)
