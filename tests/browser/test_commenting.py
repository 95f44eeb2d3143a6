import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.conftest import admin_log_in

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

ARTICLE = "/2026/11/02/hemifacial-spasm/"


def test_guest_fixes_a_bad_email_without_retyping_and_sees_the_comment_awaiting_moderation(
    seed, page, assert_well_behaved, assert_accessible
):
    page.goto(ARTICLE)
    expect(page.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    expect(page.get_by_text("Fill in your details below or click an icon to log in:")).to_be_visible()
    page.get_by_label("Comment", exact=True).fill("Does Botox help with the twitching around the eye?")
    page.get_by_role("textbox", name="Email").fill("rita-at-example")
    page.get_by_role("textbox", name="Name").fill("Rita Reader")
    page.get_by_role("button", name="Post Comment").click()

    summary = page.locator("#comment-errors")
    expect(summary).to_contain_text("Please enter a valid email address")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Comment", exact=True)).to_have_value("Does Botox help with the twitching around the eye?")
    expect(page.get_by_role("textbox", name="Name")).to_have_value("Rita Reader")
    expect(page.get_by_role("textbox", name="Email")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.get_by_role("textbox", name="Email").fill("rita@example.com")
    page.get_by_role("button", name="Post Comment").click()

    comment = Comment.objects.get()
    expect(page).to_have_url(f"{ARTICLE}#comment-{comment.pk}")
    held = page.locator(f"#comment-{comment.pk}")
    expect(held).to_contain_text("Does Botox help with the twitching around the eye?")
    expect(held.get_by_role("status")).to_have_text("Your comment is awaiting moderation.")
    assert_accessible(page)
    assert_well_behaved(page)


def test_reply_moves_the_form_under_the_comment_and_appears_nested(
    seed, make_comment, page, assert_well_behaved, assert_accessible
):
    parent = make_comment(article=seed, author_name="Dr. Ana", body="Ask me anything about treatment.")
    # Rita was approved before, so her reply is published at once.
    make_comment(article=seed, author_name="Rita Reader", author_email="rita@example.com", body="Thanks!")

    page.goto(ARTICLE)
    page.locator(f"#comment-{parent.pk}").get_by_role("link", name="Reply to Dr. Ana").click()
    expect(page.get_by_role("heading", name="Leave a Reply to Dr. Ana")).to_be_visible()
    # With JavaScript the form moved under the comment, without a page load.
    expect(page.locator(f"#comment-{parent.pk} > #respond")).to_have_count(1)
    expect(page.get_by_label("Comment", exact=True)).to_be_focused()
    expect(page.get_by_role("link", name="Cancel reply")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Comment", exact=True).fill("How long does one injection last?")
    page.get_by_role("textbox", name="Email").fill("rita@example.com")
    page.get_by_role("textbox", name="Name").fill("Rita Reader")
    page.get_by_role("button", name="Post Comment").click()

    reply = Comment.objects.get(body="How long does one injection last?")
    assert reply.parent == parent and reply.status == Comment.Status.APPROVED
    expect(page.locator(f"#comment-{parent.pk} .children #comment-{reply.pk}")).to_contain_text(
        "How long does one injection last?"
    )
    assert_well_behaved(page)


def test_cancel_reply_puts_the_form_back(seed, make_comment, page):
    parent = make_comment(article=seed, author_name="Dr. Ana")
    page.goto(ARTICLE)
    page.get_by_role("link", name="Reply to Dr. Ana").click()
    page.get_by_role("link", name="Cancel reply").click()
    expect(page.get_by_role("heading", name="Leave a Reply", exact=True)).to_be_visible()
    expect(page.locator(f"#comment-{parent.pk} #respond")).to_have_count(0)
    expect(page.locator("#commentform input[name=parent]")).to_have_value("")


def test_a_name_written_right_to_left_keeps_its_direction_to_itself_in_the_thread_and_the_box(
    seed, make_comment, page, assert_well_behaved
):
    # Found by QA: a Hebrew or Arabic name took the words beside it into its direction. Each is isolated (<bdi>),
    # in the thread and in the title the box takes when Reply moves it under the comment (static/js/comments.js).
    name = "שרה כהן"
    parent = make_comment(article=seed, author_name=name)
    page.goto(ARTICLE)
    comment = page.locator(f"#comment-{parent.pk}")
    expect(comment.locator(".comment-author")).to_have_css("direction", "rtl")
    expect(comment.locator(".comment-date")).to_have_css("direction", "ltr")
    comment.get_by_role("link", name=f"Reply to {name}").click()
    expect(comment.locator("#respond")).to_have_count(1)
    title = page.locator("#reply-title .reply-title-text")
    expect(title).to_have_text(f"Leave a Reply to {name}")
    expect(title.locator("bdi")).to_have_text(name)
    expect(title.locator("bdi")).to_have_css("direction", "rtl")
    assert_well_behaved(page)


def test_moderator_approves_a_held_comment_in_the_admin_and_a_second_reader_then_sees_it(
    seed, new_page, make_user, make_comment, assert_well_behaved
):
    held = make_comment(
        article=seed,
        author_name="Rita Reader",
        body="Does Botox help with the twitching?",
        status=Comment.Status.PENDING,
        status_reason="first comment from this author",
    )
    make_user(username="mo", password="correct horse battery", is_staff=True, groups=("Moderators",))

    reader = new_page()
    reader.goto(ARTICLE)
    expect(reader.get_by_text("Does Botox help with the twitching?")).to_have_count(0)

    admin = new_page()
    admin_log_in(admin, "mo")
    expect(admin.locator("#pending-comments-module")).to_contain_text("1 comment awaiting moderation")
    admin.goto("/admin/comments/comment/?status=pending")
    row = admin.locator("#result_list tbody tr", has_text="Rita Reader")
    expect(row).to_contain_text("first comment from this author")
    row.get_by_role("button", name="Approve").click()
    expect(admin.locator(".messagelist")).to_contain_text("approved")
    assert_well_behaved(admin)

    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED
    reader.goto(ARTICLE)
    expect(reader.locator(f"#comment-{held.pk}")).to_contain_text("Does Botox help with the twitching?")
    expect(reader.get_by_role("heading", name="One thought on “hemifacial spasm”")).to_be_visible()
    expect(reader.get_by_text("Your comment is awaiting moderation.")).to_have_count(0)


def test_an_author_approves_a_held_comment_under_their_own_article_and_sees_no_other(
    seed, new_page, make_user, make_article, make_comment, assert_well_behaved
):
    author = make_user(username="alice", password="correct horse battery", is_staff=True, groups=("Authors",))
    own = make_article(title="Blepharospasm", author=author)
    held = make_comment(
        article=own, author_name="Rita Reader", body="Is it the same as a tic?", status=Comment.Status.PENDING
    )
    make_comment(article=seed, author_name="Sam Else", body="For the seed's author.", status=Comment.Status.PENDING)

    admin = new_page()
    admin_log_in(admin, "alice")
    admin.locator("#pending-comments-module").get_by_role("link", name="1 comment awaiting moderation").click()
    expect(admin.locator("#result_list tbody tr")).to_have_count(1)
    row = admin.locator("#result_list tbody tr", has_text="Rita Reader")
    row.get_by_role("button", name="Approve").click()
    expect(admin.locator(".messagelist")).to_contain_text("approved")
    expect(admin.get_by_text("Sam Else")).to_have_count(0)
    assert_well_behaved(admin)

    reader = new_page()
    reader.goto(own.get_absolute_url())
    expect(reader.locator(f"#comment-{held.pk}")).to_contain_text("Is it the same as a tic?")


def test_a_moderator_blocks_the_writer_of_a_comment_by_the_address_it_came_from(
    seed, new_page, make_user, make_comment, assert_well_behaved
):
    make_user(username="mo", password="correct horse battery", is_staff=True, groups=("Moderators",))
    make_comment(
        article=seed, author_name="Troll", author_email="troll@example.com", body="Buy my cure.", ip_address="127.0.0.1"
    )
    admin = new_page()
    admin_log_in(admin, "mo")
    admin.goto("/admin/comments/comment/")
    admin.locator("#result_list tbody tr", has_text="Troll").get_by_role("checkbox").check()
    admin.get_by_label("Action:").select_option(label="Block the writer of the selected comment…")
    admin.get_by_role("button", name="Run").click()
    expect(admin.get_by_text("Block Troll, the writer of the comment, by:")).to_be_visible()
    expect(admin.get_by_label("Email address")).to_have_value("troll@example.com")
    admin.get_by_role("link", name="the IP address 127.0.0.1").click()
    expect(admin.get_by_label("IP network")).to_have_value("127.0.0.1")
    expect(admin.get_by_label("Email address")).to_have_value("")
    admin.get_by_label("Reason").fill("Sells cures; changes email addresses.")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was added successfully")
    assert_well_behaved(admin)

    # The same writer, under another address: their comment goes to spam without a word (Discussion settings).
    reader = new_page()
    reader.goto(ARTICLE)
    reader.get_by_label("Comment", exact=True).fill("Buy my cure, again.")
    reader.get_by_role("textbox", name="Name").fill("Troll")
    reader.get_by_role("textbox", name="Email").fill("other@example.com")
    reader.get_by_role("button", name="Post Comment").click()
    expect(reader).to_have_url(ARTICLE)
    expect(reader.get_by_text("Buy my cure, again.")).to_have_count(0)
    assert Comment.objects.get(body="Buy my cure, again.").status == Comment.Status.SPAM


def test_a_guest_on_the_shared_page_gets_the_forms_start_time_when_they_start_typing(seed, page, assert_well_behaved):
    page.goto(ARTICLE)
    started = page.locator("#commentform input[name=started]")
    expect(started).to_have_value("")
    page.get_by_label("Comment", exact=True).focus()
    expect(started).not_to_have_value("")
    assert_well_behaved(page)
