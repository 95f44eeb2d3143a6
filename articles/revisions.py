"""An article's revisions: each save kept (articles.models.Revision), two compared in words, one restored.

The difference is built from escaped text, with <del> and <ins> made by format_html: no markup an author
typed ever reaches the admin page as markup.
"""

from difflib import SequenceMatcher

from django.db import transaction
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from . import sanitize
from .models import Article, Revision


def text_of_body(body: str) -> str:
    """The words readers read in a body as typed."""
    return sanitize.text_of(sanitize.clean_article_html(body))


def word_difference(old: str, new: str) -> str:
    """`new` as HTML, with the words `old` had and it lost in <del>, and those it gained in <ins>."""
    before, after = old.split(), new.split()
    pieces = []
    for change, start, end, new_start, new_end in SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if change == "equal":
            pieces.append(" ".join(before[start:end]))
            continue
        if change in ("delete", "replace"):
            pieces.append(format_html("<del>{}</del>", " ".join(before[start:end])))
        if change in ("insert", "replace"):
            pieces.append(format_html("<ins>{}</ins>", " ".join(after[new_start:new_end])))
    return format_html_join(" ", "{}", ((piece,) for piece in pieces))


def differences(older: Revision, newer: Revision) -> list[tuple[str, str, bool]]:
    """Each field readers see: its name, its words marked with what changed, and whether it changed."""
    fields = [
        (_("Title"), older.title, newer.title),
        (_("Excerpt"), older.excerpt, newer.excerpt),
        (_("Body"), text_of_body(older.body), text_of_body(newer.body)),
    ]
    changed_markup = older.body != newer.body and text_of_body(older.body) == text_of_body(newer.body)
    shown = [(name, word_difference(old, new), old != new) for name, old, new in fields]
    if changed_markup:
        shown.append((_("Body markup"), _("The words are the same; only the markup changed."), True))
    return shown


@transaction.atomic
def revision_restore(revision: Revision, *, by) -> Revision:
    """Put back the revision's title, excerpt and body; the restore is itself a new revision."""
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    for name in Revision.RESTORED:
        setattr(article, name, getattr(revision, name))
    # As the form would: an autosave was never checked (an empty title, a picture with no alt text).
    article.full_clean()
    article.save()
    note = _("Restored the revision of %(date)s") % {
        "date": date_format(localtime(revision.saved_at), "DATETIME_FORMAT")
    }
    return Revision.record(article, by=by, note=note)
