import pytest
from django.urls import reverse

from comments.models import Comment
from comments.services import comment_delete, comments_anonymise
from tests.pages import body

pytestmark = pytest.mark.django_db

Status = Comment.Status
CHANGELIST = reverse("admin:comments_comment_changelist")


def delete_url(comment: Comment) -> str:
    return reverse("admin:comments_comment_delete", args=[comment.pk])


def place(comment: Comment) -> tuple[int | None, int | None, int]:
    """Where a comment stands now: its parent, its thread and its depth."""
    comment.refresh_from_db()
    return comment.parent_id, comment.thread_id, comment.depth


# ---- comment_delete ------------------------------------------------------------
def test_deleting_a_reply_moves_its_replies_up_to_its_parent(article, make_comment):
    top = make_comment(article=article)
    middle = make_comment(article=article, parent=top)
    answer = make_comment(article=article, parent=middle)
    answer_to_answer = make_comment(article=article, parent=answer)
    comment_delete(comment=middle)
    assert not Comment.objects.filter(pk=middle.pk).exists()
    assert place(answer) == (top.pk, top.pk, 2)
    assert place(answer_to_answer) == (answer.pk, top.pk, 3)


def test_deleting_a_top_level_comment_makes_each_reply_the_start_of_its_own_thread(article, make_comment):
    top = make_comment(article=article)
    first, second = make_comment(article=article, parent=top), make_comment(article=article, parent=top)
    under_first = make_comment(article=article, parent=first)
    under_that = make_comment(article=article, parent=under_first)
    comment_delete(comment=top)
    assert place(first) == (None, None, 1)
    assert place(second) == (None, None, 1)
    assert place(under_first) == (first.pk, first.pk, 2)
    assert place(under_that) == (under_first.pk, first.pk, 3)


def test_deleting_leaves_other_threads_alone(article, make_comment):
    top = make_comment(article=article)
    other = make_comment(article=article)
    other_reply = make_comment(article=article, parent=other)
    comment_delete(comment=top)
    assert place(other_reply) == (other.pk, other.pk, 2)


def test_a_moved_reply_shows_under_the_comment_it_now_answers(client, seed_article, make_comment):
    top = make_comment(article=seed_article, body="The question.")
    trashed = make_comment(article=seed_article, parent=top, body="Rude words.", status=Status.TRASH)
    make_comment(article=seed_article, parent=trashed, body="A kind answer.")
    assert "A kind answer." not in client.get(seed_article.get_absolute_url()).text  # nor in its structured data
    comment_delete(comment=trashed)
    text = body(client.get(seed_article.get_absolute_url()))
    assert text.index("The question.") < text.index("A kind answer.")
    assert "Rude words." not in text


def test_deleting_an_article_still_deletes_its_threads(article, make_comment):
    top = make_comment(article=article)
    make_comment(article=article, parent=make_comment(article=article, parent=top))
    article.delete()
    assert not Comment.objects.exists()


def test_erasing_a_guests_held_comment_keeps_the_replies_of_others(article, make_comment):
    top = make_comment(article=article, author_email="rita@example.com", status=Status.PENDING)
    reply = make_comment(article=article, parent=top, author_email="sam@example.com")
    comments_anonymise(email="rita@example.com")
    assert not Comment.objects.filter(pk=top.pk).exists()
    assert place(reply) == (None, None, 1)


# ---- In the admin --------------------------------------------------------------
def test_the_list_offers_no_bulk_delete(moderator_client, article, make_comment):
    trashed = make_comment(article=article, status=Status.TRASH)
    assert 'value="delete_selected"' not in moderator_client.get(CHANGELIST, {"status": "trash"}).text
    moderator_client.post(
        f"{CHANGELIST}?status=trash", {"action": "delete_selected", "_selected_action": [trashed.pk], "post": "yes"}
    )
    assert Comment.objects.filter(pk=trashed.pk).exists()


@pytest.mark.parametrize("status", [Status.PENDING, Status.APPROVED])
def test_only_a_comment_in_the_spam_or_the_trash_can_be_deleted(moderator_client, article, make_comment, status):
    comment = make_comment(article=article, status=status)
    assert moderator_client.get(delete_url(comment)).status_code == 403
    assert moderator_client.post(delete_url(comment), {"post": "yes"}).status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_trashed_comment_offers_delete_permanently(moderator_client, article, make_comment):
    trashed = make_comment(article=article, status=Status.TRASH)
    approved = make_comment(article=article)
    listed = moderator_client.get(CHANGELIST, {"status": "trash"}).text
    assert f'href="{delete_url(trashed)}">Delete permanently</a>' in listed
    change_page = moderator_client.get(reverse("admin:comments_comment_change", args=[trashed.pk])).text
    assert "Delete permanently" in change_page
    approved_page = moderator_client.get(reverse("admin:comments_comment_change", args=[approved.pk])).text
    assert delete_url(approved) not in approved_page


def test_the_confirmation_names_only_the_comment_and_says_its_replies_stay(moderator_client, article, make_comment):
    trashed = make_comment(article=article, author_name="Rude Reader", status=Status.TRASH)
    make_comment(article=article, parent=trashed, author_name="Kind Reader")
    text = moderator_client.get(delete_url(trashed)).text
    assert "Its replies stay, moved up to the comment it answered." in text
    assert "Rude Reader" in text
    assert "Kind Reader" not in text


def test_deleting_permanently_in_the_admin_keeps_the_replies(moderator_client, article, make_comment):
    top = make_comment(article=article)
    trashed = make_comment(article=article, parent=top, status=Status.TRASH)
    reply = make_comment(article=article, parent=trashed)
    response = moderator_client.post(delete_url(trashed), {"post": "yes"})
    assert response.status_code == 302
    assert not Comment.objects.filter(pk=trashed.pk).exists()
    assert place(reply) == (top.pk, top.pk, 2)
