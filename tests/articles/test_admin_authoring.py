import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import formats, timezone

from articles.models import Article, Like, Tag
from comments.models import Comment
from tests.articles.admin_forms import NO_REFERENCES, change_url

pytestmark = pytest.mark.django_db


def add_article(client, **fields):
    data = {
        "title": "A new article",
        "slug": "a-new-article",
        "body": "<p>Hello readers.</p>",
        "excerpt": "",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "comments_open": "on",
        **NO_REFERENCES,
        **fields,
    }
    return client.post(reverse("admin:articles_article_add"), data)


def test_groups_have_exactly_their_permissions():
    def codenames(name):
        return sorted(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert codenames("Authors") == [
        "add_article",
        "add_image",
        "add_reference",
        "add_tag",
        "change_article",
        "change_image",  # their own uploads: ImageAdmin.has_change_permission
        "change_reference",
        "delete_article",  # their own: ArticleAdmin.has_delete_permission
        "delete_reference",
        "view_article",
        "view_category",
        "view_image",
        "view_reference",
        "view_reviewer",
        "view_tag",
    ]
    editors = codenames("Editors")
    assert {"change_others_article", "delete_article", "review_article", "change_reviewer"} <= set(editors)
    assert {"change_medicaldisclaimer", "view_medicaldisclaimer"} <= set(editors)
    assert {"add_image", "change_image", "delete_image", "view_image"} <= set(editors)
    # An article's old addresses are redirects (articles/addresses.py): editors manage them.
    assert {"add_redirect", "change_redirect", "delete_redirect", "view_redirect"} <= set(editors)
    # The site's own pages (About us, Privacy policy): tests/articles/test_pages.py.
    assert {"add_page", "change_page", "delete_page", "view_page"} <= set(editors)
    assert "delete_medicaldisclaimer" not in editors
    assert not [
        c
        for c in editors
        if not c.endswith(
            ("article", "category", "tag", "reviewer", "reference", "disclaimer", "image", "redirect", "page")
        )
    ]
    # The Moderators group belongs to the comments app: tests/comments/test_admin_moderation.py.


def test_an_author_deletes_their_own_articles_and_only_those(client, author, make_user, make_article):
    # Found by a review: as in WordPress (they could unpublish them already).
    draft = make_article(author=author, status=Article.Status.DRAFT, title="Half written")
    published = make_article(author=author, title="Out there")
    anothers = make_article(author=make_user(username="other", is_staff=True, groups=("Authors",)), status="draft")
    client.force_login(author)
    for mine in (draft, published):
        delete = reverse("admin:articles_article_delete", args=[mine.pk])
        assert client.get(delete).status_code == 200
        assert client.post(delete, {"post": "yes"}).status_code == 302
        assert not Article.objects.filter(pk=mine.pk).exists()
    # Another's: not in their list, so "not found" (the admin's redirect), and kept.
    assert client.post(reverse("admin:articles_article_delete", args=[anothers.pk]), {"post": "yes"}).status_code == 302
    assert Article.objects.filter(pk=anothers.pk).exists()
    listed = client.get(reverse("admin:articles_article_changelist")).text
    assert 'value="delete_selected"' not in listed  # Django's bulk delete checks no article's author


def test_author_writes_and_publishes_an_article_that_readers_then_see(client, author):
    client.force_login(author)
    response = add_article(client, title="Living with spasms", slug="living-with-spasms")
    assert response.status_code == 302
    article = Article.objects.get(slug="living-with-spasms")
    assert article.author == author
    assert article.published_at is not None
    client.logout()
    assert "Living with spasms" in client.get("/").text


def test_an_author_adds_a_new_tag_from_the_article_form_but_changes_no_existing_tag(client, author):
    # WordPress's Author types a new tag into the post's tag box; here, the + beside the tags opens the tag form.
    client.force_login(author)
    form = client.get(reverse("admin:articles_article_add")).text
    assert 'id="add_id_tags"' in form
    assert 'id="add_id_categories"' not in form  # categories stay with the editors
    response = client.post(
        reverse("admin:articles_tag_add") + "?_to_field=id&_popup=1",
        {"name": "Botulinum toxin", "slug": "botulinum-toxin", "_popup": "1", "_to_field": "id"},
    )
    assert response.status_code == 200  # the popup's answer, which puts the tag in the form
    tag = Tag.objects.get(slug="botulinum-toxin")
    assert str(tag.pk) in response.text
    response = client.post(reverse("admin:articles_tag_change", args=[tag.pk]), {"name": "Renamed", "slug": "x"})
    assert response.status_code == 403
    assert client.post(reverse("admin:articles_tag_delete", args=[tag.pk]), {"post": "yes"}).status_code == 403
    assert Tag.objects.get(pk=tag.pk).name == "Botulinum toxin"


def test_author_cannot_assign_an_article_to_someone_else(client, author, editor):
    client.force_login(author)
    add_article(client, author=editor.pk)
    assert Article.objects.get().author == author


def test_an_authors_own_name_on_their_article_leads_to_no_page_they_may_not_open(client, author, make_article):
    # Found by a review: shown read-only, it linked to the author's account in the admin, which they may not open.
    article = make_article(author=author)
    client.force_login(author)
    page = client.get(change_url(article)).text
    assert reverse("admin:accounts_user_change", args=[author.pk]) not in page
    assert f'<div class="readonly">{author}</div>' in page


def test_author_cannot_open_or_change_another_authors_article(client, author, make_article, make_user):
    other = make_article(title="Not yours", author=make_user(is_staff=True, groups=("Authors",)))
    client.force_login(author)
    # The admin answers as for an article that does not exist: back to its index, with a message.
    response = client.get(change_url(other), follow=True)
    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    assert "doesn’t exist" in response.text
    response = client.post(change_url(other), {"title": "Hijacked", "slug": other.slug, "body": "x", "status": "draft"})
    assert (response.status_code, response.url) == (302, reverse("admin:index"))
    other.refresh_from_db()
    assert other.title == "Not yours"
    assert "Not yours" not in client.get(reverse("admin:articles_article_changelist")).text


def test_author_cannot_publish_another_authors_draft_with_the_bulk_action(client, author, make_article, make_user):
    other = make_article(status=Article.Status.DRAFT, author=make_user(is_staff=True, groups=("Authors",)))
    client.force_login(author)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [other.pk]},
    )
    other.refresh_from_db()
    assert other.status == Article.Status.DRAFT


def test_editor_changes_any_authors_article(client, editor, author, make_article):
    article = make_article(author=author, title="Before")
    client.force_login(editor)
    assert client.get(change_url(article)).status_code == 200
    response = client.post(
        change_url(article),
        {
            "title": "After",
            "slug": article.slug,
            "author": author.pk,
            "body": article.body,
            "excerpt": "",
            "status": "published",
            "published_at_0": "2024-01-02",
            "published_at_1": "10:00:00",
            "comments_open": "on",
            "opened_version": article.updated_at.isoformat(),
            **NO_REFERENCES,
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "After"
    assert article.author == author


def test_publish_and_unpublish_actions(client, editor, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    live = make_article()
    changelist = reverse("admin:articles_article_changelist")
    client.force_login(editor)
    response = client.post(changelist, {"action": "publish_selected", "_selected_action": [draft.pk]}, follow=True)
    assert "1 article published." in response.text
    draft.refresh_from_db()
    assert draft.is_public
    client.post(changelist, {"action": "unpublish_selected", "_selected_action": [live.pk]})
    live.refresh_from_db()
    assert live.status == Article.Status.DRAFT


@pytest.mark.parametrize(
    ("action", "chosen", "already", "done"),
    [
        ("publish_selected", Article.Status.DRAFT, Article.Status.PUBLISHED, "1 article published."),
        ("unpublish_selected", Article.Status.PUBLISHED, Article.Status.DRAFT, "1 article unpublished."),
    ],
)
def test_a_bulk_action_passes_over_the_articles_already_where_it_puts_them_without_a_word(
    client, editor, make_article, action, chosen, already, done
):
    # Found by a review: every article selected with the others got its own warning ("“A” is already published."),
    # where WordPress, and the comment list, say nothing of them.
    selected = [make_article(status=chosen), *(make_article(status=already) for _ in range(3))]
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [article.pk for article in selected]},
        follow=True,
    )
    assert [str(message) for message in response.context["messages"]] == [done]


def test_the_articles_a_bulk_action_refuses_are_named_in_one_message(client, editor, make_article):
    make_article(title="Unsigned one")
    make_article(title="Unsigned two")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "mark_reviewed_today", "_selected_action": list(Article.objects.values_list("pk", flat=True))},
        follow=True,
    )
    [refused] = [str(message) for message in response.context["messages"]]
    assert refused.startswith("Not changed: ")
    assert (
        "“Unsigned one” has no medical reviewer yet." in refused
        and "“Unsigned two” has no medical reviewer yet." in refused
    )


@pytest.mark.parametrize("who", ["its author", "an editor", "a superuser"])
def test_an_article_with_comments_and_likes_is_deleted_with_them(
    client, author, editor, make_user, make_article, make_comment, reader, who
):
    # Found by a review: its comments and likes asked for their own right to be deleted, which nobody has.
    article = make_article(author=author, title="Out there")
    make_comment(article=article, body="Thank you.")
    Like.objects.create(article=article, user=reader)
    client.force_login(
        {"its author": author, "an editor": editor}.get(who) or make_user(is_staff=True, is_superuser=True)
    )
    delete = reverse("admin:articles_article_delete", args=[article.pk])
    page = client.get(delete).text
    assert "your account doesn't have permission to delete" not in page
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Comment.objects.exists() and not Like.objects.exists()


def test_publishing_a_scheduled_article_from_the_list_says_when_it_comes_out(client, editor, make_article):
    # Found by a review: it said "already published" of an article readers cannot see yet.
    when = timezone.now() + datetime.timedelta(days=3)
    scheduled = make_article(title="Coming soon", published_at=when)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [scheduled.pk]},
        follow=True,
    )
    shown = formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")
    assert f"“Coming soon” is scheduled for {shown}: to publish it now, set its date to now." in response.text
    assert "already published" not in response.text


def test_publishing_a_draft_dated_to_come_says_it_is_scheduled_and_its_revision_too(client, editor, make_article):
    # Found by a review: "1 article published." of an article readers cannot see yet, and "Published" in its revisions.
    draft = make_article(title="Coming soon", status=Article.Status.DRAFT)
    Article.objects.filter(pk=draft.pk).update(published_at=timezone.now() + datetime.timedelta(days=2))
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "1 article scheduled." in response.text and "1 article published." not in response.text
    draft.refresh_from_db()
    assert draft.is_scheduled
    revisions = client.get(reverse("admin:articles_article_revisions", args=[draft.pk])).text
    assert "<td>Scheduled</td>" in revisions


def test_saving_an_article_published_with_a_date_to_come_says_it_is_scheduled_and_until_when(client, author):
    # Found by a review: "The article “…” was added successfully." and nothing more, with "Published" chosen, while
    # readers cannot see it yet; the list's Publish action says "scheduled", as WordPress's "Post scheduled for…".
    when = timezone.localtime() + datetime.timedelta(days=2)
    client.force_login(author)
    response = add_article(
        client, title="Coming soon", published_at_0=f"{when:%Y-%m-%d}", published_at_1=f"{when:%H:%M:%S}"
    )
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    shown = formats.date_format(when.replace(microsecond=0), "DATETIME_FORMAT")
    assert f"“Coming soon” is scheduled for {shown}: readers see it from then." in messages
    assert Article.objects.get().is_scheduled


def test_saving_an_article_readers_see_says_nothing_of_a_schedule(client, author):
    client.force_login(author)
    response = add_article(client)
    assert not [message for message in get_messages(response.wsgi_request) if "scheduled" in str(message)]


def test_article_list_shows_title_state_author_and_date(client, editor, make_article):
    make_article(title="Listed", status=Article.Status.DRAFT)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_changelist")).text
    assert "Listed" in page
    assert "Draft" in page
    assert "Writer" in page


@pytest.mark.parametrize("day", ["9999-12-31", "9999-01-01", "0001-01-01"])
def test_a_publish_date_in_the_year_9999_or_1_is_refused_with_a_clear_message(client, author, day, settings):
    # Found by a review: the year 1's first hours east of UTC fall before any date Python holds (a 500).
    settings.TIME_ZONE = "Asia/Tokyo"
    client.force_login(author)
    response = add_article(client, published_at_0=day, published_at_1="00:30:00")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["published_at"] == [
        "Choose a publish date between the years 2 and 9998."
    ]
    assert not Article.objects.exists()


def test_an_article_may_be_dated_in_the_year_9998(client, author):
    client.force_login(author)
    assert add_article(client, published_at_0="9998-12-31", published_at_1="12:00:00").status_code == 302


@pytest.mark.parametrize(
    "narrowed",
    [
        {"published_at__year": "9999"},
        {"published_at__year": "9999", "published_at__month": "12"},
        {"published_at__year": "9999", "published_at__month": "12", "published_at__day": "31"},
    ],
    ids=["year", "month", "day"],
)
def test_the_article_list_opens_whole_when_its_date_bar_is_narrowed_to_the_year_9999(
    client, editor, make_article, narrowed
):
    # Dated so before the form refused it: the date bar offers the year 9999, and Django looks for the one after.
    make_article(title="Parked", published_at=datetime.datetime(9999, 12, 31, 12, tzinfo=datetime.UTC))
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")
    assert "published_at__year=9999" in client.get(changelist).text

    response = client.get(changelist, narrowed, follow=True)

    assert response.status_code == 200
    assert "Parked" in response.text


def test_duplicate_slug_is_a_form_error_not_a_crash(client, author, make_article):
    make_article(slug="same-slug")
    client.force_login(author)
    response = add_article(client, slug="same-slug")
    assert response.status_code == 200
    assert "Another article already uses this slug" in response.text
    assert Article.objects.filter(slug="same-slug").count() == 1


def test_author_sees_the_cleaned_body_and_what_was_removed(client, author):
    client.force_login(author)
    response = add_article(
        client,
        slug="risky",
        body='<p onclick="steal()">Hi</p><script>alert(1)</script><img src=x alt="" onerror=alert(2)>',
    )
    article = Article.objects.get(slug="risky")
    assert article.body_html == '<p>Hi</p><img alt="">'
    assert response["Location"] == change_url(article)
    page = client.get(response["Location"]).text
    assert "Removed from the published body" in page
    assert "&lt;script&gt;" in page
    assert "onclick" in page
    assert "&lt;p&gt;Hi&lt;/p&gt;&lt;img alt=&quot;&quot;&gt;" in page  # the body as published, shown as source


def references(*rows: tuple[str, str]) -> dict:
    """The references table of the article form, with these (number, citation) rows."""
    data = {"references-TOTAL_FORMS": str(len(rows)), "references-INITIAL_FORMS": "0"}
    for index, (number, citation) in enumerate(rows):
        data |= {f"references-{index}-number": number, f"references-{index}-citation": citation}
    return data


def test_the_writer_is_told_of_a_citation_the_references_do_not_list(client, author):
    client.force_login(author)
    body = "<p>Injections help [1], most of the time [3], and for months [4].</p><p><code>[5]</code> is code.</p>"
    response = add_article(client, slug="cites", body=body, **references(("1", "Smith J. Facial nerve. 2020.")))
    article = Article.objects.get(slug="cites")
    assert response["Location"] == change_url(article)  # kept on the article, to see what is meant
    page = client.get(response["Location"]).text
    assert "The text cites [3], [4], which the references do not list: their links lead nowhere." in page


def test_references_saved_with_the_text_that_cites_them_need_no_warning(client, author):
    client.force_login(author)
    response = add_article(
        client,
        slug="cites",
        body="<p>Injections help [2] and [1].</p>",
        **references(("1", "Smith J. Facial nerve. 2020."), ("2", "Jones K. Spasm. 2021.")),
    )
    assert response["Location"] == reverse("admin:articles_article_changelist")
    assert "do not list" not in client.get(response["Location"]).text


def test_moderator_cannot_touch_articles(client, make_user, make_article):
    moderator = make_user(is_staff=True, groups=("Moderators",))
    article = make_article()
    client.force_login(moderator)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert client.get(change_url(article)).status_code == 403


def test_readers_accounts_are_not_offered_as_authors(client, editor, make_user):
    make_user(username="reader-abc", display_name="Just A Reader")
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_add")).text
    assert "Just A Reader" not in page
    assert "Edith Editor" in page
    changelist = client.get(reverse("admin:articles_article_changelist")).text
    assert "Just A Reader" not in changelist


def test_view_on_site_leads_only_to_what_the_staff_member_may_see_in_the_admin(client, make_user, make_article, editor):
    alice = make_user(is_staff=True, groups=("Authors",))
    bob = make_user(is_staff=True, groups=("Authors",))
    hers = make_article(author=alice, title="Alice's draft", slug="alices-draft", status="draft")
    his = make_article(author=bob, title="Bob's secret draft", slug="bobs-secret-draft", status="draft")
    article_type = ContentType.objects.get_for_model(Article).pk
    client.force_login(alice)
    assert client.get(reverse("admin:view_on_site", args=[article_type, hers.pk]))["Location"].endswith(
        "/alices-draft/"
    )
    refused = client.get(reverse("admin:view_on_site", args=[article_type, his.pk]))
    assert refused.status_code == 404
    assert "bobs-secret-draft" not in refused.get("Location", "") + refused.text
    client.force_login(editor)  # may edit everyone's articles
    assert client.get(reverse("admin:view_on_site", args=[article_type, his.pk]))["Location"].endswith(
        "/bobs-secret-draft/"
    )
