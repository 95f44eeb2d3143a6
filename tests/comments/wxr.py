"""WordPress exports (WXR 1.2) written by hand, as Tools → Export writes them."""

from pathlib import Path

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
\t<title>An old blog</title>
\t<link>https://old.example</link>
\t<description>Just another WordPress site</description>
\t<language>en-US</language>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>https://old.example</wp:base_site_url>
\t<wp:base_blog_url>https://old.example</wp:base_blog_url>
"""
FOOTER = "</channel>\n</rss>\n"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def author(login="alice", email="alice@example.com", display_name="Alice Writer", first="Alice", last="Writer", id=1):
    return f"""\t<wp:author><wp:author_id>{id}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>\
<wp:author_email>{cdata(email)}</wp:author_email><wp:author_display_name>{cdata(display_name)}</wp:author_display_name>\
<wp:author_first_name>{cdata(first)}</wp:author_first_name><wp:author_last_name>{cdata(last)}</wp:author_last_name>\
</wp:author>
"""


def category(nicename: str, name: str, id: int = 1, parent: str = "") -> str:
    """A category; `parent` is the nicename of the one it is under."""
    return f"""\t<wp:category><wp:term_id>{id}</wp:term_id>\
<wp:category_nicename>{cdata(nicename)}</wp:category_nicename><wp:category_parent>{cdata(parent)}</wp:category_parent>\
<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>
"""


def tag(slug: str, name: str, id: int = 2) -> str:
    return f"""\t<wp:tag><wp:term_id>{id}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug>\
<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>
"""


def comment(
    id: int,
    *,
    parent: int = 0,
    body: str | None = None,
    approved: str = "1",
    type: str = "comment",
    name: str = "A reader",
    email: str = "reader@example.com",
    url: str = "https://reader.example/",
    ip: str = "192.0.2.7",
    agent: str = "Mozilla/5.0 (old browser)",
    date_gmt: str = "2019-03-05 10:00:00",
) -> str:
    return f"""\t\t<wp:comment>
\t\t\t<wp:comment_id>{id}</wp:comment_id>
\t\t\t<wp:comment_author>{cdata(name)}</wp:comment_author>
\t\t\t<wp:comment_author_email>{cdata(email)}</wp:comment_author_email>
\t\t\t<wp:comment_author_url>{url}</wp:comment_author_url>
\t\t\t<wp:comment_author_IP>{cdata(ip)}</wp:comment_author_IP>
\t\t\t<wp:comment_agent>{cdata(agent)}</wp:comment_agent>
\t\t\t<wp:comment_date>{cdata(date_gmt)}</wp:comment_date>
\t\t\t<wp:comment_date_gmt>{cdata(date_gmt)}</wp:comment_date_gmt>
\t\t\t<wp:comment_content>{cdata(body if body is not None else f"Comment {id}")}</wp:comment_content>
\t\t\t<wp:comment_approved>{cdata(approved)}</wp:comment_approved>
\t\t\t<wp:comment_type>{cdata(type)}</wp:comment_type>
\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>
\t\t\t<wp:comment_user_id>0</wp:comment_user_id>
\t\t</wp:comment>
"""


def post(
    id: int,
    *,
    title: str | None = None,
    slug: str | None = None,
    body: str = "<p>What the post says.</p>",
    excerpt: str = "",
    status: str = "publish",
    post_type: str = "post",
    date_gmt: str = "2019-03-04 09:30:00",
    creator: str = "alice",
    categories: tuple[tuple[str, str], ...] = (),
    tags: tuple[tuple[str, str], ...] = (),
    comments: tuple[str, ...] = (),
    password: str = "",
    meta: str = "",
    thumbnail_id: int | None = None,
    link: str | None = None,
    parent: int = 0,
    sticky: bool = False,
) -> str:
    title = title if title is not None else f"Post {id}"
    link = link if link is not None else f"https://old.example/?p={id}"
    slug = slug if slug is not None else f"post-{id}"
    terms = "".join(
        f'\t\t<category domain="category" nicename="{nicename}">{cdata(name)}</category>\n'
        for nicename, name in categories
    ) + "".join(
        f'\t\t<category domain="post_tag" nicename="{nicename}">{cdata(name)}</category>\n' for nicename, name in tags
    )
    postmeta = (postmeta_field("_kept", meta) if meta else "") + (
        postmeta_field("_thumbnail_id", str(thumbnail_id)) if thumbnail_id else ""
    )
    return f"""\t<item>
\t\t<title>{cdata(title)}</title>
\t\t<link>{link}</link>
\t\t<pubDate>Mon, 04 Mar 2019 09:30:00 +0000</pubDate>
\t\t<dc:creator>{cdata(creator)}</dc:creator>
\t\t<guid isPermaLink="false">https://old.example/?p={id}</guid>
\t\t<description></description>
\t\t<content:encoded>{cdata(body)}</content:encoded>
\t\t<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
\t\t<wp:post_id>{id}</wp:post_id>
\t\t<wp:post_date>{cdata(date_gmt)}</wp:post_date>
\t\t<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>
\t\t<wp:comment_status>{cdata("open")}</wp:comment_status>
\t\t<wp:ping_status>{cdata("open")}</wp:ping_status>
\t\t<wp:post_name>{cdata(slug)}</wp:post_name>
\t\t<wp:status>{cdata(status)}</wp:status>
\t\t<wp:post_parent>{parent}</wp:post_parent>
\t\t<wp:menu_order>0</wp:menu_order>
\t\t<wp:post_type>{cdata(post_type)}</wp:post_type>
\t\t<wp:post_password>{cdata(password)}</wp:post_password>
\t\t<wp:is_sticky>{int(sticky)}</wp:is_sticky>
{terms}{postmeta}{"".join(comments)}\t</item>
"""


def postmeta_field(key: str, value: str) -> str:
    return (
        f"\t\t<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>\n"
    )


def attachment(
    id: int,
    url: str,
    *,
    alt: str = "",
    caption: str = "",
    parent: int = 0,
    menu_order: int = 0,
    title: str = "IMG_0042",
) -> str:
    """A media file's entry, as WordPress exports it: the file stays on the old site, at `url`; `parent` is the post
    it was uploaded to, `menu_order` its place in that post's gallery, `caption` (its excerpt) shown under it there."""
    alt_text = postmeta_field("_wp_attachment_image_alt", alt) if alt else ""
    return f"""\t<item>
\t\t<title>{cdata(title)}</title>
\t\t<link>https://old.example/?attachment_id={id}</link>
\t\t<dc:creator>{cdata("alice")}</dc:creator>
\t\t<guid isPermaLink="false">{url}</guid>
\t\t<content:encoded>{cdata("")}</content:encoded>
\t\t<excerpt:encoded>{cdata(caption)}</excerpt:encoded>
\t\t<wp:post_id>{id}</wp:post_id>
\t\t<wp:post_date_gmt>{cdata("2019-03-04 09:00:00")}</wp:post_date_gmt>
\t\t<wp:post_name>{cdata(title.lower())}</wp:post_name>
\t\t<wp:status>{cdata("inherit")}</wp:status>
\t\t<wp:post_parent>{parent}</wp:post_parent>
\t\t<wp:menu_order>{menu_order}</wp:menu_order>
\t\t<wp:post_type>{cdata("attachment")}</wp:post_type>
\t\t<wp:attachment_url>{cdata(url)}</wp:attachment_url>
\t\t<wp:postmeta><wp:meta_key>{cdata("_wp_attached_file")}</wp:meta_key>\
<wp:meta_value>{cdata(url.rsplit("/", 1)[-1])}</wp:meta_value></wp:postmeta>
{alt_text}\t</item>
"""


def export(*items: str, authors: tuple[str, ...] = (author(),), terms: tuple[str, ...] = ()) -> str:
    return HEADER + "".join(authors) + "".join(terms) + "".join(items) + FOOTER


def write(directory: Path, text: str, name: str = "export.xml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
