"""What an article says about itself to search engines and to sites it is shared on: schema.org JSON-LD
(MedicalWebPage when a clinician reviewed it, BlogPosting otherwise) and the Open Graph / Twitter card tags.

Other apps add what they know of the article on the page a request shows (the comments app, its approved
comments there) with `register`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse

from config.sites import site_url

from . import sanitize
from .models import Article

LOGO = "img/icons/icon-512.png"
# Each takes the article and the request for its page, and gives properties to add.
_additions: list[Callable[[Article, HttpRequest], dict]] = []
# Each takes the same, and gives the query of the page shown that its canonical address keeps ("?cpage=2"), or "".
_page_queries: list[Callable[[Article, HttpRequest], str]] = []


def register(addition: Callable[[Article, HttpRequest], dict]) -> None:
    _additions.append(addition)


def register_page_query(page_query: Callable[[Article, HttpRequest], str]) -> None:
    if page_query not in _page_queries:
        _page_queries.append(page_query)


@dataclass(frozen=True)
class Sharing:
    url: str
    canonical: str  # the url, with the query of the page shown (a later page of comments is a page of its own)
    image: str  # absolute address of the featured image, else of the first picture of the body, or ""
    structured_data: dict
    image_alt: str = ""  # the featured image's, when it has one
    image_width: int | None = None  # known for the featured image
    image_height: int | None = None


def article_sharing(article: Article, *, request: HttpRequest, site_name: str) -> Sharing:
    absolute = partial(site_url, request)  # on the site's domain, as its feeds and sitemap
    url = absolute(article.get_absolute_url())
    featured = article.featured_image
    if featured is not None:
        image = absolute(featured.url)
        image_details = {"image_alt": featured.alt, "image_width": featured.width, "image_height": featured.height}
    else:
        images = sanitize.image_sources(article.body_html)
        image = absolute(images[0]) if images else ""
        image_details = {}
    publisher = {"@type": "Organization", "name": site_name, "url": absolute("/")}
    publisher["logo"] = {"@type": "ImageObject", "url": absolute(static(LOGO)), "width": 512, "height": 512}
    if article.author.byline_name:
        author = {"@type": "Person", "name": article.author.byline_name}
        if article.author.author_slug:
            author["url"] = absolute(reverse("articles:author", kwargs={"slug": article.author.author_slug}))
    else:
        author = {"@type": "Organization", "name": site_name}
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title,
        "description": article.summary,
        "author": author,
        "publisher": publisher,
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
    }
    if featured is not None:
        data["image"] = {
            "@type": "ImageObject",
            "url": image,
            "width": featured.width,
            "height": featured.height,
            **({"caption": featured.alt} if featured.alt else {}),
        }
    elif image:
        data["image"] = image
    if article.reviewed_by and article.reviewed_on:
        reviewer = article.reviewed_by
        data["@type"] = "MedicalWebPage"
        data["name"] = article.title
        data["lastReviewed"] = article.reviewed_on
        data["reviewedBy"] = {"@type": "Person", "name": reviewer.name}
        if reviewer.credentials:
            data["reviewedBy"]["honorificSuffix"] = reviewer.credentials
        if reviewer.bio:
            data["reviewedBy"]["description"] = reviewer.bio
        if reviewer.website:
            data["reviewedBy"]["url"] = reviewer.website
    references = list(article.references.all())
    if references:
        data["citation"] = [
            {"@type": "CreativeWork", "name": reference.citation, **({"url": reference.url} if reference.url else {})}
            for reference in references
        ]
    for addition in _additions:
        data.update(addition(article, request))
    # A draft's preview has no publication date yet: a property without a value is left out.
    return Sharing(
        url=url,
        canonical=url + "".join(page_query(article, request) for page_query in _page_queries),
        image=image,
        structured_data={key: value for key, value in data.items() if value is not None},
        **image_details,
    )
