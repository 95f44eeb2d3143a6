"""Writing an article in the admin: the rich-text editor, pictures' alt text, a preview of unsaved changes in a new
tab, and autosave that publishes nothing."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.models import Article, Revision
from articles.services import seed_article_load
from tests.articles.admin_forms import NO_REFERENCES, change_form_data, change_url
from tests.articles.test_images import library_image

pytestmark = pytest.mark.django_db


def preview_url(article=None) -> str:
    return reverse("admin:articles_article_preview", args=[article.pk if article else "add"])


def autosave_url(article=None) -> str:
    return reverse("admin:articles_article_autosave", args=[article.pk if article else "add"])


@pytest.fixture
def own_article(make_article, author):
    return make_article(author=author, title="Facial spasm", body="<p>Injections every three months.</p>")


def new_article_form(**fields) -> dict:
    return {
        "title": "Living with a twitch",
        "slug": "living-with-a-twitch",
        "body": "<h2>Day to day</h2><p>Sleep helps.</p>",
        "excerpt": "",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "comments_open": "on",
        **NO_REFERENCES,
        **fields,
    }


# ---- The editor -------------------------------------------------------------------


def test_the_body_is_written_in_the_rich_text_editor_served_by_the_site(client, author, own_article):
    client.force_login(author)
    response = client.get(change_url(own_article))
    page = response.text
    assert "data-django-prose-editor-article=" in page
    assert '<script type="importmap"' in page
    assert "/static/js/article-editor.js" in page
    assert "https://" not in page.split("<body")[0]  # nothing from another site
    # The import map is the one inline script, allowed by this personal page's nonce; styles stay 'self'.
    policy = response.headers["Content-Security-Policy"]
    assert "'nonce-" in policy.split("script-src")[1].split(";")[0]
    assert "unsafe-inline" not in policy
    assert "style-src 'self'" in policy


def test_pages_readers_share_carry_no_nonce(client, own_article):
    policy = client.get(own_article.get_absolute_url()).headers["Content-Security-Policy"]
    assert "nonce" not in policy


def test_the_seed_article_saves_back_unchanged_when_the_form_is_saved_as_opened(client, editor):
    article, _ = seed_article_load()
    typed, published, author = article.body, article.body_html, article.author
    client.force_login(editor)
    # Its author, who is not staff, is offered by the form, so saving keeps them.
    page = client.get(change_url(article)).text
    assert f'<option value="{author.pk}" selected>' in page
    response = client.post(change_url(article), change_form_data(article))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.body, article.body_html, article.author) == (typed, published, author)


def test_markup_outside_the_allowlist_is_cleaned_and_the_author_told(client, author, own_article):
    client.force_login(author)
    body = '<p onclick="steal()">Hello</p><script>alert(1)</script><iframe src="https://x.example"></iframe>'
    response = client.post(change_url(own_article), change_form_data(own_article, author=None, body=body), follow=True)
    own_article.refresh_from_db()
    assert own_article.body_html == "<p>Hello</p>"
    text = response.text
    assert "Removed from the published body" in text
    assert "&lt;script&gt;" in text and "&lt;iframe&gt;" in text and "the onclick attribute of &lt;p&gt;" in text


# ---- Alt text ---------------------------------------------------------------------


def test_a_picture_without_alt_text_cannot_be_saved_and_nothing_typed_is_lost(client, author, own_article):
    client.force_login(author)
    body = '<p>Before</p><img src="/media/images/face.jpg"><p>After</p>'
    response = client.post(change_url(own_article), change_form_data(own_article, author=None, body=body))
    assert response.status_code == 200
    assert "A picture has no alt text (/media/images/face.jpg)" in response.text
    assert "&lt;p&gt;Before&lt;/p&gt;&lt;img src=&quot;/media/images/face.jpg&quot;&gt;" in response.text
    own_article.refresh_from_db()
    assert own_article.body == "<p>Injections every three months.</p>"


@pytest.mark.parametrize("image", ['<img src="/media/a.jpg" alt="">', '<img src="/media/a.jpg" alt="A face">'])
def test_a_picture_with_alt_text_or_marked_decorative_is_saved(client, author, own_article, image):
    client.force_login(author)
    response = client.post(change_url(own_article), change_form_data(own_article, author=None, body=image))
    assert response.status_code == 302
    own_article.refresh_from_db()
    assert own_article.body == image


# ---- Preview ----------------------------------------------------------------------


def test_a_preview_shows_unsaved_changes_as_readers_would_see_them_and_saves_nothing(client, author, own_article):
    client.force_login(author)
    saved_at = own_article.updated_at
    data = change_form_data(own_article, author=None, title="Hemifacial spasm", body="<p>Surgery can help.</p>")
    response = client.post(preview_url(own_article), data)
    assert response.status_code == 200
    page = response.text
    assert '<h1 class="entry-title">Hemifacial spasm</h1>' in page
    assert "<p>Surgery can help.</p>" in page
    assert "Preview of unsaved changes: nothing is saved yet, and readers see the last saved version." in page
    assert {"private", "no-store"} <= set(response.headers["Cache-Control"].split(", "))
    assert response.headers["X-Robots-Tag"] == "noindex"
    own_article.refresh_from_db()
    assert (own_article.title, own_article.updated_at) == ("Facial spasm", saved_at)
    assert not Revision.objects.filter(article=own_article).exists()
    # Readers still get the saved version.
    client.logout()
    assert "Surgery can help" not in client.get(own_article.get_absolute_url()).text


def test_a_new_article_is_previewed_before_it_was_ever_saved(client, author):
    client.force_login(author)
    response = client.post(preview_url(), new_article_form())
    assert response.status_code == 200
    assert "<h2>Day to day</h2>" in response.text
    # Not "readers see the last saved version": there is none.
    assert "Preview of a new article: nothing is saved yet, and readers cannot see it." in response.text
    assert "last saved version" not in response.text
    assert not Article.objects.exists()


def test_a_preview_cleans_the_body_as_saving_would(client, author, own_article):
    client.force_login(author)
    data = change_form_data(own_article, author=None, body='<p>Safe</p><script>alert("x")</script>')
    page = client.post(preview_url(own_article), data).text
    assert "<script>alert" not in page


def test_a_preview_of_a_form_with_errors_says_what_to_correct(client, author):
    client.force_login(author)
    response = client.post(preview_url(), new_article_form(title=""))
    assert response.status_code == 200
    assert "The preview cannot be shown yet" in response.text
    assert "Title: This field is required." in response.text


def test_only_who_may_edit_the_article_previews_it(client, make_user, make_article, own_article):
    other_author = make_user(is_staff=True, groups=("Authors",))
    client.force_login(other_author)
    assert client.post(preview_url(own_article), change_form_data(own_article)).status_code == 404
    reader = make_user()
    client.force_login(reader)
    response = client.post(preview_url(own_article), change_form_data(own_article))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_preview_is_only_sent_by_the_form(client, author, own_article):
    client.force_login(author)
    assert client.get(preview_url(own_article)).status_code == 405


def test_the_change_form_offers_preview_in_a_new_tab(client, author, own_article):
    client.force_login(author)
    page = client.get(change_url(own_article)).text
    assert f'formaction="{preview_url(own_article)}" formtarget="_blank"' in page


# ---- Autosave ---------------------------------------------------------------------


def test_autosave_of_a_saved_article_keeps_what_is_typed_and_changes_nothing_readers_see(client, author, own_article):
    client.force_login(author)
    data = change_form_data(own_article, author=None, body="<p>Half a thought</p>")
    response = client.post(autosave_url(own_article), data)
    assert response.status_code == 200 and response.json()["saved"] is True
    own_article.refresh_from_db()
    assert own_article.body == "<p>Injections every three months.</p>"
    autosave = Revision.objects.get(article=own_article, autosave=True)
    assert (autosave.body, autosave.saved_by) == ("<p>Half a thought</p>", author)
    # Autosaving again replaces it: one per writer.
    client.post(autosave_url(own_article), {**data, "body": "<p>A whole thought</p>"})
    assert list(Revision.objects.filter(article=own_article, autosave=True).values_list("body", flat=True)) == [
        "<p>A whole thought</p>"
    ]


def test_an_autosave_of_text_with_a_nul_character_keeps_the_rest(client, author, own_article):
    # Found by QA: a NUL pasted from another program (which forms refuse, as PostgreSQL does) made the autosave a 500.
    client.force_login(author)
    data = change_form_data(own_article, author=None, title="Pasted\x00 title", body="<p>Half\x00 a thought</p>")
    response = client.post(autosave_url(own_article), data)
    assert response.status_code == 200 and response.json()["saved"] is True
    autosave = Revision.objects.get(article=own_article, autosave=True)
    assert (autosave.title, autosave.body) == ("Pasted title", "<p>Half a thought</p>")


def test_an_autosave_newer_than_the_article_is_offered_back_when_it_is_opened_again(client, author, own_article):
    client.force_login(author)
    client.post(autosave_url(own_article), change_form_data(own_article, author=None, body="<p>Unsaved</p>"))
    page = client.get(change_url(own_article)).text
    assert "You have an autosave of this article from" in page
    assert reverse("admin:articles_article_revisions", args=[own_article.pk]) in page
    # Restoring it is restoring a revision: the article gets the autosaved body.
    autosave = Revision.objects.get(article=own_article, autosave=True)
    restore = reverse("admin:articles_article_revision_restore", args=[own_article.pk, autosave.pk])
    client.post(restore)
    own_article.refresh_from_db()
    assert own_article.body == "<p>Unsaved</p>"


def test_saving_the_article_puts_the_autosave_behind(client, author, own_article):
    client.force_login(author)
    client.post(autosave_url(own_article), change_form_data(own_article, author=None, body="<p>Draft words</p>"))
    client.post(change_url(own_article), change_form_data(own_article, author=None, body="<p>Final words</p>"))
    assert not Revision.objects.filter(article=own_article, autosave=True).exists()
    assert "You have an autosave" not in client.get(change_url(own_article)).text


def test_the_first_autosave_of_a_new_article_makes_a_draft_even_if_published_was_chosen(client, author):
    client.force_login(author)
    response = client.post(autosave_url(), new_article_form(status="published"))
    assert response.status_code == 201
    article = Article.objects.get()
    assert (article.title, article.status, article.author) == ("Living with a twitch", "draft", author)
    answer = response.json()
    assert answer["change_url"] == change_url(article)
    assert answer["autosave_url"] == autosave_url(article)
    assert answer["opened_version"] == article.updated_at.isoformat()
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_an_autosave_that_cannot_be_kept_says_why(client, author):
    client.force_login(author)
    picture = '<p><img src="/media/a.jpg"></p>'
    response = client.post(autosave_url(), new_article_form(title="Only a title", slug="", body=picture))
    assert response.status_code == 400
    # What the editor's status line says: each message after the field it is about (a slug it does not need yet).
    assert response.json()["problems"].startswith("Body: A picture has no alt text (/media/a.jpg).")
    assert not Article.objects.exists()


def test_the_first_autosave_of_a_body_typed_before_the_title_keeps_a_draft_saving_asks_for_a_title(client, author):
    # WordPress keeps an autosave as soon as there is a title or content: a writer often pastes the body first.
    client.force_login(author)
    body = "<p>" + "Hemifacial spasm is an involuntary twitching of the face. " * 40 + "</p>"

    response = client.post(autosave_url(), new_article_form(title="", slug="", body=body))

    assert response.status_code == 201
    article = Article.objects.get()
    assert (article.title, article.body, article.status) == ("(no title)", body, "draft")
    assert response.json()["change_url"] == change_url(article)
    # The form, now the draft's, is saved for real with what the writer typed: a title is asked for.
    saved = client.post(change_url(article), change_form_data(article, title="", slug="", status="draft"))
    assert saved.status_code == 200
    assert set(saved.context["adminform"].form.errors) == {"title", "slug"}


@pytest.mark.parametrize(
    ("title", "why"),
    [
        ("Hemifacial spasm, what to expect" * 7, "Ensure this value has at most 200 characters (it has 224)."),
        ("Hemifacial\x00 spasm", "Null characters are not allowed."),
    ],
    ids=["too long", "pasted NUL"],
)
def test_the_first_autosave_of_a_title_that_cannot_be_kept_says_why_and_keeps_no_untitled_draft(
    client, author, title, why
):
    # Found by a review: the title was replaced with "(no title)" and the status line said "Autosaved": a writer who
    # closed the tab then found an untitled draft, their title gone. Only a title not typed yet is stood in for.
    client.force_login(author)

    response = client.post(autosave_url(), new_article_form(title=title, slug="hemifacial-spasm"))

    assert response.status_code == 400
    assert response.json()["problems"] == f"Title: {why}"
    assert not Article.objects.exists()


def test_a_draft_kept_before_it_was_named_opens_with_empty_title_and_slug_and_is_not_published_so(client, author):
    # Found by a review: reopened from the list, it showed "(no title)" and draft-<uuid>, which the admin's slug
    # filler never replaces, and published there.
    client.force_login(author)
    client.post(autosave_url(), new_article_form(title="", slug="", body="<p>Pasted first.</p>"))
    draft = Article.objects.get()
    form = client.get(change_url(draft)).context["adminform"].form
    assert (form.initial["title"], form.initial["slug"]) == ("", "")

    refused = client.post(change_url(draft), change_form_data(draft, status="published"))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {
        "title": ["Give the article its title before publishing it."],
        "slug": ["Give the article its own address before publishing it."],
    }
    assert Article.objects.get().status == "draft"
    named = change_form_data(draft, title="Living with hemifacial spasm", slug="living-with-it", status="published")
    assert client.post(change_url(draft), named).status_code == 302
    assert Article.objects.get().get_absolute_url().endswith("/living-with-it/")


def test_a_draft_kept_before_it_was_named_is_not_published_by_the_lists_publish_action(client, author):
    # Found by QA: the form refused it, but "Publish selected articles" in the list put "(no title)" on the site at
    # /YYYY/MM/DD/draft-<uuid>/.
    client.force_login(author)
    client.post(autosave_url(), new_article_form(title="", slug="", body="<p>Pasted first.</p>"))
    draft = Article.objects.get()

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )

    assert Article.objects.get().status == "draft"
    assert (
        "Not changed: “(no title)” has no title or address of its own yet: give them to it before publishing it."
        in [str(message) for message in response.context["messages"]]
    )


@pytest.mark.parametrize("title", ["עווית חצי פנים", "面肌痉挛"], ids=["hebrew", "chinese"])
def test_the_first_autosave_of_an_article_titled_in_another_script_keeps_a_draft(client, author, title):
    # The admin fills the slug in from the title with Django's URLify, which keeps no Hebrew or Chinese letters: the
    # slug box stays empty, as the form sends it.
    client.force_login(author)
    response = client.post(autosave_url(), new_article_form(title=title, slug=""))
    assert response.status_code == 201
    article = Article.objects.get()
    assert article.title == title
    assert article.slug.startswith("draft-")
    # A second new one has a slug of its own.
    assert client.post(autosave_url(), new_article_form(title=title, slug="")).status_code == 201
    assert Article.objects.values("slug").distinct().count() == 2


def test_only_who_may_edit_the_article_autosaves_it(client, make_user, own_article):
    client.force_login(make_user(is_staff=True, groups=("Authors",)))
    assert client.post(autosave_url(own_article), change_form_data(own_article)).status_code == 404
    assert not Revision.objects.filter(autosave=True).exists()


def test_the_revisions_page_shows_an_autosave_apart_from_the_current_version(client, author, own_article):
    client.force_login(author)
    client.post(change_url(own_article), change_form_data(own_article, author=None, title="Saved title"))
    own_article.refresh_from_db()
    client.post(autosave_url(own_article), change_form_data(own_article, author=None, title="Typed title"))
    page = client.get(reverse("admin:articles_article_revisions", args=[own_article.pk])).text
    assert "Restore this autosave" in page
    assert "Autosave, not saved to the article" in page
    assert "Current" in page


# ---- From review: what an autosave or a restore must not do ----------------------------


def test_an_autosave_that_would_break_the_article_cannot_be_restored_and_nothing_changes(client, author, own_article):
    client.force_login(author)
    data = change_form_data(own_article, author=None, title="", body='<img src="/media/nowhere.jpg">')
    client.post(autosave_url(own_article), data)
    autosave = Revision.objects.get(article=own_article, autosave=True)
    restore = reverse("admin:articles_article_revision_restore", args=[own_article.pk, autosave.pk])
    page = client.post(restore, follow=True).text
    assert "cannot be restored as it is, and nothing changed" in page
    assert "A picture has no alt text (/media/nowhere.jpg)" in page
    own_article.refresh_from_db()
    assert (own_article.title, own_article.body) == ("Facial spasm", "<p>Injections every three months.</p>")


def test_a_later_save_is_named_after_who_saved_not_after_ones_own_autosave(client, author, editor, own_article):
    client.force_login(author)
    opened = change_form_data(own_article, author=None, title="Mine")
    client.force_login(editor)
    client.post(change_url(own_article), change_form_data(own_article, title="Edith's"))
    client.force_login(author)
    client.post(autosave_url(own_article), opened)
    page = client.post(change_url(own_article), opened).text
    assert "Edith Editor saved this article at" in page
    assert "Alice Author saved" not in page


def test_a_writer_has_one_autosave_per_article_whatever_the_timing(author, own_article):
    Revision.objects.create(article=own_article, saved_by=author, autosave=True, title="a", body="", status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.create(article=own_article, saved_by=author, autosave=True, title="b", body="", status="draft")
    Revision.keep_autosave(own_article, by=author, title="c", body="<p>c</p>", excerpt="")
    assert list(Revision.objects.filter(autosave=True).values_list("title", flat=True)) == ["c"]


def test_an_address_that_is_not_an_article_is_not_an_error(client, author, own_article):
    client.force_login(author)
    response = client.get(reverse("admin:articles_article_change", args=["abc"]))
    assert response.status_code == 302  # Django's "doesn't exist" message on the list
    compare = reverse("admin:articles_article_revisions_compare", args=[own_article.pk])
    assert client.get(compare, {"revision": ["x", "y"]}).status_code == 302


def test_a_library_picture_typed_without_alt_text_is_saved_with_the_librarys(
    client, author, own_article, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    image = library_image(author, alt_text="An eye half closed")
    client.force_login(author)
    body = f'<img src="{image.url}">'
    assert (
        client.post(change_url(own_article), change_form_data(own_article, author=None, body=body)).status_code == 302
    )
    own_article.refresh_from_db()
    assert 'alt="An eye half closed"' in own_article.body_html


def test_a_preview_rolls_back_the_references_it_saved(client, author, own_article):
    client.force_login(author)
    data = change_form_data(
        own_article,
        author=None,
        body="<p>As shown [1].</p>",
        **{
            "references-TOTAL_FORMS": "1",
            "references-0-number": "1",
            "references-0-citation": "Smith J. Facial nerve. 2020.",
            "references-0-url": "",
        },
    )
    page = client.post(preview_url(own_article), data).text
    assert "Smith J. Facial nerve. 2020." in page
    assert not own_article.references.exists()


def test_the_preview_of_a_draft_says_readers_cannot_see_it(client, author, own_article):
    own_article.status = Article.Status.DRAFT
    own_article.save()
    client.force_login(author)
    page = client.post(preview_url(own_article), change_form_data(own_article, author=None, status="draft")).text
    assert "Preview of unsaved changes: nothing is saved yet, and readers cannot see this article." in page
