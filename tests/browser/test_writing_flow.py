"""An editor writes an article as in WordPress: the rich-text editor, a picture with alt text, a preview in a new
tab, a draft, publishing, restoring a revision; then a reader opens it. And autosave keeps what a closed tab had."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from articles.models import Article, Reference
from tests.browser.conftest import PageWatch, admin_log_in

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def a_photo() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (1200, 800), (200, 120, 90)).save(picture, "JPEG")
    return picture.getvalue()


def signed_in_editor(new_page, make_user) -> Page:
    make_user(username="edith", password="correct horse battery", is_staff=True, groups=("Editors",))
    admin = admin_log_in(new_page(), "edith")
    expect(admin.get_by_role("button", name="Log out")).to_be_visible()
    return admin


def save_and_continue(admin: Page) -> None:
    admin.get_by_role("button", name="Save and continue editing").click()
    expect(admin.locator(".messagelist")).to_contain_text("successfully")


def test_an_editor_writes_previews_publishes_and_restores_and_a_reader_sees_it(
    new_page, make_user, page_watches, live_server, assert_well_behaved, axe_source
):
    admin = signed_in_editor(new_page, make_user)
    admin.goto("/admin/articles/article/add/")
    expect(admin.get_by_role("textbox", name="Body")).to_be_visible()
    expect(admin.get_by_role("heading", name="Insert an image")).to_be_visible()
    # What this project adds to Django's form passes axe (Django's own select2 and inline widgets are theirs).
    admin.evaluate(axe_source)
    found = admin.evaluate(
        "() => axe.run({include: [['.prose-editor'], ['#insert-image'], ['.submit-row']]},"
        " {resultTypes: ['violations']})"
    )
    assert [
        violation["id"] for violation in found["violations"] if violation["impact"] in ("serious", "critical")
    ] == []
    admin.get_by_label("Title").fill("Living with hemifacial spasm")

    # Written in the editor, with its input rules, toolbar and dialogs: no HTML typed.
    body = admin.get_by_role("textbox", name="Body")
    body.click()
    admin.keyboard.type("## Symptoms\n")
    admin.keyboard.type("- spasms on one side of the face\n")
    admin.keyboard.type("excessive tearing\n\n")
    admin.keyboard.type("Read the NHS page\n")

    # A file that is not a picture is refused with the reason, and nothing typed is lost.
    admin.get_by_label("Picture", exact=True).set_input_files(
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"these are not pixels"}
    )
    admin.get_by_label("Alt text", exact=True).fill("A face with the left eye half closed")
    admin.get_by_role("button", name="Upload and insert").click()
    expect(admin.locator("#insert-image-status")).to_have_text(
        "Picture: This file is not a picture we can read (JPEG, PNG, GIF or WebP)."
    )
    expect(admin.get_by_label("Alt text", exact=True)).to_have_value("A face with the left eye half closed")
    expect(body.get_by_text("Read the NHS page")).to_be_visible()
    expect(body.locator("img")).to_have_count(0)

    # A picture, uploaded with its alt text, goes where the cursor is.
    admin.get_by_label("Picture", exact=True).set_input_files(
        {"name": "face.jpg", "mimeType": "image/jpeg", "buffer": a_photo()}
    )
    admin.get_by_label("Alt text", exact=True).fill("A face with the left eye half closed")
    admin.get_by_role("button", name="Upload and insert").click()
    expect(body.locator("img")).to_have_attribute("alt", "A face with the left eye half closed")

    # A link, from the toolbar's dialog on the words selected.
    body.get_by_text("Read the NHS page").click()
    admin.keyboard.press("End")
    for _ in range(len("NHS page")):
        admin.keyboard.press("Shift+ArrowLeft")
    admin.get_by_role("button", name="insert link").click()
    admin.get_by_role("textbox", name="URL").fill("https://www.nhs.uk/conditions/hemifacial-spasm/")
    admin.get_by_role("button", name="Update").click()
    expect(body.get_by_role("link", name="NHS page")).to_be_visible()
    typed = admin.locator("#id_body").input_value()
    assert "<h2>Symptoms</h2>" in typed and "<li><p>excessive tearing</p></li>" in typed
    assert '<a href="https://www.nhs.uk/conditions/hemifacial-spasm/"' in typed
    assert_well_behaved(admin)

    # The preview, in a new tab, is the page as readers will get it; nothing is saved.
    with admin.context.expect_page() as opened:
        admin.get_by_role("button", name="Preview").click()
    preview = opened.value
    page_watches[preview] = PageWatch(preview, origin=live_server.url)
    expect(preview.get_by_role("heading", level=1)).to_have_text("Living with hemifacial spasm")
    # "Preview of a new article" or, once an autosave made it a draft, "of unsaved changes": nothing saved either way.
    expect(preview.get_by_role("note")).to_contain_text("nothing is saved yet")
    expect(preview.get_by_role("heading", level=2, name="Symptoms")).to_be_visible()
    expect(preview.get_by_role("link", name="NHS page")).to_have_attribute(
        "href", "https://www.nhs.uk/conditions/hemifacial-spasm/"
    )
    expect(preview.get_by_role("img", name="A face with the left eye half closed")).to_be_visible()
    assert not Article.objects.exists()
    preview.close()

    # A draft first, then published.
    expect(admin.get_by_label("Status")).to_have_value("draft")
    save_and_continue(admin)
    admin.get_by_label("Status").select_option(label="Published")
    save_and_continue(admin)
    article = Article.objects.get()
    assert article.status == "published"

    # A later change, then the published revision restored.
    heading = body.get_by_role("heading", name="Symptoms")
    heading.click()
    admin.keyboard.press("End")
    admin.keyboard.type(" and signs")
    save_and_continue(admin)
    article.refresh_from_db()
    assert "<h2>Symptoms and signs</h2>" in article.body
    admin.get_by_role("link", name="Revisions").click()
    rows = admin.locator("#revision-list tbody tr")
    expect(rows).to_have_count(3)
    rows.nth(1).get_by_role("button", name="Restore this revision").click()
    expect(admin.locator(".messagelist")).to_contain_text("is restored")

    reader = new_page()
    reader.goto("/")
    reader.get_by_role("link", name="Living with hemifacial spasm", exact=True).click()
    expect(reader.get_by_role("heading", level=2, name="Symptoms", exact=True)).to_be_visible()
    expect(reader.locator(".entry-content li")).to_have_text(["spasms on one side of the face", "excessive tearing"])
    expect(reader.get_by_role("link", name="NHS page")).to_be_visible()
    picture = reader.get_by_role("img", name="A face with the left eye half closed")
    expect(picture).to_be_visible()
    # Offered in smaller sizes, with its size known before it loads.
    expect(picture).to_have_attribute("srcset", re.compile(r"/media/\S+ 480w"))
    expect(picture).to_have_attribute("width", "1200")
    assert_well_behaved(reader)


def test_a_picture_too_large_to_upload_is_refused_with_the_limit_and_nothing_typed_is_lost(
    new_page, make_user, settings
):
    # Found by a review: the shipped nginx refuses a body over 11 MB (a phone's photo) before the site reads it, and
    # the editor said "could not be uploaded; nothing else is lost. Try again.", which fails the same way each time.
    settings.IMAGE_UPLOAD_MAX_BYTES = 100_000
    admin = signed_in_editor(new_page, make_user)
    admin.goto("/admin/articles/article/add/")
    uploads = []
    admin.on("request", lambda request: uploads.append(request.url) if "/image/upload/" in request.url else None)
    admin.get_by_label("Alt text", exact=True).fill("A face with the left eye half closed")
    too_large = (
        "Picture: This file is larger than 97.7 KB, the most a picture can be. Make it smaller and upload it again."
    )

    admin.get_by_label("Picture", exact=True).set_input_files(
        {"name": "face.jpg", "mimeType": "image/jpeg", "buffer": bytes(100_001)}
    )
    admin.get_by_role("button", name="Upload and insert").click()
    expect(admin.locator("#insert-image-status")).to_have_text(too_large)
    assert uploads == []  # refused before it is sent

    # Sent, and refused by the front proxy with its own page (its limit is the form's, a little above the picture's).
    admin.route("**/admin/articles/image/upload/", lambda route: route.fulfill(status=413, body="<h1>413</h1>"))
    admin.get_by_label("Picture", exact=True).set_input_files(
        {"name": "face.jpg", "mimeType": "image/jpeg", "buffer": a_photo()}
    )
    admin.get_by_role("button", name="Upload and insert").click()
    expect(admin.locator("#insert-image-status")).to_have_text(too_large)
    expect(admin.get_by_label("Alt text", exact=True)).to_have_value("A face with the left eye half closed")


def test_autosave_keeps_a_new_article_as_a_draft_when_its_tab_is_closed(new_page, make_user, settings):
    settings.ARTICLE_AUTOSAVE_SECONDS = 1
    admin = signed_in_editor(new_page, make_user)
    admin.goto("/admin/articles/article/add/")
    admin.get_by_label("Title").fill("Notes on botulinum toxin")
    admin.get_by_role("textbox", name="Body").click()
    # At once, as a paste: typed key by key on a slow machine, the first autosave could come mid-sentence.
    admin.keyboard.insert_text("Injections every three months.")
    autosaved = admin.get_by_role("status").filter(has_text="Autosaved at")
    expect(autosaved).to_have_text(re.compile(r"Autosaved at \d{1,2}:\d{2}.*Nothing is published until you save\."))
    # The form now edits the draft the autosave made: saving it makes no second article.
    expect(admin).to_have_url(re.compile(r"/admin/articles/article/\d+/change/$"))
    admin.close()

    article = Article.objects.get()
    assert (article.title, article.status) == ("Notes on botulinum toxin", "draft")
    assert "Injections every three months." in article.body


def test_leaving_what_no_autosave_kept_yet_asks_first_and_saving_does_not(new_page, make_user, settings):
    settings.ARTICLE_AUTOSAVE_SECONDS = 3600  # no autosave comes in time
    admin = signed_in_editor(new_page, make_user)
    admin.goto("/admin/articles/article/add/")
    admin.get_by_label("Title").click()
    admin.keyboard.type("Unsaved thoughts")
    admin.get_by_role("textbox", name="Body").click()
    admin.keyboard.insert_text("Typed a moment ago.")
    with admin.expect_event("dialog") as asked:
        admin.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()  # the author stays, with what they typed
    expect(admin.get_by_label("Title")).to_have_value("Unsaved thoughts")
    save_and_continue(admin)  # saving leaves the page without asking
    assert Article.objects.get().title == "Unsaved thoughts"


def test_the_seed_article_opens_in_the_editor_and_saves_back_unchanged(new_page, make_user, seed):
    typed, published = seed.body, seed.body_html
    admin = signed_in_editor(new_page, make_user)
    admin.goto(f"/admin/articles/article/{seed.pk}/change/")
    body = admin.get_by_role("textbox", name="Body")
    expect(body.get_by_role("heading", level=2)).to_have_count(6)
    expect(body.get_by_role("listitem")).to_have_count(3)
    save_and_continue(admin)
    seed.refresh_from_db()
    assert (seed.body, seed.body_html) == (typed, published)


# What the article allowlist keeps and the toolbar has no button for: the editor keeps it through an edit.
KEPT_THROUGH_THE_EDITOR = [
    "<h5>Minor heading</h5>",
    "<h6>Smallest heading</h6>",
    '<p>The <abbr title="World Health Organization">WHO</abbr> says so in <cite>Facial nerve disorders</cite>.</p>',
    "<dl><dt>Spasm</dt><dd>A sudden, involuntary contraction.</dd></dl>",
    '<figure><img src="/static/img/icons/icon-512.png" alt="Icon"><figcaption>The site’s icon.</figcaption></figure>',
]


def test_markup_the_toolbar_has_no_button_for_survives_an_edit(new_page, make_user, make_article):
    article = make_article(title="Kept markup", body="<p>First paragraph.</p>" + "".join(KEPT_THROUGH_THE_EDITOR))
    admin = signed_in_editor(new_page, make_user)
    admin.goto(f"/admin/articles/article/{article.pk}/change/")
    body = admin.get_by_role("textbox", name="Body")
    body.get_by_text("First paragraph.").click()
    admin.keyboard.press("End")
    admin.keyboard.insert_text(" Typo fixed.")
    save_and_continue(admin)
    article.refresh_from_db()
    assert "<p>First paragraph. Typo fixed.</p>" in article.body
    for markup in KEPT_THROUGH_THE_EDITOR:
        assert markup in article.body_html, markup


def test_the_article_form_names_every_field_for_screen_readers(
    new_page, make_user, make_article, tag, assert_accessible
):
    """select2's boxes (categories, tags, featured image) and the references table had fields with no name."""
    writer = make_user(username="al", password="correct horse battery", is_staff=True, groups=("Authors",))
    article = make_article(author=writer)
    Reference.objects.create(article=article, number=1, citation="NHS: Hemifacial spasm", url="https://www.nhs.uk/")
    admin = admin_log_in(new_page(), "al")
    admin.goto(f"/admin/articles/article/{article.pk}/change/")
    assert_accessible(admin)
    expect(admin.get_by_role("checkbox", name="Delete")).to_have_count(1)  # the saved reference's row
    # Choosing a tag makes select2's search field again: the new one is named too.
    admin.get_by_role("searchbox", name="Tags").fill("Ner")
    admin.get_by_role("option", name="Nerves").click()
    expect(admin.get_by_role("searchbox", name="Tags")).to_have_count(1)
    assert_accessible(admin)
    # A one-choice box searches in a dropdown of its own at the end of the page. (While it is open, select2's own
    # ARIA is incomplete, a combobox's attributes and a listbox still loading: Django's, not checked here.)
    admin.get_by_role("combobox", name=re.compile("Featured image")).click()
    expect(admin.get_by_role("searchbox", name="Featured image")).to_be_visible()
    expect(admin.get_by_role("textbox", name="Citation").first).to_have_value("NHS: Hemifacial spasm")


def test_an_editor_writes_a_page_with_a_picture_in_the_same_editor_and_readers_find_it_in_the_footer(
    new_page, make_user, assert_well_behaved
):
    admin = signed_in_editor(new_page, make_user)
    admin.goto("/admin/articles/page/add/")
    admin.get_by_label("Title").press_sequentially("Editorial policy")  # typed: the slug follows each key
    expect(admin.get_by_label("Slug")).to_have_value("editorial-policy")
    body = admin.get_by_role("textbox", name="Body")
    body.click()
    admin.keyboard.type("## Who checks our articles\n")
    admin.keyboard.type("A doctor reviews every article.\n")
    admin.get_by_label("Picture", exact=True).set_input_files(
        {"name": "team.jpg", "mimeType": "image/jpeg", "buffer": a_photo()}
    )
    admin.get_by_label("Alt text", exact=True).fill("Our three reviewing doctors")
    admin.get_by_role("button", name="Upload and insert").click()
    expect(body.locator("img")).to_have_attribute("alt", "Our three reviewing doctors")
    admin.get_by_label("Published").check()
    admin.get_by_label("Linked in the footer").check()
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("successfully")
    assert_well_behaved(admin)

    reader = new_page()
    reader.goto("/")
    reader.get_by_role("navigation", name="About this site").get_by_role("link", name="Editorial policy").click()
    expect(reader.get_by_role("heading", level=2, name="Who checks our articles")).to_be_visible()
    expect(reader.get_by_role("img", name="Our three reviewing doctors")).to_be_visible()
    assert_well_behaved(reader)
