"""Moving in from WordPress: a WXR export (Tools → Export) read as a stream, each post with its comments saved at once.

The file is read with defusedxml, refusing any DTD (so no entity expansion and no external entity), one
`<item>` at a time: each is dropped from the tree once handled, so memory holds one post and its comments
whatever the file's size (a first reading keeps only what a post needs of the entries after it). Running it twice
adds nothing: an article is matched by its GUID, an author by email (or, when the export has none, by the account an
import made for their login: never another account that has their user name), a category or tag by slug, a comment
by its article, author's email, date and text.
"""

import copy
import http.client
import ipaddress
import mimetypes
import re
import time
import urllib.error
import urllib.request
import zlib
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from html import unescape
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.parsers.expat import ErrorString

from allauth.account.models import EmailAddress
from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import DefusedXMLParser, iterparse
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import DatabaseError, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html, strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import first_free
from accounts.validators import validate_public_website
from articles import addresses, sanitize, services
from articles.forms import ImageForm
from articles.models import Article, Category, Image, Page, Revision, Tag

from .models import Comment, ImportedAuthor

PROGRESS_EVERY = 100  # posts read between two progress lines
MEDIA_TIMEOUT_SECONDS = 30  # to fetch one picture from the old site

# What each WordPress comment status becomes here, and the reason a moderator reads beside it.
COMMENT_STATUSES = {
    "1": (Comment.Status.APPROVED, ""),
    "0": (Comment.Status.PENDING, gettext_lazy("held for moderation in WordPress")),
    "spam": (Comment.Status.SPAM, gettext_lazy("marked as spam in WordPress")),
    "trash": (Comment.Status.TRASH, gettext_lazy("in WordPress’s trash")),
    "post-trashed": (Comment.Status.TRASH, gettext_lazy("in WordPress’s trash")),
}
COMMENT_TYPES = frozenset({"", "comment"})
PUBLISHED_STATUSES = frozenset({"publish", "future"})
DRAFT_STATUSES = frozenset({"draft", "pending", "private"})
SKIPPED_POST_TYPES = {
    "attachment": "attachments (media files: with --media, those a post shows are copied)",
    "revision": "revisions",
    "nav_menu_item": "menu items",
}
SKIPPED_POST_STATUSES = {
    "trash": "posts in WordPress's trash",
    "auto-draft": "auto-drafts",
    "inherit": "posts with status inherit",
}
# What wpautop (WordPress's automatic paragraphs) takes for a block of its own: no paragraph is made around it.
_BLOCKS = (
    r"(?:address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|figcaption|figure"
    r"|footer|form|h[1-6]|header|hgroup|hr|legend|li|map|math|menu|nav|ol|p|pre|section|summary|table|tbody|td"
    r"|tfoot|th|thead|tr|ul)"
)
_BLOCK_START = re.compile(rf"(<{_BLOCKS}[\s/>])", re.IGNORECASE)
_BLOCK_END = re.compile(rf"(</{_BLOCKS}>)", re.IGNORECASE)
_BLOCK_TAG_OPENS = re.compile(rf"<p>\s*(</?{_BLOCKS}[^>]*>)", re.IGNORECASE)
_BLOCK_TAG_CLOSES = re.compile(rf"(</?{_BLOCKS}[^>]*>)\s*</p>", re.IGNORECASE)
_BREAK_AFTER_BLOCK_TAG = re.compile(rf"(</?{_BLOCKS}[^>]*>)\s*<br>", re.IGNORECASE)
_BREAK_BEFORE_BLOCK_TAG = re.compile(r"<br>(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n\s*\n")
_WHOLE = re.compile(r"<(pre|figure)\b.*?</\1>", re.IGNORECASE | re.DOTALL)  # written as they are
_TAG = re.compile(r"<[^>]*>")
_KEPT_NEWLINE = "\x02"
# [caption id="…" align="…" width="…"]<img …> The caption.[/caption], WordPress's one shortcode every theme shows;
# written before WordPress 3.4 as [caption … caption="The caption."]<img …>[/caption].
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
# What WordPress showed from another site (a video's player) or in one (a sound file's): this site loads nothing from
# elsewhere (its Content Security Policy) and its cleaner keeps no <iframe>, <audio> or <video>, so each becomes a
# link to it. [embed]URL[/embed], the player shortcodes, and an address alone on its line or in its paragraph, which
# WordPress embeds by itself (as the block editor's embed blocks write theirs, inside their figure).
_EMBED = re.compile(r"""\[embed\b[^\]]*\]\s*(https?://[^\s<>"]+?)\s*\[/embed\]""", re.IGNORECASE)
_PLAYER = re.compile(r"\[(audio|video)\b([^\]]*)\](?:.*?\[/\1\])?", re.IGNORECASE | re.DOTALL)
_PLAYER_SOURCES = ("src", "mp3", "m4a", "ogg", "wav", "wma", "mp4", "m4v", "webm", "ogv", "wmv", "flv")
_BARE_ADDRESS = re.compile(
    r"""^(\s*)(https?://[^\s<>"]+)(\s*)$|(<p(?:\s[^>]*)?>\s*)(https?://[^\s<>"]+)(\s*</p>)""",
    re.IGNORECASE | re.MULTILINE,
)
# [gallery ids="7,8"] (include="…" before WordPress 3.5): the export's media files it showed; [gallery] alone, as
# WordPress wrote it before 3.5: those uploaded to the post. Not [gallery-slider], another shortcode (WordPress reads a
# name up to a character no name has).
_GALLERY = re.compile(r"\[gallery(?![\w-])([^\]]*)\]", re.IGNORECASE)
# A shortcode's attributes: name="value", name='value' or name=value (WordPress's shortcode_parse_atts).
_SHORTCODE_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
_CAPTIONED_IMAGE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.IGNORECASE | re.DOTALL)
# A picture kept on another site (the old blog's media library, which is not imported): this site shows none.
_OUTSIDE_PICTURE = re.compile(
    r"""<img\b[^>]*?\ssrc=(?:(["'])(?:https?:)?//[^"']*\1|(?:https?:)?//[^\s>"']+)[^>]*>""", re.IGNORECASE
)
# A picture's address, between quotes or (as HTML allows) without them.
_SOURCE = re.compile(r"""\ssrc=(?:(["'])(.*?)\1|([^\s>"']+))""", re.IGNORECASE | re.DOTALL)
_ALT_TEXT = re.compile(r"""\salt=(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_PICTURE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTACHMENT_CLASS = re.compile(r"""\sclass=(["'])[^"']*\bwp-image-(\d+)\b[^"']*\1""", re.IGNORECASE)
_EMPTY_ALT_TEXT = re.compile(r"""\salt=(["'])\s*\1""", re.IGNORECASE)
_SOURCE_SET_OR_SIZES = re.compile(r"""\s(?:srcset|sizes)=(["']).*?\1""", re.IGNORECASE | re.DOTALL)
_LINK_ADDRESS = re.compile(r"""(<a\b[^>]*?\shref=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
# The smaller copies WordPress makes of an upload are named after it: photo-300x200.jpg, and, for a large upload,
# photo-scaled.jpg is what it shows for photo.jpg.
_COPY_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled)(?=\.\w+$)")
_WORDPRESS_NAMESPACE = re.compile(r"^http://wordpress\.org/export/1\.\d+/(excerpt/)?$")
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
_NO_DATE = "0000-00-00 00:00:00"
_web_address = URLValidator(schemes=["http", "https"])


class WordPressImportError(Exception):
    """The import stopped; the message says where and why, and the report what was imported before."""

    def __init__(self, message: str, report: "ImportReport") -> None:
        super().__init__(message)
        self.message = message
        self.report = report


@dataclass
class Tally:
    """What became of one kind of thing in the export."""

    imported: int = 0
    already_here: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> count
    notes: Counter = field(default_factory=Counter)  # imported, with a change worth saying -> count

    def line(self, name: str, *, imported: str = "imported") -> str:
        text = f"{name}: {self.imported} {imported}, {self.already_here} already here"
        skipped = sum(self.skipped.values())
        if skipped:
            reasons = "; ".join(f"{reason}: {count}" for reason, count in self.skipped.most_common())
            text += f", {skipped} skipped ({reasons})"
        for note, count in self.notes.most_common():
            text += f"; {note}: {count}"
        return text + "."


@dataclass
class ImportReport:
    posts_read: int = 0
    posts: Tally = field(default_factory=Tally)
    comments: Tally = field(default_factory=Tally)
    authors: Tally = field(default_factory=Tally)
    categories: Tally = field(default_factory=Tally)
    tags: Tally = field(default_factory=Tally)
    pages: Tally = field(default_factory=Tally)
    pictures: Tally | None = None  # with --media only
    galleries: list[str] = field(default_factory=list)  # each not brought over whole, named for the owner to mend

    def progress_line(self) -> str:
        return (
            f"{self.posts_read} posts read: {self.posts.imported} imported, "
            f"{self.comments.imported} comments imported so far."
        )

    def lines(self) -> list[str]:
        lines = [
            self.posts.line("Posts"),
            self.comments.line("Comments"),
            self.authors.line("Authors", imported="accounts created (they sign in once they reset their password)"),
            self.categories.line("Categories", imported="created"),
            self.tags.line("Tags", imported="created"),
            self.pages.line("Pages"),
            *([self.pictures.line("Pictures", imported="copied into the library")] if self.pictures else []),
        ]
        if self.galleries:
            lines += ["Galleries not brought over whole (add their pictures by hand):", *self.galleries]
        return lines


def _name(tag: str) -> str:
    """An element's name as the WXR format writes it: `wp:post_id`, `content:encoded`, `title`."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if match := _WORDPRESS_NAMESPACE.match(namespace):
        return f"{'excerpt' if match.group(1) else 'wp'}:{local}"
    return f"{_NAMESPACES.get(namespace, namespace)}:{local}"


def _fields(element: Element) -> dict[str, str]:
    """The text of each child of an element, by name (the first of each name)."""
    fields: dict[str, str] = {}
    for child in element:
        fields.setdefault(_name(child.tag), (child.text or "").strip())
    return fields


def _date(gmt: str, local: str) -> datetime | None:
    """WordPress's UTC date, or its local one read in the site's time zone when the UTC one is unset."""
    for value, zone in ((gmt, zoneinfo.ZoneInfo("UTC")), (local, timezone.get_current_timezone())):
        if value and value != _NO_DATE:
            try:
                return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
            except ValueError:
                continue
    return None


def _old_path(fields: dict[str, str]) -> str:
    """The path of an entry's address on the old site (its <link>: /about/team/ for a page under another,
    /first-post/ or /2019/03/first-post/ as the site's permalinks were), which readers and search engines know;
    "" for WordPress's plain addresses (?p=101, ?page_id=7: here the front page answers them) or none at all.
    Written as Django's redirects match it (request.get_full_path: /2019/03/%C3%A9t%C3%A9/)."""
    link = urlsplit(fields.get("link", ""))
    if link.scheme not in ("http", "https") or link.query or not link.path.startswith("/"):
        return ""
    return escape_uri_path(unquote(link.path))


def _answered_here(path: str) -> bool:
    """Whether this site answers the path itself (the front page, an archive, an article, a page that is here), so
    that a redirect from it would never be followed, or would change where links to it go. Not a post's old address
    with letters an ASCII slug has not (/2019/03/04/été/): articles.views.wordpress_permalink follows its redirect."""
    try:
        match = resolve(unquote(path))
    except Resolver404:
        return False
    if match.view_name == "articles:wordpress-permalink":
        return False
    return match.view_name != "articles:page" or Page.objects.filter(slug=match.kwargs["slug"]).exists()


def _slug(wordpress_slug: str, *, max_length: int) -> str:
    """WordPress keeps a non-ASCII slug percent-encoded (%c3%a9t%c3%a9); here slugs are ASCII (ete), and the old
    address redirects to it (articles.views.wordpress_permalink uses the same slugify)."""
    return slugify(unquote(wordpress_slug))[:max_length].strip("-")


def _free_slug(slug: str, *, reserved: AbstractSet[str] = frozenset()) -> str:
    """`slug`, or `slug-2`, `slug-3`… (shortened to leave room): the first that no article has, nor is `reserved`."""
    base = slug[: Article._meta.get_field("slug").max_length - len("-9999")].strip("-")
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if slug not in taken and slug not in reserved:
        return slug
    return first_free(base, taken | {name for name in reserved if name.startswith(base)})


def _imported_before_guids(slug: str, published_at: datetime | None) -> Article | None:
    """The article of a post imported before articles kept their GUID: migration articles 0020 gave it the permalink
    the feeds gave it then (https://site.example/2019/03/04/slug/) as its feed ID. Known by that and its publish date.
    (A draft imported then was given an ID like any article's, which tells nothing of where it came from.)"""
    if published_at is None:
        return None
    permalink = re.compile(rf"https?://[^/]+/\d{{4}}/\d{{2}}/\d{{2}}/{re.escape(slug)}/")
    articles = Article.objects.filter(published_at=published_at, feed_id__endswith=f"/{slug}/").order_by("pk")
    return next((article for article in articles if permalink.fullmatch(article.feed_id)), None)


def _username(login: str, *, space: str) -> str:
    """The user name an account made for a WordPress login gets: what a user name may not have written as `space`."""
    return re.sub(r"[^\w.@+-]", space, login)[:140] or "author"


def _plain_text(value: str) -> str:
    return unescape(strip_tags(value)).strip()


def _body(content: str, *, gallery: Callable[[re.Match], str]) -> str:
    """A post's content as its readers saw it: its galleries (by `gallery`, from their shortcodes), captions as
    figures, what it embedded as links; and a classic-editor post gets WordPress's automatic paragraphs (wpautop),
    where a block-editor post (<!-- wp: … -->) is written in its HTML already. What is written here is the author's
    HTML, not text to escape: Article.save cleans it."""
    content = _GALLERY.sub(gallery, content)
    content = _PLAYER.sub(_player_link, _EMBED.sub(lambda embed: _link(embed.group(1)), _CAPTION.sub(_figure, content)))
    content = _BARE_ADDRESS.sub(_bare_address_link, content)
    return content if "<!-- wp:" in content else _automatic_paragraphs(content)


def _link(address: str) -> str:
    """A link to a web address written in HTML, named by it."""
    address = unescape(address).strip()
    return format_html('<a href="{}">{}</a>', address, address)


def _player_link(shortcode: re.Match) -> str:
    attributes = _shortcode_attributes(shortcode.group(2))
    address = next((attributes[name] for name in _PLAYER_SOURCES if attributes.get(name)), "")
    return _link(address) if address else ""


def _bare_address_link(line: re.Match) -> str:
    before, address, after = line.group(1, 2, 3) if line.group(2) else line.group(4, 5, 6)
    return f"{before}{_link(address)}{after}"


def _pictures_as_links(content: str) -> tuple[str, int]:
    """Each picture kept on another site becomes a link to it, named by its alt text: readers can still open it,
    and the page loads nothing from elsewhere. With how many there were."""

    def link(picture: re.Match) -> str:
        address = _address(_SOURCE.search(picture.group()))
        address = f"https:{address}" if address.startswith("//") else address  # the link is followed from here
        alt = _ALT_TEXT.search(picture.group())
        name = unescape(alt.group(2)).strip() if alt else ""
        return format_html('<a href="{}">{}</a>', address, name or _("(picture)"))

    return _OUTSIDE_PICTURE.subn(link, content)


class _NotAnExport(Exception):
    """The document is not <rss>: its element's name."""


def _channel_entries(source: BinaryIO, parser: DefusedXMLParser) -> Iterator[Element]:
    """Each child of <channel> (the site's authors, categories and tags, then one item after another) as soon as it is
    read whole; each is dropped from the tree once the next is asked for, so that memory holds one at a time."""
    open_elements: list[Element] = []
    for event, element in iterparse(source, events=("start", "end"), parser=parser):
        if event == "start":
            if not open_elements and _name(element.tag) != "rss":
                raise _NotAnExport(_name(element.tag))
            open_elements.append(element)
            continue
        open_elements.pop()
        if len(open_elements) == 2:
            yield element
            open_elements[-1].remove(element)


@dataclass(frozen=True)
class Attachment:
    """A media file of the old site, as its export describes it."""

    url: str
    alt_text: str
    caption: str = ""  # HTML: shown under it in a gallery
    parent: str = "0"  # the WordPress id of the post it was uploaded to
    menu_order: int = 0  # its place among that post's uploads


def _number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


def _read_ahead(path: Path) -> tuple[dict[str, Attachment], set[str]]:
    """A first reading of the file, for what a post needs of the entries after it: the export's media files by
    WordPress id (a post may come before the pictures it shows), and the slugs posts have exactly as WordPress wrote
    them ("ete"), which a post whose slug is made ASCII here ("été": ete) leaves to them, since their old addresses
    are theirs here too. A file that cannot be read whole gives what was found; the import then says where it stops."""
    attachments: dict[str, Attachment] = {}
    exact_slugs: set[str] = set()
    try:
        with path.open("rb") as source:
            for element in _channel_entries(source, DefusedXMLParser(target=TreeBuilder(), forbid_dtd=True)):
                if _name(element.tag) != "item":
                    continue
                fields = _fields(element)
                post_type, name = fields.get("wp:post_type"), fields.get("wp:post_name", "")
                imported = post_type == "post" and fields.get("wp:status") in PUBLISHED_STATUSES | DRAFT_STATUSES
                if post_type == "attachment" and (url := fields.get("wp:attachment_url", "")):
                    attachments[fields.get("wp:post_id", "")] = Attachment(
                        url=url,
                        alt_text=_plain_text(_meta(element).get("_wp_attachment_image_alt", "")),
                        caption=fields.get("excerpt:encoded", ""),
                        parent=fields.get("wp:post_parent") or "0",
                        menu_order=_number(fields.get("wp:menu_order", "")),
                    )
                elif imported and name and _slug(name, max_length=200) == name:
                    exact_slugs.add(name)
    except (ParseError, DefusedXmlException, _NotAnExport):
        pass
    return attachments, exact_slugs


def _meta(item: Element) -> dict[str, str]:
    """A post's custom fields (<wp:postmeta>): the featured image's id, a picture's alt text."""
    namespace = {"wp": _namespace_of(item)}
    fields = (_fields(meta) for meta in item.iterfind("wp:postmeta", namespace))
    return {field.get("wp:meta_key", ""): field.get("wp:meta_value", "") for field in fields}


def _address(source: re.Match) -> str:
    """The address a _SOURCE match found, as the browser reads it."""
    return unescape(source.group(2) if source.group(1) else source.group(3))


def _same_file(url: str) -> str:
    """An address without what may differ between two links to one file (http: or https:, a query such as
    WordPress.com's ?w=300)."""
    return re.sub(r"^(?:https?:)?//", "//", url.strip().split("#", 1)[0].split("?", 1)[0], flags=re.IGNORECASE)


def _original(url: str) -> str:
    """The upload a smaller copy was made from (photo-300x200.jpg: photo.jpg), as _same_file gives it."""
    return _COPY_SUFFIX.sub("", _same_file(url))


class _WebRedirectsOnly(urllib.request.HTTPRedirectHandler):
    """urllib follows a redirect to ftp:// too: the old site's pictures are on the web."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"redirected to {newurl}", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_WebRedirectsOnly)


def _download(url: str) -> bytes:
    """The file at a web address, at most one byte more than a picture may have, within MEDIA_TIMEOUT_SECONDS in all;
    OSError (or http.client.HTTPException) when it cannot be had."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise OSError(f"not a web address: {url}")
    deadline = time.monotonic() + MEDIA_TIMEOUT_SECONDS
    limit = settings.IMAGE_UPLOAD_MAX_BYTES + 1
    request = urllib.request.Request(url, headers={"User-Agent": "Leave a Reply (WordPress import)"})  # noqa: S310
    content = bytearray()
    with _opener.open(request, timeout=MEDIA_TIMEOUT_SECONDS) as response:
        # The timeout is each read's: a server sending a byte now and then is stopped by the deadline.
        while len(content) < limit and (chunk := response.read1(min(65536, limit - len(content)))):
            content += chunk
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} took more than {MEDIA_TIMEOUT_SECONDS} seconds")
    return bytes(content)


def _shortcode_attributes(text: str) -> dict[str, str]:
    """A shortcode's attributes by their (lowercase) names, their values as written (HTML, as WordPress reads them)."""
    return {
        match.group(1).lower(): next(value for value in match.group(2, 3, 4) if value is not None)
        for match in _SHORTCODE_ATTRIBUTE.finditer(text)
    }


def _in_menu_order(gallery: dict[str, str]) -> bool:
    """Whether a gallery that does not list its pictures in order showed them in their menu order (WordPress's, unless
    orderby="…" or order="DESC" asks another), or at random (orderby="rand"), of which that is one."""
    orderby, order = gallery.get("orderby") or "menu_order ID", gallery.get("order", "ASC").upper()
    return orderby == "rand" or order == "RAND" or (orderby == "menu_order ID" and order == "ASC")


def _gallery_figure(url: str, *, caption: str, linked: bool) -> str:
    """One picture of a gallery, linked to its file or not, with its caption under it."""
    picture = format_html('<a href="{0}"><img src="{0}"></a>' if linked else '<img src="{0}">', url)
    # The caption is the author's HTML, written into the body's as it is (not marked safe): Article.save cleans both.
    return f"<figure>{picture}<figcaption>{caption}</figcaption></figure>" if caption else f"<figure>{picture}</figure>"


def _figure(caption: re.Match) -> str:
    inside = _CAPTIONED_IMAGE.match(caption.group(2))
    if inside is None:
        return caption.group(2)
    image, text = inside.group(1), inside.group(2).strip()
    text = _shortcode_attributes(caption.group(1)).get("caption", "").strip() or text  # as WordPress reads it
    return f"<figure>{image}<figcaption>{text}</figcaption></figure>" if text else f"<figure>{image}</figure>"


def _automatic_paragraphs(text: str) -> str:
    """wpautop's rules: a blank line ends a paragraph, a line break inside one is a <br>, and a block element
    (a heading, a list, a table…) stands on its own, never inside a paragraph. <pre> and <figure> blocks, and
    newlines inside tags, are kept as they are."""
    if not text.strip():
        return ""
    whole: list[str] = []

    def keep(block: re.Match) -> str:
        whole.append(block.group())
        return f"<div>\x01{len(whole) - 1}\x01</div>"  # a block of its own meanwhile

    text = _WHOLE.sub(keep, text.replace("\r\n", "\n"))
    text = _TAG.sub(lambda tag: tag.group().replace("\n", _KEPT_NEWLINE), text)
    text = _BLOCK_END.sub(r"\1\n\n", _BLOCK_START.sub(r"\n\n\1", text))
    text = "".join(f"<p>{part.strip()}</p>\n" for part in _BLANK_LINE.split(text) if part.strip())
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = re.sub(r"</blockquote></p>", "</p></blockquote>", text, flags=re.IGNORECASE)
    text = _BLOCK_TAG_CLOSES.sub(r"\1", _BLOCK_TAG_OPENS.sub(r"\1", text))
    text = re.sub(r"(?<!<br>)\s*\n(?!$)", "<br>\n", text.strip()) + "\n"
    text = _BREAK_BEFORE_BLOCK_TAG.sub(r"\1", _BREAK_AFTER_BLOCK_TAG.sub(r"\1", text))
    text = re.sub(r"<div>\x01(\d+)\x01</div>", lambda kept: whole[int(kept.group(1))], text)
    return text.replace(_KEPT_NEWLINE, "\n").strip()


def _email(value: str) -> str:
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def _web_url(value: str) -> str:
    """A commenter's website, if the comment form would take it (a real site's address, no user name in it)."""
    value = value.strip()
    try:
        _web_address(value)
        validate_public_website(value)
    except ValidationError:
        return ""
    return value if len(value) <= Comment._meta.get_field("author_url").max_length else ""


def _ip_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


class _Importer:
    def __init__(
        self,
        *,
        progress: Callable[[ImportReport], None] | None,
        attachments: dict[str, Attachment],
        media: bool,
        exact_slugs: set[str],
    ) -> None:
        self.report = ImportReport(pictures=Tally() if media else None)
        self.progress = progress
        # The export's media files by WordPress id, and by address (a smaller copy's too); with --media each is
        # copied into the library once, when a post first shows it.
        self.attachments = attachments
        # An address is matched as it is (the upload, or a copy exported as an attachment of its own), else as a smaller
        # copy of an upload (-300x200).
        self.attachment_at = {_same_file(attachment.url): key for key, attachment in self.attachments.items()}
        self.upload_at = {_original(attachment.url): key for key, attachment in self.attachments.items()}
        # The pictures uploaded to each post, by its WordPress id, as [gallery] alone shows them: by menu order, then
        # id, and not the other files (a PDF), which WordPress tells by their names' extensions.
        self.uploads: dict[str, list[str]] = {}
        for key in sorted(self.attachments, key=self._menu_place):
            kind, _encoding = mimetypes.guess_type(urlsplit(self.attachments[key].url).path)
            if kind is None or kind.startswith("image/"):
                self.uploads.setdefault(self.attachments[key].parent, []).append(key)
        self.library: dict[str, Image | None] = {}  # by the upload's address: two entries of one file, one copy
        self.exact_slugs = exact_slugs  # the posts' slugs as WordPress wrote them, which none other takes
        # Known once committed: login or WordPress author id -> account, slug -> category or tag.
        self.authors: dict[str, int] = {}
        self.categories: dict[str, int] = {}
        self.tags: dict[str, int] = {}
        self.authors_group = Group.objects.filter(name="Authors").first()

    # ---- The stream -------------------------------------------------------------------
    def run(self, source: BinaryIO) -> None:
        parser = DefusedXMLParser(target=TreeBuilder(), forbid_dtd=True)
        try:
            for element in _channel_entries(source, parser):
                self._channel_entry(element)
        except _NotAnExport as error:
            raise WordPressImportError(
                f"This is not a WordPress export: its document is <{error}>, a WXR file's is <rss>. Nothing was "
                "imported.",
                self.report,
            ) from error
        except ParseError as error:
            line, column = error.position
            raise WordPressImportError(
                f"Stopped at line {line}, column {column}: the file is not well-formed XML "
                f"({ErrorString(error.code)}), or was cut short. The posts before it are imported; nothing of the "
                "post being read is.",
                self.report,
            ) from error
        except DefusedXmlException as error:
            raise WordPressImportError(
                f"Refused at line {parser.parser.CurrentLineNumber}: {self._hostile(error)} A WordPress export never "
                "has one. Nothing more was read.",
                self.report,
            ) from error
        except DatabaseError as error:  # saving an author, a category, a tag or a page, or looking a post up
            raise WordPressImportError(
                f"Stopped after {self.report.posts_read} posts read: the database failed ({error}). What is counted "
                "below is imported; run the import again to bring in the rest (it adds nothing already here).",
                self.report,
            ) from error

    @staticmethod
    def _hostile(error: DefusedXmlException) -> str:
        # Entities and external references are declared in a document type, refused before them.
        if isinstance(error, DTDForbidden):
            return "the file declares a document type (<!DOCTYPE …>), where entities that expand or fetch files hide."
        return f"the file uses an XML feature refused for safety ({error})."

    def _channel_entry(self, element: Element) -> None:
        name = _name(element.tag)
        if name == "wp:author":
            self._author(_fields(element))
        elif name == "wp:category":
            fields = _fields(element)
            self._term(
                Category,
                name=fields.get("wp:cat_name", ""),
                slug=fields.get("wp:category_nicename", ""),
                parent=fields.get("wp:category_parent", ""),
            )
        elif name == "wp:tag":
            fields = _fields(element)
            self._term(Tag, name=fields.get("wp:tag_name", ""), slug=fields.get("wp:tag_slug", ""))
        elif name == "item":
            self.report.posts_read += 1
            self._item(element)
            if self.progress and self.report.posts_read % PROGRESS_EVERY == 0:
                self.progress(self.report)

    # ---- Authors, categories and tags ----------------------------------------------------
    def _author(self, fields: dict[str, str]) -> int:
        login = fields.get("wp:author_login", "")
        user_id = self._account(
            login=login,
            email=_email(fields.get("wp:author_email", "")),
            display_name=fields.get("wp:author_display_name", ""),
            first_name=fields.get("wp:author_first_name", ""),
            last_name=fields.get("wp:author_last_name", ""),
        )
        self.authors[login] = user_id
        return user_id

    def _account(self, *, login: str, email: str, display_name: str, first_name: str, last_name: str) -> int:
        """The account of a WordPress author: an existing one with their email, else the one an import made for their
        login, or a new staff account in the Authors group that cannot sign in until its owner resets the password."""
        User = get_user_model()
        # What a user name may not have (a space: "jane doe") becomes "+", which a WordPress login never has (letters,
        # digits, space, _ . - @): another author's login ("jane_doe") is never taken for this one's.
        base = _username(login, space="+")
        if email:
            user_id = User.objects.filter(email__iexact=email).order_by("pk").values_list("pk", flat=True).first()
        else:
            # Imports before wrote a space as "_" (jane_doe): an account one of them made has that name.
            user_id = self._imported_account(login, usernames=dict.fromkeys((base, _username(login, space="_"))))
        if user_id:
            self.report.authors.already_here += 1
            return user_id
        taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
        username = first_free(base, taken)
        if username != base:
            self.report.authors.notes["authors whose login names another account here, given a name of their own"] += 1
        user = User(
            username=username,
            email=email,
            first_name=_plain_text(first_name)[:150],
            last_name=_plain_text(last_name)[:150],
            # WordPress shows the login when no other name is chosen; bylines here never do.
            display_name="" if display_name == login else _plain_text(display_name)[:150],
            is_staff=True,
        )
        user.set_unusable_password()
        with transaction.atomic():
            user.save()
            if self.authors_group:
                user.groups.add(self.authors_group)
            if email:
                EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
            ImportedAuthor.objects.get_or_create(login=login[:255], defaults={"user": user})
        self.report.authors.imported += 1
        return user.pk

    @staticmethod
    def _imported_account(login: str, *, usernames: Iterable[str]) -> int | None:
        """The account an import made for a login, found by the login kept beside it. One made before logins were
        kept is taken by its user name (the first of `usernames` there is) only while it is as the import left it,
        nobody's: no email, no password, never signed in, no other login's. An account someone uses (the site's
        admin, a member) is never taken for an author of that login."""
        if kept := ImportedAuthor.objects.filter(login=login[:255]).values_list("user_id", flat=True).first():
            return kept
        unclaimed = get_user_model().objects.filter(
            email="", password__startswith=UNUSABLE_PASSWORD_PREFIX, last_login=None, wordpress_logins=None
        )
        for username in usernames:
            if earlier := unclaimed.filter(username=username).values_list("pk", flat=True).first():
                ImportedAuthor.objects.create(login=login[:255], user_id=earlier)
                return earlier
        return None

    def _term(self, model: type[Category] | type[Tag], *, name: str, slug: str, parent: str = "") -> int:
        """A category or tag here: the one at its slug, else one an editor named alike, else a new one. Names are
        unique here, not under each parent as in WordPress: a second "Treatment" (under Children) of the export is
        created as "Treatment (Children)"."""
        known = self.categories if model is Category else self.tags
        tally = self.report.categories if model is Category else self.report.tags
        max_length = model._meta.get_field("name").max_length
        name = _plain_text(name)[:max_length]
        slug = _slug(slug or name, max_length=model._meta.get_field("slug").max_length)
        slug = slug or slugify(name) or f"{model._meta.model_name}-{zlib.crc32(name.encode())}"
        if slug in known:
            return known[slug]
        existing = (
            model.objects.filter(slug=slug).first()
            or model.objects.filter(name__iexact=name).exclude(pk__in=known.values()).first()
        )
        if existing:
            tally.already_here += 1
        else:
            name = name or slug
            if model.objects.filter(name__iexact=name).exists():
                parent_id = known.get(_slug(parent, max_length=model._meta.get_field("slug").max_length))
                parent_name = model.objects.filter(pk=parent_id).values_list("name", flat=True).first()
                name = (f"{name} ({parent_name})" if parent_name else name)[: max_length - len("-9999")]
                taken = set(model.objects.filter(name__istartswith=name).values_list("name", flat=True))
                name = first_free(name, taken)
            existing = model.objects.create(name=name, slug=slug)
            tally.imported += 1
        known[slug] = existing.pk
        return existing.pk

    # ---- Posts and their comments -----------------------------------------------------------
    def _item(self, item: Element) -> None:
        fields = _fields(item)
        post_type, wp_status = fields.get("wp:post_type", "post"), fields.get("wp:status", "")
        if post_type == "page":
            return self._page(item, fields)
        if post_type != "post":
            return self._skip_post(item, SKIPPED_POST_TYPES.get(post_type, f"entries of type {post_type}"))
        if wp_status not in PUBLISHED_STATUSES | DRAFT_STATUSES:
            return self._skip_post(item, SKIPPED_POST_STATUSES.get(wp_status, f"posts with status “{wp_status}”"))
        status = Article.Status.PUBLISHED if wp_status in PUBLISHED_STATUSES else Article.Status.DRAFT
        # A draft's local date is only when it was last saved (WordPress publishes it "now"); its UTC one was chosen.
        local_date = fields.get("wp:post_date", "") if status == Article.Status.PUBLISHED else ""
        published_at = _date(fields.get("wp:post_date_gmt", ""), local_date)
        if status == Article.Status.PUBLISHED and published_at is None:
            return self._skip_post(item, "published posts without a readable date")
        tally = self.report.posts
        # This site has no private or password-protected articles: they wait as drafts.
        note = "private posts imported as drafts" if wp_status == "private" else ""
        if fields.get("wp:post_password") and status == Article.Status.PUBLISHED:
            status, note = Article.Status.DRAFT, "password-protected posts imported as drafts"

        post_id = fields.get("wp:post_id", "")
        slug = _slug(fields.get("wp:post_name", ""), max_length=200)
        title = _plain_text(fields.get("title", ""))[:200] or _("(no title)")
        slug = slug or slugify(title)[:200] or f"post-{post_id}"
        # A post imported before is known by its GUID, which its article keeps as its feed ID (an export without
        # one: by its slug and publish date). Another post at the same slug ("ete" and "été", two drafts of one
        # title) gets a free one: its old address leads to it. A slug made here ("été", a title's) never takes one
        # that a post of the export has exactly as WordPress wrote it, wherever it comes in the file.
        guid = fields.get("guid", "")[:255]
        if guid:
            existing = Article.objects.filter(feed_id=guid).first() or _imported_before_guids(slug, published_at)
        else:
            existing = Article.objects.filter(slug=slug, published_at=published_at).exclude(published_at=None).first()
        if not existing:
            exact = fields.get("wp:post_name") == slug
            slug = _free_slug(slug, reserved=self.exact_slugs - {slug} if exact else self.exact_slugs)
        # Shared with other posts, so kept even if this post fails: created before its transaction.
        # A post without a creator is the site's own: one "wordpress" account for all of them.
        login = fields.get("dc:creator", "") or "wordpress"
        author_id = self.authors.get(login) or self._author({"wp:author_login": login})
        categories, tags = [], []
        for term in item.iterfind("category"):
            domain, nicename = term.get("domain"), term.get("nicename", "")
            if domain == "category":
                categories.append(self._term(Category, name=term.text or "", slug=nicename))
            elif domain == "post_tag":
                tags.append(self._term(Tag, name=term.text or "", slug=nicename))

        featured_image = None
        before = copy.deepcopy((self.report.posts, self.report.comments, self.report.galleries))
        if not existing:
            gallery = partial(self._gallery, post_id=post_id, author_id=author_id, entry=f"Post {post_id} (“{title}”)")
            body = _body(fields.get("content:encoded", ""), gallery=gallery)
            # Copied before the post's transaction (a download is no work to hold it open for), and kept if the post
            # fails: the library's pictures are shared by posts.
            if self.report.pictures is not None:
                body = self._pictures_copied(body, author_id=author_id)
                featured_image = self._library_picture(
                    _meta(item).get("_thumbnail_id", "").strip(), author_id=author_id
                )
            body, pictures_elsewhere = _pictures_as_links(body)
        try:
            with transaction.atomic():
                if existing:
                    article = existing
                    tally.already_here += 1
                else:
                    article = Article.objects.create(
                        title=title,
                        slug=slug,
                        author_id=author_id,
                        featured_image=featured_image,
                        body=body,
                        excerpt=sanitize.text_of(sanitize.clean_article_html(fields.get("excerpt:encoded", ""))),
                        status=status,
                        published_at=published_at,
                        comments_open=fields.get("wp:comment_status", "open") != "closed",
                        sticky=fields.get("wp:is_sticky") == "1",
                        # Feed readers that followed the old feed here know the post by it: not new to them.
                        **({"feed_id": guid} if guid else {}),
                    )
                    article.categories.set(categories)
                    article.tags.set(tags)
                    Revision.record(article, by=None, note=_("Imported from WordPress"))
                    tally.imported += 1
                    if note:
                        tally.notes[note] += 1
                    if pictures_elsewhere:
                        tally.notes["pictures on another site (not imported) made links to them"] += pictures_elsewhere
                if article.is_public:
                    self._old_address_leads_on(fields, article.get_absolute_url(), tally)
                self._comments(article, item.iterfind("wp:comment", {"wp": _namespace_of(item)}))
        except DatabaseError as error:
            self.report.posts, self.report.comments, self.report.galleries = before
            raise WordPressImportError(
                f"Post {post_id} (“{title}”) could not be saved, so nothing of it was imported: {error}", self.report
            ) from error

    # ---- Pages ---------------------------------------------------------------------------------
    def _page(self, item: Element, fields: dict[str, str]) -> None:
        """A WordPress page becomes one of the site's pages (articles.models.Page), at /slug/: published, or a draft
        for every other state WordPress shows it in; not in the footer until an editor puts it there."""
        tally, wp_status = self.report.pages, fields.get("wp:status", "")
        if wp_status not in PUBLISHED_STATUSES | DRAFT_STATUSES:
            tally.skipped[SKIPPED_POST_STATUSES.get(wp_status, f"pages with status “{wp_status}”")] += 1
            return
        if comments := len(item.findall("wp:comment", {"wp": _namespace_of(item)})):
            self.report.comments.skipped["comments on pages (pages here have none)"] += comments
        title = _plain_text(fields.get("title", ""))[:200] or _("(no title)")
        max_length = Page._meta.get_field("slug").max_length
        slug = _slug(fields.get("wp:post_name", ""), max_length=max_length) or slugify(title)[:max_length]
        if here := Page.objects.filter(slug=slug).first():
            tally.already_here += 1
            if here.published:  # imported before its old address was kept
                self._old_address_leads_on(fields, here.get_absolute_url(), tally)
            return
        author_id = None
        if self.report.pictures is not None:
            login = fields.get("dc:creator", "") or "wordpress"  # who the copies are uploaded by, as for a post
            author_id = self.authors.get(login) or self._author({"wp:author_login": login})
        galleries = len(self.report.galleries)  # those of this page, named only if it is imported
        page_id = fields.get("wp:post_id", "")
        gallery = partial(self._gallery, post_id=page_id, author_id=author_id, entry=f"Page {page_id} (“{title}”)")
        body = _body(fields.get("content:encoded", ""), gallery=gallery)
        if author_id is not None:
            body = self._pictures_copied(body, author_id=author_id)
        body, pictures_elsewhere = _pictures_as_links(body)
        # A page has no schedule and no password here: those wait as drafts too.
        published = wp_status == "publish" and not fields.get("wp:post_password")
        page = Page(title=title, slug=slug, body=body, published=published)
        try:
            page.full_clean()
        except ValidationError as refused:
            # Its address is checked; its pictures come as a post's do (alt text or not: the old site's words).
            if set(refused.message_dict) - {"body"}:
                tally.skipped["pages at an address this site uses (/feed/, /search/…) or without a usable slug"] += 1
                del self.report.galleries[galleries:]
                return
        with transaction.atomic():
            page.save()
            if page.published:
                self._old_address_leads_on(fields, page.get_absolute_url(), tally)
        tally.imported += 1
        if not page.published:
            tally.notes["pages not public in WordPress (draft, private, scheduled, password) imported as drafts"] += 1
        if fields.get("wp:post_parent", "0") not in ("", "0"):
            tally.notes["pages under another page, now at /slug/ of their own"] += 1
        if pictures_elsewhere:
            tally.notes["pictures on another site (not imported) made links to them"] += pictures_elsewhere

    @staticmethod
    def _old_address_leads_on(fields: dict[str, str], new_path: str, tally: Tally) -> None:
        """The address readers knew on the old site leads to the new one for good (a redirect editors see in the
        admin), when this site does not answer it itself: a page under another page (/about/team/), other
        permalinks than /YYYY/MM/DD/slug/. Not the home page (a static front page's <link>), nor a page here, nor an
        article's address with another date (the article page leads on from it by itself), nor one too long for a
        redirect (lead_on leaves it)."""
        old_path = _old_path(fields)
        if not old_path or _answered_here(old_path):
            return
        if addresses.lead_on(old_path, new_path):
            tally.notes["old addresses (the WordPress site's) leading on to the new ones"] += 1

    # ---- Pictures (--media) ---------------------------------------------------------------------
    def _gallery(self, shortcode: re.Match, *, post_id: str, author_id: int | None, entry: str) -> str:
        """A gallery's pictures, from the library, each a figure: those of the export's media files it names (or,
        naming none, those uploaded to the post `post_id`, or to the one id="…" names) that are copied in (with
        --media). Without them, nothing, rather than the shortcode as text; the report names a gallery that lost
        pictures (`entry`: which post), so that someone adds them by hand."""
        attributes = _shortcode_attributes(shortcode.group(1))
        ids = attributes.get("ids", "")
        named = ids or attributes.get("include", "")
        if named:
            keys = list(dict.fromkeys(str(int(number)) for number in re.findall(r"\d+", named)))  # each once
            if not ids:  # include="…" chose the pictures, not their order
                keys.sort(key=self._menu_place)
        else:
            if (other_post := _number(attributes.get("id", ""))) > 0:
                post_id = str(other_post)
            excluded = set(re.findall(r"\d+", attributes.get("exclude", "")))
            keys = [key for key in self.uploads.get(post_id, ()) if key not in excluded]
        copying = self.report.pictures is not None and author_id is not None
        pictures = [
            (image, self.attachments[key].caption)
            for key in keys
            if copying and (image := self._library_picture(key, author_id=author_id))
        ]
        if not named and not self.uploads.get(post_id):
            # An export of posts only (Tools → Export → Posts) has no media files.
            self.report.galleries.append(
                f"{entry}: {shortcode.group()} shows the pictures uploaded to the post: the export has none of them "
                "(export All content to have them)."
            )
        elif len(pictures) < len(keys):
            without_media = "" if copying else " (pictures are copied with --media)"
            self.report.galleries.append(
                f"{entry}: {shortcode.group()} shows {len(pictures)} of its {len(keys)} pictures{without_media}."
            )
        elif not ids and not _in_menu_order(attributes):
            self.report.galleries.append(
                f"{entry}: {shortcode.group()} shows its {len(pictures)} pictures in their menu order, not as it asks."
            )
        # link="file" links each picture to its file; by default WordPress linked to an attachment page, not kept here.
        linked = attributes.get("link") == "file"
        return "".join(_gallery_figure(image.url, caption=caption, linked=linked) for image, caption in pictures)

    def _menu_place(self, key: str) -> tuple[int, int]:
        """Where one of the export's media files comes in a gallery that does not list them in order (ids="…" does):
        by menu order, then id."""
        attachment = self.attachments.get(key)
        return (attachment.menu_order if attachment else 0, _number(key))

    def _pictures_copied(self, body: str, *, author_id: int) -> str:
        """The body with each picture of the old site's library shown from this site's (copied in once): its
        address, and a link around it to the picture's file. The article's cleaning then gives it its size and
        smaller copies, and the library's alt text where the body has none."""
        copies: dict[str, str] = {}  # an old address (of the upload) -> the library's

        def from_library(tag: re.Match) -> str:
            picture = tag.group()
            source = _SOURCE.search(picture)
            if source is None:
                return picture
            address = _address(source)
            key = self._attachment_shown(address, picture)
            image = self._library_picture(key, author_id=author_id) if key else None
            if image is None:
                return picture
            copies[_same_file(address)] = copies[_same_file(self.attachments[key].url)] = image.url
            picture = f'{picture[: source.start()]} src="{image.url}"{picture[source.end() :]}'
            # The old site's copies go (this site makes its own), and an empty alt text, which WordPress writes
            # for a picture described after it was inserted: the library's is given instead.
            return _EMPTY_ALT_TEXT.sub("", _SOURCE_SET_OR_SIZES.sub("", picture))

        body = _PICTURE.sub(from_library, body)

        def to_library(link: re.Match) -> str:
            copy_address = copies.get(_same_file(unescape(link.group(3))))
            return f"{link.group(1)}{link.group(2)}{copy_address}{link.group(2)}" if copy_address else link.group()

        return _LINK_ADDRESS.sub(to_library, body) if copies else body

    def _attachment_shown(self, address: str, picture: str) -> str | None:
        """Which of the export's media files a picture of a post shows: the one at its address, else the upload its
        address is a smaller copy of; the upload its class names (wp-image-7) only if the address agrees (HTML
        copied from another WordPress site names uploads of that site)."""
        key = self.attachment_at.get(_same_file(address)) or self.upload_at.get(_original(address))
        named = _ATTACHMENT_CLASS.search(picture)
        if key is None and named and (attachment := self.attachments.get(named.group(2))):
            return named.group(2) if _original(attachment.url) == _original(address) else None
        return key

    def _library_picture(self, key: str, *, author_id: int) -> Image | None:
        """The library's copy of one of the export's media files, copied in now if it is not there yet; None when
        the export has no such picture or it cannot be copied (the report says why)."""
        attachment = self.attachments.get(key)
        if attachment is None:
            return None
        if attachment.url not in self.library:
            image = Image.objects.filter(copied_from=attachment.url).first()
            if image is not None:
                self.report.pictures.already_here += 1
            self.library[attachment.url] = image or self._copy(attachment, author_id=author_id)
        return self.library[attachment.url]

    def _copy(self, attachment: Attachment, *, author_id: int) -> Image | None:
        tally = self.report.pictures
        if len(attachment.url) > Image._meta.get_field("copied_from").max_length:
            tally.skipped["addresses too long to keep (shown as links to the old site)"] += 1
            return None
        try:
            content = _download(attachment.url)
        except (OSError, ValueError, http.client.HTTPException):
            # Unreachable, refused, an HTTP error or a broken answer, too slow, an address it cannot use.
            tally.skipped["could not be fetched from the old site (shown as links to it)"] += 1
            return None
        if len(content) > settings.IMAGE_UPLOAD_MAX_BYTES:
            tally.skipped["larger than IMAGE_UPLOAD_MAX_BYTES (shown as links to the old site)"] += 1
            return None
        name = PurePosixPath(urlsplit(attachment.url).path).name or "picture"
        alt_text = attachment.alt_text[: Image._meta.get_field("alt_text").max_length]
        form = ImageForm(
            data={"alt_text": alt_text, "decorative": not alt_text}, files={"file": SimpleUploadedFile(name, content)}
        )
        if not form.is_valid():
            reason = " ".join(error.message % (error.params or {}) for error in form.errors.as_data().get("file", []))
            tally.skipped[f"refused by the library: {reason or form.errors.as_text()}"] += 1
            return None
        image = form.save(commit=False)
        image.copied_from = attachment.url
        try:
            services.image_upload(image=image, by=get_user_model().objects.get(pk=author_id))
        except OSError:  # the storage (a full disk, an object store down): nothing of it is kept
            tally.skipped["could not be stored here (shown as links to the old site)"] += 1
            return None
        tally.imported += 1
        if not alt_text:
            # WordPress wrote alt="" for them, which screen readers skip as they skip a decorative picture.
            tally.notes["without alt text, so copied as decorative (describe them in Images)"] += 1
        return image

    def _skip_post(self, item: Element, reason: str) -> None:
        self.report.posts.skipped[reason] += 1
        if count := len(item.findall("wp:comment", {"wp": _namespace_of(item)})):
            self.report.comments.skipped["comments of posts not imported"] += count

    def _comments(self, article: Article, elements) -> None:
        """Save a post's comments, parents before replies; a reply whose parent is not there starts a thread."""
        tally = self.report.comments
        comments: dict[str, dict[str, str]] = {}
        for element in elements:
            fields = _fields(element)
            kind = fields.get("wp:comment_type", "")
            if kind not in COMMENT_TYPES:
                tally.skipped["pingbacks and trackbacks" if kind in ("pingback", "trackback") else f"{kind}s"] += 1
            elif not fields.get("wp:comment_content", "").strip():
                tally.skipped["empty comments"] += 1
            elif _date(fields.get("wp:comment_date_gmt", ""), fields.get("wp:comment_date", "")) is None:
                tally.skipped["comments without a readable date"] += 1
            else:
                comments[fields.get("wp:comment_id", "") or f"#{len(comments)}"] = fields
        # What this article already has, by what identifies a comment: run twice, the import adds nothing.
        already = {
            (email, created_at, body): (pk, thread_id, depth)
            for pk, thread_id, depth, email, created_at, body in Comment.objects.filter(article=article).values_list(
                "pk", "thread_id", "depth", "author_email", "created_at", "body"
            )
        }
        placed: dict[str, tuple[int, int | None, int]] = {}  # WordPress id -> (pk, thread, depth) here
        for wordpress_id, parent_id in self._parents_first(comments):
            fields = comments[wordpress_id]
            if parent_id is None and fields.get("wp:comment_parent", "0") not in ("", "0"):
                tally.notes["replies whose parent is not in the export made top-level comments"] += 1
            parent = placed.get(parent_id) if parent_id else None
            comment = self._comment(article, fields, parent)
            key = (comment.author_email, comment.created_at, comment.body)
            if key in already:
                placed[wordpress_id] = already[key]
                tally.already_here += 1
                continue
            comment.save()
            placed[wordpress_id] = already[key] = (comment.pk, comment.thread_id, comment.depth)
            tally.imported += 1

    @staticmethod
    def _parents_first(comments: dict[str, dict[str, str]]):
        """Each comment with the WordPress id of its parent (None for a new thread), parents before their replies."""
        replies: dict[str, list[str]] = {}
        roots = []
        for wordpress_id, fields in comments.items():
            parent_id = fields.get("wp:comment_parent", "0")
            if parent_id in comments and parent_id != wordpress_id:
                replies.setdefault(parent_id, []).append(wordpress_id)
            else:
                roots.append(wordpress_id)
        seen: set[str] = set()
        # A loop of replies (each answering another) has no root: its first comment in the file starts the thread.
        for start in [*roots, *comments]:
            if start in seen:
                continue
            seen.add(start)
            yield start, None
            queue = [start]
            while queue:
                parent_id = queue.pop(0)
                for reply_id in replies.get(parent_id, ()):
                    if reply_id not in seen:
                        seen.add(reply_id)
                        yield reply_id, parent_id
                        queue.append(reply_id)

    @staticmethod
    def _comment(article: Article, fields: dict[str, str], parent: tuple[int, int | None, int] | None) -> Comment:
        status, reason = COMMENT_STATUSES.get(fields.get("wp:comment_approved", "0"), COMMENT_STATUSES["0"])
        body = fields["wp:comment_content"]
        parent_pk, parent_thread, parent_depth = parent or (None, None, 0)
        created_at = _date(fields.get("wp:comment_date_gmt", ""), fields.get("wp:comment_date", ""))
        return Comment(
            article=article,
            parent_id=parent_pk,
            thread_id=(parent_thread or parent_pk) if parent else None,
            depth=parent_depth + 1,
            author_name=_plain_text(fields.get("wp:comment_author", ""))[:100] or _("Anonymous"),
            author_email=_email(fields.get("wp:comment_author_email", "")),
            author_url=_web_url(fields.get("wp:comment_author_url", "")),
            ip_address=_ip_address(fields.get("wp:comment_author_IP", "")),
            user_agent=fields.get("wp:comment_agent", "")[:500],
            body=body,
            body_html=sanitize.clean_comment_html(body),
            status=status,
            status_reason=str(reason),
            created_at=created_at,
            # The old site told the post's author of its published comments: this one does not again.
            author_told_at=created_at if status == Comment.Status.APPROVED else None,
        )


def _namespace_of(item: Element) -> str:
    """The wp: namespace this export uses (WXR 1.1 and 1.2 differ)."""
    for child in item:
        if child.tag.startswith("{") and _name(child.tag).startswith("wp:"):
            return child.tag[1:].split("}", 1)[0]
    return "http://wordpress.org/export/1.2/"


def wordpress_import(
    *, path: Path, progress: Callable[[ImportReport], None] | None = None, media: bool = False
) -> ImportReport:
    """Import a WordPress export's posts, comments, authors, categories and tags: each post with its comments as one.
    With `media`, the pictures the posts show and their featured images are copied from the old site into the
    library (WordPress's "Download and import file attachments")."""
    attachments, exact_slugs = _read_ahead(path)
    importer = _Importer(progress=progress, attachments=attachments, media=media, exact_slugs=exact_slugs)
    with path.open("rb") as source:
        importer.run(source)
    return importer.report
