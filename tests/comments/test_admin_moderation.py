import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from comments.models import Comment, DiscussionSettings, Report

pytestmark = pytest.mark.django_db

Status = Comment.Status
CHANGELIST = reverse("admin:comments_comment_changelist")


def moderate_url(comment: Comment, action: str) -> str:
    return reverse("admin:comments_comment_moderate", args=[comment.pk, action])


def run_action(client, action: str, *comments: Comment, status: str = ""):
    """Run a bulk action from the list, filtered by a status as a moderator would be to see these comments."""
    return client.post(
        f"{CHANGELIST}?status={status}" if status else CHANGELIST,
        {"action": action, "_selected_action": [comment.pk for comment in comments]},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def reload(comment: Comment) -> Comment:
    comment.refresh_from_db()
    return comment


# ---- The list ----------------------------------------------------------------
def test_the_status_filter_counts_the_comments_of_each_status(moderator_client, article, make_comment):
    for status, count in [(Status.PENDING, 3), (Status.APPROVED, 2), (Status.SPAM, 1)]:
        for _ in range(count):
            make_comment(article=article, status=status)
    text = moderator_client.get(CHANGELIST).text
    for label in ("All (5)", "Pending (3)", "Approved (2)", "Spam (1)", "Trash (0)"):
        assert label in text


def test_a_comment_counts_once_however_many_readers_reported_it(moderator_client, article, make_comment):
    # Found by a review: the list's query joins the reports (to count them), and the counts were made on it.
    reported = make_comment(article=article, status=Status.PENDING)
    for number in range(3):
        Report.objects.create(comment=reported, reason="spam", reporter_key=f"guest:{number}")
    text = moderator_client.get(CHANGELIST).text
    assert "Pending (1)" in text and "Pending (3)" not in text


def test_the_status_counts_are_of_the_article_the_list_is_filtered_to(moderator_client, make_article, make_comment):
    # The article list's "comments pending" link opens the list filtered to the article: its counts are the article's.
    mine, other = make_article(), make_article()
    make_comment(article=mine, status=Status.PENDING)
    make_comment(article=mine, status=Status.APPROVED)
    for _ in range(4):
        make_comment(article=other, status=Status.PENDING)
    text = moderator_client.get(CHANGELIST, {"status": "pending", "article__id__exact": mine.pk}).text
    assert "Pending (1)" in text and "Approved (1)" in text
    assert "Pending (5)" in moderator_client.get(CHANGELIST).text


def test_the_status_filter_lists_only_that_status(moderator_client, article, make_comment):
    make_comment(article=article, body="Waiting here.", status=Status.PENDING)
    make_comment(article=article, body="Already out.", status=Status.APPROVED)
    text = moderator_client.get(CHANGELIST, {"status": "pending"}).text
    assert "Waiting here." in text
    assert "Already out." not in text


def test_all_lists_the_pending_and_approved_comments_without_spam_or_trash(moderator_client, article, make_comment):
    for status in Status.values:
        make_comment(article=article, body=f"A {status} comment.", status=status)
    text = moderator_client.get(CHANGELIST).text
    assert "A pending comment." in text
    assert "A approved comment." in text
    assert "A spam comment." not in text
    assert "A trash comment." not in text


@pytest.mark.parametrize("status", [Status.SPAM, Status.TRASH])
def test_spam_and_trash_are_listed_under_their_own_filter(moderator_client, article, make_comment, status):
    make_comment(article=article, body="Out of the way.", status=status)
    make_comment(article=article, body="Still live.", status=Status.APPROVED)
    text = moderator_client.get(CHANGELIST, {"status": status}).text
    assert "Out of the way." in text
    assert "Still live." not in text


def test_the_list_shows_author_excerpt_article_status_with_reason_and_ip(moderator_client, article, make_comment):
    make_comment(
        article=article,
        body="<script>alert(1)</script>I have <b>twitching</b> eyelids & cheeks.",
        author_name="Rita Reader",
        status=Status.PENDING,
        status_reason="first comment from this author",
        ip_address="203.0.113.7",
    )
    text = moderator_client.get(CHANGELIST).text
    for expected in ("Rita Reader", "Hemifacial spasm", "first comment from this author", "203.0.113.7"):
        assert expected in text
    assert "I have twitching eyelids &amp; cheeks." in text
    assert "<script>alert(1)" not in text


def test_sorting_by_author_sorts_by_the_names_the_list_shows(moderator_client, article, make_comment, make_user):
    # A member's comment shows the account's name as it is now, which the name kept with the comment (as it was when
    # they posted) may no longer be; a staff account without a public name shows the site's.
    renamed = make_user(display_name="Zoe Zimmer")
    make_comment(article=article, user=renamed, author_name="Zoe Zimmer", author_email=renamed.email)
    renamed.display_name = "Aaron Adams"
    renamed.save()
    make_comment(article=article, author_name="Mary Miller")
    staff = make_user(is_staff=True)
    make_comment(article=article, user=staff, author_name="Leave a Reply", author_email=staff.email)
    named = make_user(first_name="Bea", last_name="Brown")
    make_comment(article=article, user=named, author_name="Bea Brown", author_email=named.email)

    def shown_sorted_by_author(order: str) -> list[str]:
        listed = moderator_client.get(CHANGELIST, {"o": order}).context["cl"].result_list
        return [comment.author_display_name for comment in listed]

    ascending = ["Aaron Adams", "Bea Brown", "Leave a Reply", "Mary Miller"]
    assert shown_sorted_by_author("1") == ascending
    assert shown_sorted_by_author("-1") == ascending[::-1]


@pytest.mark.parametrize(
    ("term", "field"),
    [("twitching", "body"), ("Rita", "author_name"), ("rita@example.org", "author_email"), ("203.0.113", "ip")],
)
def test_search_finds_comments_by_text_name_email_and_ip(moderator_client, article, make_comment, term, field):
    make_comment(
        article=article,
        body="My eyelid is twitching.",
        author_name="Rita Reader",
        author_email="rita@example.org",
        ip_address="203.0.113.7",
    )
    make_comment(article=article, body="Something else.", author_name="Sam", ip_address="198.51.100.1")
    text = moderator_client.get(CHANGELIST, {"q": term}).text
    assert "My eyelid is twitching." in text
    assert "Something else." not in text


def test_search_finds_a_members_comment_by_the_name_the_list_shows(moderator_client, article, make_comment, make_user):
    # Found by a review: the list shows the account's name as it is now, and the search looked only at the name kept
    # with the comment, as it was when they posted: the name the moderator read found nothing.
    renamed = make_user(display_name="Zoe Zimmer")
    make_comment(article=article, user=renamed, author_name="Zoe Zimmer", body="My eyelid is twitching.")
    renamed.display_name = "Aaron Adams"
    renamed.save()
    make_comment(article=article, body="Something else.", author_name="Sam")
    text = moderator_client.get(CHANGELIST, {"q": "Aaron"}).text
    assert "My eyelid is twitching." in text
    assert "Something else." not in text


# ---- Bulk actions --------------------------------------------------------------
@pytest.mark.parametrize(
    ("action", "before", "after"),
    [
        ("approve_selected", Status.PENDING, Status.APPROVED),
        ("unapprove_selected", Status.APPROVED, Status.PENDING),
        ("spam_selected", Status.PENDING, Status.SPAM),
        ("trash_selected", Status.APPROVED, Status.TRASH),
        ("restore_selected", Status.TRASH, Status.PENDING),
        ("restore_selected", Status.SPAM, Status.PENDING),
    ],
)
def test_each_bulk_action_moves_the_selected_comments(
    moderator_client, moderator, article, make_comment, action, before, after
):
    comments = [make_comment(article=article, status=before) for _ in range(2)]
    untouched = make_comment(article=article, status=before)
    response = run_action(moderator_client, action, *comments, status=before)
    assert [reload(comment).status for comment in comments] == [after, after]
    assert reload(comments[0]).status_changed_by == moderator
    assert reload(untouched).status == before
    assert any(message.startswith("2 comments") for message in messages_of(response))


@pytest.mark.parametrize("removal", ["trash_selected", "spam_selected"])
@pytest.mark.parametrize("before", [Status.APPROVED, Status.PENDING])
def test_restore_gives_back_the_status_before_the_spam_or_trash_as_wordpress(
    moderator_client, article, make_comment, removal, before
):
    # Found by a review: a published comment trashed by mistake came back held, off the page.
    comment = make_comment(article=article, status=before)
    run_action(moderator_client, removal, comment, status=before)
    run_action(moderator_client, "restore_selected", comment, status=reload(comment).status)
    assert reload(comment).status == before
    assert reload(comment).restore_to == ""


def test_restore_from_trash_after_spam_gives_back_the_status_before_the_spam(moderator_client, article, make_comment):
    comment = make_comment(article=article, status=Status.APPROVED)
    run_action(moderator_client, "spam_selected", comment, status=Status.APPROVED)
    run_action(moderator_client, "trash_selected", comment, status=Status.SPAM)
    run_action(moderator_client, "restore_selected", comment, status=Status.TRASH)
    assert reload(comment).status == Status.APPROVED


def test_a_comment_its_writer_deleted_is_restored_to_pending_not_published(
    client, article, post_comment, moderator_client
):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"require_previous_approval": False})
    post_comment(client, article, comment="I take this back.")
    mine = Comment.objects.get()
    assert mine.status == Status.APPROVED
    client.post(reverse("comments:delete", args=[mine.pk]))
    assert reload(mine).status == Status.TRASH
    run_action(moderator_client, "restore_selected", mine, status=Status.TRASH)
    assert reload(mine).status == Status.PENDING


def test_the_articles_author_is_told_of_a_comment_once_however_often_it_is_put_back(
    moderator_client, article, writer, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    held = make_comment(article=article, status=Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        run_action(moderator_client, "approve_selected", held, status=Status.PENDING)
        run_action(moderator_client, "trash_selected", held, status=Status.APPROVED)
        run_action(moderator_client, "restore_selected", held, status=Status.TRASH)
        run_action(moderator_client, "unapprove_selected", held, status=Status.APPROVED)
        run_action(moderator_client, "approve_selected", held, status=Status.PENDING)
    assert reload(held).status == Status.APPROVED
    assert len([message for message in mailoutbox if message.to == [writer.email]]) == 1


def test_a_bulk_action_reports_what_changed_and_what_it_refused(moderator_client, article, make_comment):
    held = make_comment(article=article, status=Status.PENDING)
    published = make_comment(article=article, author_name="Already Out", status=Status.APPROVED)
    # What already has the status the action gives is passed over without a word, as WordPress (found by a review:
    # "This comment is pending; it cannot be moved to pending").
    response = run_action(moderator_client, "approve_selected", held, published)
    assert reload(held).status == Status.APPROVED
    assert messages_of(response) == ["1 comment approved."]
    response = run_action(moderator_client, "restore_selected", published)
    [refused] = messages_of(response)
    assert "Not changed" in refused and "Already Out" in refused and "cannot be moved to pending" in refused


@pytest.mark.parametrize("above", [Status.PENDING, Status.SPAM, Status.TRASH])
def test_approving_a_reply_under_a_comment_readers_do_not_see_says_they_do_not_see_it(
    moderator_client, article, make_comment, above
):
    # Found by a review: "1 comment approved." and nothing more, while the reply stays off the page with the comment
    # it answers (as WordPress shows it).
    question = make_comment(article=article, status=above)
    answer = make_comment(article=article, parent=question, author_name="Omar Ortiz", status=Status.PENDING)
    response = run_action(moderator_client, "approve_selected", answer, status=Status.PENDING)
    assert reload(answer).status == Status.APPROVED
    assert messages_of(response) == [
        "1 comment approved.",
        f"Readers do not see “Omar Ortiz on {article.title}” yet: a comment above it in its conversation is held, "
        "spam or in the trash.",
    ]


@pytest.mark.parametrize(
    ("action", "done"),
    [
        ("trash_selected", "1 comment moved to the trash."),
        ("spam_selected", "1 comment marked as spam."),
        ("unapprove_selected", "1 comment unapproved."),
    ],
)
def test_taking_a_comment_off_the_page_says_the_published_replies_under_it_go_with_it(
    moderator_client, article, make_comment, action, done
):
    # Found by a review: the whole conversation under it left the page without a word.
    question = make_comment(article=article)
    answer = make_comment(article=article, parent=question)
    make_comment(article=article, parent=answer)
    make_comment(article=article, parent=question, status=Status.PENDING)  # not on the page before either
    response = run_action(moderator_client, action, question, status=Status.APPROVED)
    assert messages_of(response) == [
        done,
        "2 published replies are off the page too: readers see them again once the comments above them are published.",
    ]


def test_taking_a_comment_without_replies_off_the_page_says_only_that(moderator_client, article, make_comment):
    response = run_action(moderator_client, "trash_selected", make_comment(article=article), status=Status.APPROVED)
    assert messages_of(response) == ["1 comment moved to the trash."]


def test_approving_a_reply_readers_see_says_only_that_it_is_approved(moderator_client, article, make_comment):
    question = make_comment(article=article)
    answer = make_comment(article=article, parent=question, status=Status.PENDING)
    response = moderator_client.post(moderate_url(answer, "approve"), follow=True)
    assert messages_of(response) == ["1 comment approved."]


@pytest.mark.parametrize("status", ["all", "Approved"])
def test_a_status_that_is_no_status_lists_what_all_lists(moderator_client, article, make_comment, status):
    live = [make_comment(article=article, status=Status.APPROVED), make_comment(article=article, status=Status.PENDING)]
    make_comment(article=article, status=Status.SPAM)
    listed = moderator_client.get(f"{CHANGELIST}?status={status}").context["cl"].result_list
    assert set(listed) == set(live)


def test_spam_and_trash_are_emptied_from_their_lists_and_nothing_else_goes(moderator_client, article, make_comment):
    spam = [make_comment(article=article, status=Status.SPAM) for _ in range(3)]
    trashed = make_comment(article=article, status=Status.TRASH)
    reply = make_comment(article=article, parent=trashed, body="A reply that stays.")
    published = make_comment(article=article, status=Status.APPROVED)
    # "Empty Spam": the spam list, every comment selected.
    response = moderator_client.post(
        f"{CHANGELIST}?status=spam",
        {"action": "delete_spam_and_trash", "select_across": "1", "_selected_action": [spam[0].pk]},
        follow=True,
    )
    assert "3 comments deleted permanently." in messages_of(response)
    assert not Comment.objects.filter(status=Status.SPAM).exists()
    response = run_action(moderator_client, "delete_spam_and_trash", trashed, status="trash")
    assert messages_of(response) == ["1 comment deleted permanently."]
    response = run_action(moderator_client, "delete_spam_and_trash", published, reply)
    assert messages_of(response) == ["2 comments kept: only spam and trash are deleted permanently."]
    assert set(Comment.objects.all()) == {reply, published}
    assert reload(reply).parent is None  # moved up, as when one comment is deleted


def test_a_bulk_action_changes_nothing_the_filtered_list_does_not_show(moderator_client, article, make_comment):
    spam = make_comment(article=article, status=Status.SPAM)
    run_action(moderator_client, "trash_selected", spam)
    assert reload(spam).status == Status.SPAM


# ---- One-click row actions ---------------------------------------------------
@pytest.mark.parametrize("status", [Status.SPAM, Status.TRASH])
def test_spam_and_trash_rows_offer_delete_permanently_as_wordpress(moderator_client, article, make_comment, status):
    comment = make_comment(article=article, status=status)
    delete_url = reverse("admin:comments_comment_delete", args=[comment.pk])
    assert f'href="{delete_url}">Delete permanently</a>' in moderator_client.get(CHANGELIST, {"status": status}).text
    moderator_client.post(delete_url, {"post": "yes"})
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_the_row_buttons_offer_only_what_the_status_allows(moderator_client, article, make_comment):
    held = make_comment(article=article, status=Status.PENDING)
    text = moderator_client.get(CHANGELIST).text
    assert f'formaction="{moderate_url(held, "approve")}"' in text
    assert f'formaction="{moderate_url(held, "trash")}"' in text
    assert f'formaction="{moderate_url(held, "unapprove")}"' not in text
    assert f'formaction="{moderate_url(held, "restore")}"' not in text


def test_one_click_approves_and_returns_to_the_filtered_list(moderator_client, moderator, article, make_comment):
    held = make_comment(article=article, status=Status.PENDING)
    came_from = f"{CHANGELIST}?status=pending"
    response = moderator_client.post(moderate_url(held, "approve"), HTTP_REFERER=came_from)
    assert response.status_code == 302
    assert response.url == came_from
    assert reload(held).status == Status.APPROVED
    assert held.status_changed_by == moderator


def test_a_row_action_never_returns_to_another_site(moderator_client, article, make_comment):
    held = make_comment(article=article, status=Status.PENDING)
    response = moderator_client.post(moderate_url(held, "trash"), HTTP_REFERER="https://evil.example/")
    assert response.url == CHANGELIST


def test_opening_a_row_action_only_asks_for_confirmation(moderator_client, article, make_comment):
    held = make_comment(article=article, body="Is surgery risky?", status=Status.PENDING)
    response = moderator_client.get(moderate_url(held, "mark_spam"))
    assert response.status_code == 200
    assert "Is surgery risky?" in response.text
    assert reload(held).status == Status.PENDING


def test_a_refused_row_action_is_reported_and_changes_nothing(moderator_client, article, make_comment):
    spam = make_comment(article=article, status=Status.SPAM)
    response = moderator_client.post(moderate_url(spam, "approve"), follow=True)
    assert any("cannot be moved to approved" in message for message in messages_of(response))
    assert reload(spam).status == Status.SPAM


def test_an_unknown_row_action_is_not_found(moderator_client, article, make_comment):
    comment = make_comment(article=article)
    assert moderator_client.post(moderate_url(comment, "delete")).status_code == 404


# ---- Editing -------------------------------------------------------------------
def edit(client, comment: Comment, **fields):
    data = {
        "body": comment.body,
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_url": comment.author_url,
        **fields,
    }
    return client.post(reverse("admin:comments_comment_change", args=[comment.pk]), data)


def test_editing_cleans_the_published_html_again_from_what_was_typed(moderator_client, article, make_comment):
    comment = make_comment(article=article, body="A fine comment.")
    response = edit(moderator_client, comment, body='See <a href="javascript:x">this</a> and <em>that</em>.')
    assert response.status_code == 302
    reload(comment)
    assert comment.body == 'See <a href="javascript:x">this</a> and <em>that</em>.'
    assert "javascript" not in comment.body_html
    assert "<em>that</em>" in comment.body_html


def test_an_edit_longer_than_a_comment_may_be_is_refused_and_what_was_typed_stays_in_the_form(
    moderator_client, article, make_comment
):
    # Found by QA: a reader's comment stops at 65,525 characters, as WordPress's; the admin's edit saved 70,000.
    comment = make_comment(article=article, body="A fine comment.")
    typed = "Longer. " * 8_749 + "Longer.!"

    response = edit(moderator_client, comment, body=typed)

    assert response.status_code == 200
    assert "The comment is too long: 70000 characters, the limit is 65525." in response.text
    assert response.context["adminform"].form["body"].value() == typed
    assert reload(comment).body == "A fine comment."


@pytest.mark.parametrize(
    ("typed_length", "saved"),
    [(60, True), (55, True), (40, True), (61, False)],
    ids=["unchanged", "shorter, still over the limit", "cut within the limit", "made longer"],
)
def test_a_comment_stored_longer_than_the_limit_is_saved_as_long_as_it_was_or_shorter(
    monkeypatch, moderator_client, article, make_comment, typed_length, saved
):
    # Stored before the limit was lowered: a moderator approving it or mending its name must not have to cut it.
    comment = make_comment(article=article, body="x" * 60, status=Status.PENDING)
    monkeypatch.setattr("comments.models.MAX_COMMENT_LENGTH", 50)

    response = edit(moderator_client, comment, body="x" * typed_length, author_name="Mended Name")

    assert (response.status_code == 302) is saved
    assert reload(comment).author_name == ("Mended Name" if saved else comment.author_name)
    assert len(comment.body) == (typed_length if saved else 60)


def test_a_comment_stored_longer_than_the_limit_is_saved_unchanged_as_a_browser_sends_its_line_breaks(
    monkeypatch, moderator_client, article, make_comment
):
    # Imported from WordPress, whose export gives line breaks as "\n": the text box sends each back as "\r\n".
    comment = make_comment(article=article, body="\n".join(["x" * 10] * 6), status=Status.PENDING)
    monkeypatch.setattr("comments.models.MAX_COMMENT_LENGTH", 50)

    response = edit(moderator_client, comment, body=comment.body.replace("\n", "\r\n"), author_name="Mended Name")

    assert response.status_code == 302
    assert reload(comment).author_name == "Mended Name"


def test_editing_only_the_name_saves_only_the_name(moderator_client, article, make_comment):
    comment = make_comment(article=article, body="Typed words.")
    # Stored HTML that cleaning the body again would replace.
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>Published before.</p>")
    edit(moderator_client, comment, author_name="Renamed")
    reload(comment)
    assert comment.author_name == "Renamed"
    assert comment.body_html == "<p>Published before.</p>"


def test_a_members_comment_shows_their_accounts_name_which_its_form_does_not_offer_to_change(
    moderator_client, article, make_comment, reader
):
    # Found by a review: the form saved another name, and readers kept seeing the account's.
    comment = make_comment(article=article, user=reader, author_name="Rita Reader", author_email=reader.email)
    form = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).text
    assert 'name="author_name"' not in form and 'name="author_url"' not in form
    response = moderator_client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]), {"body": comment.body, "author_name": "R. R."}
    )
    assert response.status_code == 302
    assert reload(comment).author_name == "Rita Reader"
    guest = make_comment(article=article, author_name="Guest")
    assert 'name="author_name"' in moderator_client.get(reverse("admin:comments_comment_change", args=[guest.pk])).text


def test_an_email_corrected_with_capitals_is_saved_lower_cased(moderator_client, article, make_comment):
    comment = make_comment(article=article)
    response = edit(moderator_client, comment, author_email="Rita.Reader@Example.COM")
    assert response.status_code == 302
    assert reload(comment).author_email == "rita.reader@example.com"


def test_the_edit_form_cannot_change_the_status_or_where_it_came_from(moderator_client, article, make_comment):
    comment = make_comment(article=article, status=Status.PENDING, ip_address="203.0.113.7")
    edit(moderator_client, comment, status="approved", ip_address="10.0.0.1", author_name="Renamed")
    reload(comment)
    assert comment.author_name == "Renamed"
    assert comment.status == Status.PENDING
    assert comment.ip_address == "203.0.113.7"


def test_the_change_page_links_to_the_moderation_actions_and_reply(moderator_client, article, make_comment):
    comment = make_comment(article=article, status=Status.PENDING)
    text = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).text
    assert f'href="{moderate_url(comment, "approve")}"' in text
    assert reverse("admin:comments_comment_reply", args=[comment.pk]) in text
    assert "Approve and Reply" in text


def test_comments_are_not_added_through_a_blank_admin_form(moderator_client):
    assert moderator_client.get(reverse("admin:comments_comment_add")).status_code == 403


# ---- Reply -------------------------------------------------------------------------
def reply(client, comment: Comment, body: str = "Thanks, we answer below."):
    return client.post(reverse("admin:comments_comment_reply", args=[comment.pk]), {"body": body})


def test_a_reply_from_the_admin_is_published_at_once_under_the_comment(
    moderator_client, moderator, article, make_comment
):
    question = make_comment(article=article, body="Is surgery risky?")
    response = reply(moderator_client, question)
    assert response.status_code == 302
    answer = Comment.objects.get(parent=question)
    assert answer.status == Status.APPROVED
    assert answer.user == moderator
    assert answer.thread == question
    assert answer.body == "Thanks, we answer below."


def test_replying_to_a_held_comment_approves_it_first(moderator_client, article, make_comment):
    question = make_comment(article=article, status=Status.PENDING)
    reply(moderator_client, question)
    assert reload(question).status == Status.APPROVED
    assert Comment.objects.get(parent=question).status == Status.APPROVED


def test_a_reply_under_a_comment_readers_do_not_see_is_not_said_to_be_published(
    moderator_client, article, make_comment
):
    # Found by a review: "Your reply is published." to a held comment's reply, approved first, while the comment it
    # answers is still held: neither is on the page.
    held = make_comment(article=article, status=Status.PENDING)
    question = make_comment(article=article, parent=held, status=Status.PENDING)
    response = moderator_client.post(
        reverse("admin:comments_comment_reply", args=[question.pk]), {"body": "We answer below."}, follow=True
    )
    assert reload(question).status == Status.APPROVED
    assert Comment.objects.get(parent=question).status == Status.APPROVED
    assert messages_of(response) == [
        "Your reply is saved, but readers do not see it yet: a comment above it in its conversation is held, spam or "
        "in the trash."
    ]


def test_an_empty_reply_keeps_the_form_and_approves_nothing(moderator_client, article, make_comment):
    question = make_comment(article=article, status=Status.PENDING)
    response = reply(moderator_client, question, body="  ")
    assert response.status_code == 200
    assert reload(question).status == Status.PENDING
    assert not Comment.objects.filter(parent=question).exists()


def test_a_rejected_reply_is_explained_and_rolls_back_the_approval(moderator_client, article, make_comment):
    question = make_comment(article=article, status=Status.PENDING)
    response = reply(moderator_client, question, body="Far too long. " * 5000)
    assert "The comment is too long" in response.text
    assert "Far too long." in response.text  # kept in the box
    assert reload(question).status == Status.PENDING


def test_a_moderator_replies_where_readers_no_longer_can_as_in_wordpress(moderator_client, make_article, make_comment):
    # Found by a review: under an article whose comments are closed, and below the deepest level of replies.
    closed = make_article(comments_open=False)
    question = make_comment(article=closed, body="Is surgery risky?")
    assert reply(moderator_client, question).status_code == 302
    assert Comment.objects.get(parent=question).status == Status.APPROVED
    deepest = DiscussionSettings.load().thread_depth
    open_article = make_article()
    parent = make_comment(article=open_article, body="Top.")
    for depth in range(2, deepest + 1):
        parent = make_comment(article=open_article, parent=parent, body=f"Depth {depth}.")
    assert parent.depth == deepest
    assert reply(moderator_client, parent).status_code == 302
    answer = Comment.objects.get(parent=parent)
    assert answer.depth == deepest + 1
    assert "Thanks, we answer below." in moderator_client.get(open_article.get_absolute_url()).text


# ---- Admin index -------------------------------------------------------------------
def test_the_admin_index_shows_how_many_comments_wait_with_a_link_to_them(moderator_client, article, make_comment):
    for _ in range(3):
        make_comment(article=article, status=Status.PENDING)
    make_comment(article=article, status=Status.APPROVED)
    text = moderator_client.get(reverse("admin:index")).text
    assert f'<a href="{CHANGELIST}?status=pending">3 comments awaiting moderation</a>' in text


def test_the_admin_index_of_an_author_counts_the_comments_waiting_under_their_own_articles(
    client, author, article, make_article, make_comment
):
    own = make_article(author=author)
    make_comment(article=own, status=Status.PENDING)
    make_comment(article=own, status=Status.APPROVED)
    make_comment(article=article, status=Status.PENDING)  # someone else's article
    client.force_login(author)
    text = client.get(reverse("admin:index")).text
    assert f'<a href="{CHANGELIST}?status=pending">1 comment awaiting moderation</a>' in text


def test_the_admin_index_of_a_reader_with_admin_access_but_no_articles_says_nothing_about_comments(
    client, make_user, article, make_comment
):
    make_comment(article=article, status=Status.PENDING)
    client.force_login(make_user(is_staff=True))
    assert "awaiting moderation" not in client.get(reverse("admin:index")).text


# ---- Discussion settings -------------------------------------------------------------
def test_the_discussion_settings_list_leads_to_the_one_settings_page(admin_client):
    response = admin_client.get(reverse("admin:comments_discussionsettings_changelist"))
    discussion = DiscussionSettings.objects.get()
    assert response.url == reverse("admin:comments_discussionsettings_change", args=[discussion.pk])
    assert admin_client.get(response.url).status_code == 200


def test_discussion_settings_cannot_be_added_or_deleted(admin_client):
    discussion = DiscussionSettings.load()
    assert admin_client.get(reverse("admin:comments_discussionsettings_add")).status_code == 403
    delete = reverse("admin:comments_discussionsettings_delete", args=[discussion.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert DiscussionSettings.objects.count() == 1


def test_the_site_owner_changes_a_discussion_rule(admin_client):
    discussion = DiscussionSettings.load()
    data = {
        field.name: getattr(discussion, field.name)
        for field in DiscussionSettings._meta.concrete_fields
        if field.editable and not field.primary_key and getattr(discussion, field.name) is not None
    }
    data = {key: value for key, value in data.items() if value is not False}
    data["hold_link_count"] = 5
    response = admin_client.post(reverse("admin:comments_discussionsettings_change", args=[discussion.pk]), data)
    assert response.status_code == 302
    assert DiscussionSettings.load().hold_link_count == 5


def test_a_moderator_cannot_open_the_discussion_settings(moderator_client):
    assert moderator_client.get(reverse("admin:comments_discussionsettings_changelist")).status_code == 403


# ---- Who may moderate ------------------------------------------------------------------
def test_the_moderators_group_has_exactly_the_comment_permissions():
    # Comments, blocked commenters and the safety rules (which they may not delete: disabling one is enough).
    codenames = Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    assert sorted(codenames) == [
        "add_block",
        "add_comment",
        "add_safetyrule",
        "change_block",
        "change_comment",
        "change_safetyrule",
        "delete_block",
        "delete_comment",
        "view_block",
        "view_comment",
        "view_safetyrule",
    ]


def test_a_moderator_sees_and_moderates_the_queue(moderator_client, article, make_comment):
    held = make_comment(article=article, status=Status.PENDING)
    assert moderator_client.get(CHANGELIST).status_code == 200
    run_action(moderator_client, "approve_selected", held)
    assert reload(held).status == Status.APPROVED


@pytest.mark.parametrize(
    "url_name",
    ["admin:articles_article_changelist", "admin:articles_article_add", "admin:accounts_user_changelist"],
)
def test_a_moderator_cannot_touch_articles_or_users(moderator_client, url_name):
    assert moderator_client.get(reverse(url_name)).status_code == 403


def test_a_moderator_cannot_open_an_article_or_a_user(moderator_client, moderator, article):
    assert moderator_client.get(reverse("admin:articles_article_change", args=[article.pk])).status_code == 403
    assert moderator_client.get(reverse("admin:accounts_user_change", args=[moderator.pk])).status_code == 403


def test_a_comments_page_links_its_article_and_account_only_for_those_who_may_open_them(
    client, moderator, article, reader, make_comment, make_user
):
    # Found by a review: Django links every row a page shows read-only; a moderator following a comment's article
    # (or anyone but a superuser following its writer's account) was refused (403).
    comment = make_comment(article=article, user=reader, status=Status.PENDING)
    change = reverse("admin:comments_comment_change", args=[comment.pk])
    article_link = f'<a href="{reverse("admin:articles_article_change", args=[article.pk])}">{article.title}</a>'
    account_link = f'<a href="{reverse("admin:accounts_user_change", args=[reader.pk])}">{reader}</a>'

    client.force_login(moderator)
    page = client.get(change).text
    assert article_link not in page and account_link not in page
    assert f'<div class="readonly">{article.title}</div>' in page
    assert f'<div class="readonly">{reader}</div>' in page

    client.force_login(make_user(username="owner", is_staff=True, is_superuser=True))
    page = client.get(change).text
    assert article_link in page and account_link in page


def test_a_guest_cannot_moderate_in_the_admin(client, article, make_comment):
    held = make_comment(article=article, status=Status.PENDING)
    response = client.post(moderate_url(held, "approve"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert reload(held).status == Status.PENDING


def test_a_signed_in_reader_cannot_moderate_in_the_admin(client, make_user, article, make_comment):
    held = make_comment(article=article, status=Status.PENDING)
    client.force_login(make_user())
    client.post(moderate_url(held, "approve"))
    run_action(client, "approve_selected", held)
    assert reload(held).status == Status.PENDING


def test_an_author_cannot_moderate_the_comments_of_another_authors_article(client, author, article, make_comment):
    # Not even that it exists: it is not in their list (tests/comments/test_authors_moderate_their_articles.py).
    held = make_comment(article=article, status=Status.PENDING)
    client.force_login(author)
    assert client.post(moderate_url(held, "approve")).status_code == 404
    assert client.post(reverse("admin:comments_comment_reply", args=[held.pk]), {"body": "Hi"}).status_code == 404
    run_action(client, "approve_selected", held)
    assert reload(held).status == Status.PENDING


def test_the_queue_does_not_query_once_per_comment(
    moderator_client, article, make_comment, django_assert_max_num_queries
):
    for _ in range(30):
        make_comment(article=article, status=Status.PENDING)
    with django_assert_max_num_queries(15):
        moderator_client.get(CHANGELIST)
