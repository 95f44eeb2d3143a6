"""Helpers shared by the likes tests."""

from articles.models import Article

PASSWORD = "correct horse battery"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def like_url(article: Article) -> str:
    return f"{article.get_absolute_url()}like/"


def unlike_url(article: Article) -> str:
    return f"{article.get_absolute_url()}unlike/"


def likes_block(response) -> str:
    text = response.text
    return text[text.index('<section id="likes"') : text.index("</section>", text.index('<section id="likes"'))]
