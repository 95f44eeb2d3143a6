"""What an article tells search engines and the sites it is shared on: JSON-LD, Open Graph and Twitter tags,
and the site's icon and manifest."""

import datetime
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from articles.models import Article, Reference, Reviewer
from comments.models import Comment, DiscussionSettings

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def structured_data(client, article) -> dict:
    page = client.get(article.get_absolute_url()).text
    blocks = JSON_LD.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def meta(client, article) -> dict:
    page = client.get(article.get_absolute_url()).text
    return dict(re.findall(r'<meta (?:property|name)="((?:og|article|twitter):[a-z_:]+)" content="([^"]*)">', page))


def test_an_article_nobody_reviewed_is_a_blog_posting(client, article, site_root):
    data = structured_data(client, article)
    url = f"{site_root}{article.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert (data["@id"], data["url"], data["mainEntityOfPage"]) == (url, url, url)
    assert data["headline"] == "Hemifacial spasm"
    assert data["author"] == {
        "@type": "Person",
        "name": "Wanda Writer",
        "url": f"{site_root}/author/wanda-writer/",
    }
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Leave a Reply"
    assert data["publisher"]["logo"]["url"].startswith(f"{site_root}/static/img/icons/icon-512")
    assert abs(datetime.datetime.fromisoformat(data["datePublished"]) - article.published_at) < datetime.timedelta(
        seconds=1
    )
    assert "reviewedBy" not in data and "lastReviewed" not in data


def test_a_reviewed_article_is_a_medical_web_page_with_its_reviewer_and_date(client, article):
    article.reviewed_by = Reviewer.objects.create(
        name="Dr Ada Neuro",
        credentials="MD, FRCP",
        bio="Consultant neurologist.",
        website="https://gmc.example.org/ada",
    )
    article.reviewed_on = timezone.localdate() - datetime.timedelta(days=3)
    article.save()
    data = structured_data(client, article)
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == article.reviewed_on.isoformat()
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Ada Neuro",
        "honorificSuffix": "MD, FRCP",
        "description": "Consultant neurologist.",
        "url": "https://gmc.example.org/ada",
    }


def test_approved_comments_are_comment_items_with_their_count(client, article, make_comment, site_root):
    first = make_comment(article=article, author_name="Ann", body="Thank you & <b>well</b> put.")
    make_comment(article=article, parent=first, author_name="Ben", body="Agreed.")
    make_comment(article=article, author_name="Held", status=Comment.Status.PENDING)
    make_comment(article=article, author_name="Spammer", status=Comment.Status.SPAM)
    data = structured_data(client, article)
    assert data["commentCount"] == 2
    assert [(item["@type"], item["author"]["name"], item["text"]) for item in data["comment"]] == [
        ("Comment", "Ann", "Thank you & well put."),
        ("Comment", "Ben", "Agreed."),
    ]
    assert data["comment"][0]["url"] == f"{site_root}/comments/{first.pk}/"


def test_a_reply_under_a_comment_taken_off_is_left_out_as_on_the_page(client, article, make_comment):
    question = make_comment(article=article, body="A question.")
    trashed = make_comment(article=article, parent=question, body="Rude words.", status=Comment.Status.TRASH)
    make_comment(article=article, parent=trashed, body="Quoting the rude words.")
    assert [item["text"] for item in structured_data(client, article)["comment"]] == ["A question."]


@pytest.mark.parametrize("kept", [0, 600], ids=["rendered", "kept"])
def test_each_page_of_comments_lists_the_comments_it_shows(client, article, make_comment, settings, kept):
    settings.PAGE_CACHE_SECONDS = kept
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"comments_per_page": 2})
    start = timezone.now() - datetime.timedelta(days=1)
    first, second, third = (
        make_comment(article=article, body=f"Thread {n}.", created_at=start + datetime.timedelta(minutes=n))
        for n in range(3)
    )
    make_comment(article=article, parent=first, body="A reply.", created_at=start + datetime.timedelta(hours=1))

    def shown(**params) -> tuple[int, list[str]]:
        page = client.get(article.get_absolute_url(), params).text
        data = json.loads(JSON_LD.findall(page)[0])
        return data["commentCount"], [item["text"] for item in data["comment"]]

    assert shown() == (4, ["Thread 0.", "A reply.", "Thread 1."])
    assert shown(cpage=2) == (4, ["Thread 2."])


def test_a_readers_own_held_comment_is_on_their_page_but_not_in_its_structured_data(
    client, article, make_comment, post_comment
):
    make_comment(article=article, body="Published.")
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"manual_approval": True})
    post_comment(client, article, comment="Waiting for a moderator.")
    page = client.get(article.get_absolute_url()).text
    assert "Waiting for a moderator." in page
    data = json.loads(JSON_LD.findall(page)[0])
    assert (data["commentCount"], [item["text"] for item in data["comment"]]) == (1, ["Published."])


def test_an_article_without_comments_says_so(client, article):
    data = structured_data(client, article)
    assert (data["commentCount"], data["comment"]) == (0, [])


def test_the_first_picture_of_the_body_is_the_articles_image(client, make_article, site_root):
    article = make_article(body='<p>Text.</p><p><img src="/static/img/icons/icon-512.png" alt="Icon"></p>')
    assert structured_data(client, article)["image"] == f"{site_root}/static/img/icons/icon-512.png"
    tags = meta(client, article)
    assert tags["og:image"] == f"{site_root}/static/img/icons/icon-512.png"
    assert tags["twitter:card"] == "summary_large_image"


def test_references_are_the_articles_citations(client, article):
    Reference.objects.create(article=article, number=1, citation="Wang A, Jankovic J. Muscle Nerve 1998.")
    Reference.objects.create(article=article, number=2, citation="NHS: Hemifacial spasm.", url="https://www.nhs.uk/x")
    assert structured_data(client, article)["citation"] == [
        {"@type": "CreativeWork", "name": "Wang A, Jankovic J. Muscle Nerve 1998."},
        {"@type": "CreativeWork", "name": "NHS: Hemifacial spasm.", "url": "https://www.nhs.uk/x"},
    ]


@pytest.mark.parametrize(
    "title",
    ["</script><script>alert(1)</script>", "<!-- hidden", 'Quotes " and \\ backslashes', "A & B < C > D"],
)
def test_nothing_in_a_title_can_break_out_of_the_structured_data(client, make_article, title):
    article = make_article(title=title, excerpt=title)
    page = client.get(article.get_absolute_url()).text
    assert "<script>alert(1)</script>" not in page
    assert page.count("<script") == page.count("</script>")
    data = structured_data(client, article)
    assert (data["headline"], data["description"]) == (title, title)


def test_an_article_with_no_body_image_or_excerpt_still_has_valid_structured_data(client, make_article, make_user):
    article = make_article(body="", excerpt="", author=make_user(username="admin"))
    data = structured_data(client, article)
    assert data["description"] == ""
    assert "image" not in data
    assert data["author"] == {"@type": "Organization", "name": "Leave a Reply"}


def test_a_drafts_preview_leaves_out_the_date_it_does_not_have(client, make_article, editor):
    draft = make_article(status=Article.Status.DRAFT, author=editor)
    client.force_login(editor)
    data = structured_data(client, draft)
    assert "datePublished" not in data
    assert data["headline"] == draft.title


def test_open_graph_and_twitter_tags_describe_the_article(client, make_article, site_root):
    article = make_article(title='Tics & "twitches"', excerpt="Short <summary>.")
    tags = meta(client, article)
    url = f"{site_root}{article.get_absolute_url()}"
    assert tags["og:type"] == "article"
    assert tags["og:title"] == "Tics &amp; &quot;twitches&quot;"
    assert tags["og:description"] == "Short &lt;summary&gt;."
    assert tags["og:url"] == url
    assert tags["og:site_name"] == "Leave a Reply"
    assert tags["twitter:card"] == "summary"
    assert tags["twitter:title"] == "Tics &amp; &quot;twitches&quot;"
    assert "og:image" not in tags
    assert datetime.datetime.fromisoformat(tags["article:published_time"]).tzinfo is not None
    assert f'<link rel="canonical" href="{url}">' in client.get(article.get_absolute_url()).text


def test_the_site_has_a_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    icon = b"".join(response.streaming_content)
    assert icon[:4] == b"\x00\x00\x01\x00"  # an icon file, holding one picture
    assert "public" in response["Cache-Control"]


def test_every_page_names_its_icons_and_manifest_and_they_exist(client, article):
    page = client.get("/").text
    for path in re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="/static/([^"]+)"', page):
        assert finders.find(path), path
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page


def test_the_web_manifest_gives_the_sites_name_and_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Leave a Reply"
    assert manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
