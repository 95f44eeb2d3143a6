import datetime
import re
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.validators import validate_visible_text
from articles import sanitize
from articles.models import Article
from comments.models import Comment, DiscussionSettings
from comments.services import CommentRejected, RequestMeta, comment_submit
from comments.tokens import SAVED_DETAILS_COOKIE
from tests.conftest import form_started

pytestmark = pytest.mark.django_db


def error_summary(page: str) -> str:
    """The box above the comment form that says why the comment was not posted."""
    return re.search(r'<div class="error-summary".*?</div>', page, re.S).group()


def test_guest_comment_is_saved_with_what_moderators_need(client, seed_article, post_comment):
    response = post_comment(client, seed_article, url="https://rita.example/")
    comment = Comment.objects.get()
    assert comment.author_name == "Rita Reader"
    assert comment.author_email == "reader@example.com"
    assert comment.author_url == "https://rita.example/"
    assert comment.ip_address == "203.0.113.7"
    assert comment.user_agent == "Mozilla/5.0 (test)"
    assert comment.body_html == "<p>Thank you, this helped me understand my diagnosis.</p>"
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")


def test_extra_fields_in_the_post_change_nothing(client, seed_article, post_comment, make_user):
    someone = make_user()
    post_comment(client, seed_article, status="approved", user=someone.pk, ip_address="1.2.3.4", thread="1")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.user is None
    assert comment.ip_address == "203.0.113.7"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Please fill in your name."),
        ({"email": ""}, "Please fill in your email address."),
        ({"email": "rita-at-example"}, "Please enter a valid email address"),
        ({"comment": "   "}, "Please type your comment."),
        ({"url": "javascript:alert(1)"}, "Please enter a web address starting with http:// or https://."),
        ({"comment": "x" * 65_526}, "The comment is too long: 65526 characters, the limit is 65525."),
    ],
)
def test_a_rejected_comment_shows_the_reason_and_keeps_what_was_typed(
    client, seed_article, post_comment, fields, message
):
    typed = {"comment": "My own words, typed with care.", "name": "Rita Reader", "email": "rita@example.com", **fields}
    response = post_comment(client, seed_article, **typed)
    assert response.status_code == 400
    assert message in response.text
    assert 'id="comment-errors"' in response.text
    assert not Comment.objects.exists()
    if len(typed["comment"]) < 1000 and typed["comment"].strip():
        assert typed["comment"] in response.text
    for key in ("name", "email"):
        if typed[key]:
            assert f'value="{typed[key]}"' in response.text


def test_the_title_of_the_page_a_rejected_comment_comes_back_on_starts_with_error(client, seed_article, post_comment):
    # What a screen reader says first of the page (WCAG 3.3.1), as the site's sign-in pages say it.
    response = post_comment(client, seed_article, email="rita-at-example")
    assert "<title>Error: hemifacial spasm – Leave a Reply</title>" in response.text
    assert "<title>hemifacial spasm – Leave a Reply</title>" in client.get(seed_article.get_absolute_url()).text


def test_posting_reads_the_discussion_settings_once_and_cleans_the_body_once(client, seed_article, post_comment):
    with (
        mock.patch.object(DiscussionSettings, "load", wraps=DiscussionSettings.load) as load,
        mock.patch("articles.sanitize.clean_comment_html", wraps=sanitize.clean_comment_html) as clean,
    ):
        assert post_comment(client, seed_article, comment="See https://example.org/ please.").status_code == 302
    assert load.call_count == 1
    assert clean.call_count == 1


def test_a_comment_of_exactly_the_limit_is_accepted(client, seed_article, post_comment):
    post_comment(client, seed_article, comment="a" * 65_525)
    assert Comment.objects.count() == 1


def test_duplicate_comment_is_refused(client, seed_article, post_comment):
    # From another browser and network: its writer sending it again is led to it (test_sent_again).
    post_comment(Client(), seed_article, comment="Same words.")
    response = post_comment(client, seed_article, comment="Same words.", ip="198.51.100.1")
    assert response.status_code == 400
    assert "it looks as though you’ve already said that" in response.text
    assert Comment.objects.count() == 1


def test_the_same_words_may_answer_two_comments(client, seed_article, post_comment, make_comment):
    # As WordPress's duplicate check (the same post and the same parent): "Thank you!" to one reader, then to another.
    first, second = make_comment(article=seed_article), make_comment(article=seed_article)
    post_comment(Client(), seed_article, comment="Thank you!", parent=first.pk)
    _past_the_flood_check()

    response = post_comment(client, seed_article, comment="Thank you!", parent=second.pk, ip="198.51.100.1")

    assert response.status_code == 302
    assert Comment.objects.get(parent=second, body="Thank you!")


def test_the_same_reply_to_the_same_comment_is_refused(client, seed_article, post_comment, make_comment):
    answered = make_comment(article=seed_article)
    post_comment(Client(), seed_article, comment="Thank you!", parent=answered.pk)
    _past_the_flood_check()

    response = post_comment(client, seed_article, comment="Thank you!", parent=answered.pk, ip="198.51.100.1")

    assert response.status_code == 400
    assert "it looks as though you’ve already said that" in response.text
    assert Comment.objects.filter(body="Thank you!").count() == 1


def _past_the_flood_check() -> None:
    Comment.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))


def test_posting_too_quickly_from_the_same_ip_is_refused(client, seed_article, post_comment):
    post_comment(client, seed_article, comment="First.")
    response = post_comment(client, seed_article, comment="Second.", email="other@example.com")
    assert response.status_code == 400
    assert "You are posting comments too quickly. Slow down." in response.text
    assert "Second." in response.text


def test_posting_too_quickly_from_another_address_of_the_same_ipv6_network_is_refused(
    client, seed_article, post_comment
):
    post_comment(client, seed_article, comment="First.", ip="2001:db8:0:2::10")
    response = post_comment(client, seed_article, comment="Second.", email="other@example.com", ip="2001:db8:0:2::11")
    assert response.status_code == 400
    assert "You are posting comments too quickly. Slow down." in response.text
    # Another network is another reader.
    assert (
        post_comment(
            client, seed_article, comment="Third.", email="third@example.com", ip="2001:db8:0:3::10"
        ).status_code
        == 302
    )


def test_posting_too_quickly_with_the_same_email_from_another_ip_is_refused(client, seed_article, post_comment):
    # As WordPress's flood check: the address or the email. A phone changing networks, or a spammer's many
    # addresses, is still one writer.
    post_comment(client, seed_article, comment="First.", ip="198.51.100.1")
    response = post_comment(client, seed_article, comment="Second.", email="Reader@Example.com", ip="203.0.113.50")
    assert response.status_code == 400
    assert "You are posting comments too quickly. Slow down." in response.text
    assert Comment.objects.count() == 1


def test_readers_on_ipv4_seen_through_a_dual_stack_socket_are_not_one_network(client, seed_article, post_comment):
    # A server listening on [::] sees IPv4 readers as ::ffff:a.b.c.d: all of them in ::/64, one reader to the flood
    # check, had their addresses been taken for IPv6 ones.
    post_comment(client, seed_article, comment="First.", ip="::ffff:198.51.100.1")
    response = post_comment(client, seed_article, comment="Second.", email="other@example.com", ip="::ffff:203.0.113.9")
    assert response.status_code == 302
    assert Comment.objects.latest("pk").ip_address == "203.0.113.9"


def test_flood_window_is_the_site_owners_setting(client, seed_article, post_comment):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"flood_seconds": 0})
    post_comment(client, seed_article, comment="First.")
    post_comment(client, seed_article, comment="Second.")
    assert Comment.objects.count() == 2


def test_staff_are_not_flood_limited(client, seed_article, post_comment, editor):
    client.force_login(editor)
    post_comment(client, seed_article, comment="First.")
    post_comment(client, seed_article, comment="Second.")
    assert Comment.objects.approved().count() == 2


def test_comments_closed_on_the_article(client, make_article, post_comment):
    article = make_article(comments_open=False)
    response = post_comment(client, article)
    assert response.status_code == 400
    assert "Comments are closed." in response.text
    assert not Comment.objects.exists()
    assert 'id="commentform"' not in client.get(article.get_absolute_url()).text


def test_unknown_article_is_404(client, post_comment, seed_article):
    response = client.post(reverse("comments:post", args=[999_999]), {"comment": "x"})
    assert response.status_code == 404


def test_draft_article_cannot_be_commented(client, make_article, post_comment):
    assert post_comment(client, make_article(status="draft")).status_code == 404


def test_a_reply_to_a_comment_gone_meanwhile_keeps_the_text_and_says_why(client, seed_article, post_comment):
    response = post_comment(client, seed_article, parent="424242", comment="My answer to a deleted comment.")
    assert response.status_code == 400
    assert "The comment you were replying to is no longer there, so yours was not posted." in response.text
    assert "My answer to a deleted comment.</textarea>" in response.text
    assert 'value="424242"' not in response.text  # sent again, it goes on the article
    assert not Comment.objects.exists()


@pytest.mark.parametrize("parent", ["abc", "-3", "1.5"])
def test_a_damaged_reply_field_says_what_went_wrong_and_keeps_the_text(client, seed_article, post_comment, parent):
    response = post_comment(client, seed_article, parent=parent, comment="Words to keep.")
    assert response.status_code == 400
    assert "The comment you were replying to could not be found." in response.text
    assert "Words to keep.</textarea>" in response.text
    assert re.search(
        r'<input type="hidden" name="parent" id="id_parent">', response.text
    )  # sent again, it goes on the article


def test_an_article_unpublished_while_the_reader_typed_gives_their_words_back(client, make_article, post_comment):
    article = make_article()
    article.unpublish()
    response = post_comment(client, article, comment="Typed before it went away.")
    assert response.status_code == 404
    assert "The article is no longer published" in response.text
    assert "Typed before it went away.</textarea>" in response.text


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH])
def test_a_reply_to_a_hidden_comment_is_refused_as_one_to_a_missing_one(
    client, seed_article, post_comment, make_comment, status
):
    hidden = make_comment(article=seed_article, status=status)
    refused = post_comment(client, seed_article, parent=str(hidden.pk), comment="Words to keep.")
    missing = post_comment(client, seed_article, parent=str(hidden.pk + 1000), comment="Words to keep.")
    assert refused.status_code == missing.status_code == 400
    # The same words either way: no answer tells which numbers belong to comments readers do not see.
    assert "The comment you were replying to is no longer there" in refused.text
    assert error_summary(refused.text) == error_summary(missing.text)
    assert "Words to keep.</textarea>" in refused.text
    assert Comment.objects.filter(article=seed_article).count() == 1


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH])
def test_a_reply_to_a_comment_taken_off_the_page_with_the_one_above_it_is_refused_as_one_to_a_missing_one(
    client, seed_article, post_comment, make_comment, status
):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"require_previous_approval": False})
    above = make_comment(article=seed_article)
    answered = make_comment(article=seed_article, parent=above)
    # While the reader types, the comment above is held (readers' reports, a moderator's Unapprove), or worse.
    Comment.objects.filter(pk=above.pk).update(status=status)
    refused = post_comment(client, seed_article, parent=str(answered.pk), comment="Words to keep.")
    assert refused.status_code == 400
    assert "The comment you were replying to is no longer there" in refused.text
    assert "Words to keep.</textarea>" in refused.text
    assert not Comment.objects.filter(parent=answered).exists()  # not published where nobody would see it


def test_the_posting_service_refuses_a_reply_readers_would_not_see(seed_article, make_comment):
    above = make_comment(article=seed_article, status=Comment.Status.PENDING)
    answered = make_comment(article=seed_article, parent=above)
    with pytest.raises(CommentRejected, match="You can only reply to a published comment of this article."):
        comment_submit(
            article=seed_article,
            author=AnonymousUser(),
            body="Unseen answer.",
            name="Rita Reader",
            email="reader@example.com",
            parent=answered,
            meta=RequestMeta(ip_address="203.0.113.7", user_agent="Mozilla/5.0"),
        )


def test_reply_to_a_comment_of_another_article_is_refused(
    client, seed_article, make_article, post_comment, make_comment
):
    elsewhere = make_comment(article=make_article())
    response = post_comment(client, seed_article, parent=str(elsewhere.pk))
    assert response.status_code == 400
    assert "The comment you were replying to is no longer there" in response.text
    assert not Comment.objects.filter(article=seed_article).exists()


def test_the_address_a_rejected_comment_was_shown_at_leads_back_to_the_comment_box(client, seed_article):
    # The box sent back is shown at the address it posts to: opened again (a tab brought back, a bookmark, a link
    # shared), it answered a blank page.
    response = client.get(reverse("comments:post", args=[seed_article.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{seed_article.get_absolute_url()}#respond"
    assert not Comment.objects.exists()


def test_the_post_address_of_an_article_readers_cannot_see_is_not_found(client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    assert client.get(reverse("comments:post", args=[draft.pk])).status_code == 404


def test_missing_csrf_token_is_refused_with_the_site_error_page(seed_article, post_comment):
    response = post_comment(Client(enforce_csrf_checks=True), seed_article)
    assert response.status_code == 403
    assert 'class="site-header"' in response.text
    assert not Comment.objects.exists()


def test_a_members_comment_refused_for_a_stale_form_is_given_back(seed_article, post_comment, reader):
    # Signed out and in again in another tab, the member's open page holds a form token no longer theirs: Back may
    # not bring the words back (a phone reloads a tab it put away), as the site's other error pages know.
    member = Client(enforce_csrf_checks=True)
    member.force_login(reader)
    response = post_comment(member, seed_article, comment="Words typed over twenty minutes.")
    assert response.status_code == 403
    assert '<textarea id="kept-comment" rows="8" readonly>Words typed over twenty minutes.</textarea>' in response.text


def test_honeypot_marks_the_comment_as_spam_without_a_hint(client, seed_article, post_comment):
    response = post_comment(client, seed_article, leave_empty="+1 555 0100")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert "hidden field" in comment.status_reason
    assert response.status_code == 302
    assert response["Location"] == seed_article.get_absolute_url()


@pytest.mark.parametrize(
    ("started", "reason"),
    [
        (lambda: form_started(seconds_ago=1), "form filled in under 3 seconds"),
        (lambda: form_started(seconds_ago=400 * 86400), "form started over 24 hours before it was sent"),
        (lambda: "forged", "sent without the form’s signed start time"),
        (lambda: "", "sent without the form’s signed start time"),
    ],
)
def test_a_form_sent_back_too_fast_too_late_or_without_its_start_time_waits_for_a_moderator(
    client, seed_article, post_comment, make_user, mailoutbox, django_capture_on_commit_callbacks, started, reason
):
    moderator = make_user(groups=("Moderators",))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(client, seed_article, started=started())
    comment = Comment.objects.get()
    assert (comment.status, comment.status_reason) == (Comment.Status.PENDING, reason)
    assert "Your comment is awaiting moderation." in client.get(response["Location"]).text
    assert [message.to for message in mailoutbox] == [[moderator.email]]


def test_a_reader_whose_form_was_started_days_ago_loses_nothing_and_sees_their_comment_held(
    client, seed_article, post_comment, make_comment
):
    # Approved before: with a fresh stamp this comment would be published at once.
    make_comment(article=seed_article, author_name="Rita Reader", author_email="reader@example.com")
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"flood_seconds": 0})
    body = "I left this tab open over the weekend: does the spasm come back after the injection wears off?"
    response = post_comment(client, seed_article, started=form_started(seconds_ago=3 * 86400), comment=body)
    comment = Comment.objects.get(body=body)
    assert (comment.status, comment.status_reason) == (
        Comment.Status.PENDING,
        "form started over 24 hours before it was sent",
    )
    page = client.get(response["Location"]).text
    assert body in page
    assert "Your comment is awaiting moderation." in page


def test_a_form_filled_in_over_hours_is_not_held_for_its_age(client, seed_article, post_comment):
    post_comment(client, seed_article, started=form_started(seconds_ago=23 * 3600))
    assert Comment.objects.get().status_reason == "first comment from this author"


def test_the_minimum_time_to_fill_in_the_form_can_be_turned_off(client, seed_article, post_comment):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"minimum_fill_seconds": 0})
    post_comment(client, seed_article, started="")
    assert Comment.objects.get().status_reason == "first comment from this author"


def test_saved_details_cookie_only_when_asked_and_prefills_the_form(client, seed_article, post_comment):
    post_comment(client, seed_article, comment="No cookie please.")
    assert SAVED_DETAILS_COOKIE not in client.cookies
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"flood_seconds": 0})
    post_comment(client, seed_article, comment="Remember me.", save_details="on", url="https://rita.example/")
    assert client.cookies[SAVED_DETAILS_COOKIE]["httponly"]
    page = client.get(seed_article.get_absolute_url()).text
    assert 'value="Rita Reader"' in page
    assert 'value="reader@example.com"' in page
    assert 'value="https://rita.example/"' in page
    # Ticked, as WordPress ticks it for details it remembers: the next comment does not forget them unasked.
    assert re.search(r'<input type="checkbox" name="save_details"[^>]* checked[ >]', page)


def test_a_reader_with_no_saved_details_finds_the_box_unticked(client, seed_article):
    page = client.get(seed_article.get_absolute_url()).text
    assert re.search(r'<input type="checkbox" name="save_details"[^>]*>', page)
    assert not re.search(r'<input type="checkbox" name="save_details"[^>]* checked[ >]', page)


def test_signed_in_reader_sees_no_name_or_email_fields_and_the_comment_records_the_account(
    client, seed_article, post_comment, make_user
):
    reader = make_user(display_name="Sam Member", email="sam@example.com")
    client.force_login(reader)
    page = client.get(seed_article.get_absolute_url()).text
    assert 'name="email"' not in page and 'name="name"' not in page
    post_comment(client, seed_article, email=None, name=None, url=None)
    comment = Comment.objects.get()
    assert comment.user == reader
    assert comment.author_name == "Sam Member"
    assert comment.author_email == "sam@example.com"


def test_a_member_whose_public_name_is_longer_than_a_comment_keeps_can_comment(
    client, seed_article, post_comment, make_user
):
    # An account's display name may have 150 characters; a comment keeps 100 of a name.
    long_name = "Dr " + "Abcdefghij" * 11
    client.force_login(make_user(display_name=long_name))
    response = post_comment(client, seed_article, email=None, name=None, url=None, comment="A member's thoughts.")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.author_name == long_name[:100]
    assert long_name in client.get(seed_article.get_absolute_url()).text  # the account's name, whole


def test_only_signed_in_readers_may_comment_when_the_site_says_so(client, seed_article, post_comment, make_user):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"registration_required": True})
    assert "signed in</a> to post a comment." in client.get(seed_article.get_absolute_url()).text
    response = post_comment(client, seed_article)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    client.force_login(make_user())
    post_comment(client, seed_article, email=None, name=None)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("proxies", "forwarded", "recorded"),
    [
        (0, "198.51.100.9", "203.0.113.7"),
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),
        (2, "198.51.100.9, 10.0.0.2", "198.51.100.9"),
        (1, "not-an-ip", None),
    ],
)
def test_the_readers_ip_comes_from_trusted_proxies_only(
    client, seed_article, post_comment, settings, proxies, forwarded, recorded
):
    settings.PROXY_COUNT = proxies
    post_comment(client, seed_article, HTTP_X_FORWARDED_FOR=forwarded)
    assert Comment.objects.get().ip_address == recorded


@pytest.mark.parametrize(
    "website",
    [
        "bob@example.com",
        "http://good.example@evil.example/",
        "https://localhost/",
        "https://example",
        "ftp://x.org/",
        "http://[zz]/",
        "https://[::1",
    ],
)
def test_a_website_must_be_a_real_sites_address(client, seed_article, post_comment, website):
    response = post_comment(client, seed_article, url=website, comment="Kept as typed.")
    assert response.status_code == 400
    assert "Please enter the address of a website" in response.text or "starting with http" in response.text
    assert "Kept as typed." in response.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize("website", ["javascript:alert(1)", "http://[zz]/", "not an address"])
def test_a_website_that_is_no_web_address_at_all_gets_one_message(client, seed_article, post_comment, website):
    response = post_comment(client, seed_article, url=website)
    assert response.status_code == 400
    assert response.text.count("Please enter a web address starting with http:// or https://.") == 2  # summary, field
    assert "Please enter the address of a website" not in response.text


@pytest.mark.parametrize("typed", ["example.org/" + "a" * 186, "https://example.org/" + "a" * 190])
def test_a_website_too_long_is_refused_without_a_count_the_reader_did_not_type(
    client, seed_article, post_comment, typed
):
    # 198 characters typed, under the box's 200, become 206 once https:// is put before them.
    response = post_comment(client, seed_article, url=typed)
    assert response.status_code == 400
    assert "Please enter a shorter web address: at most 200 characters, with its https://." in response.text
    assert "(it has " not in response.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Rita\u202eredaeR"),
        ("name", "Ri\u200bta"),
        ("name", "Ri\u200dta"),
        ("name", "Ri\u200cta"),
        ("name", "Rita\u200d"),
        ("url", "https://exa\u200dmple.org/"),
    ],
    ids=[
        "right-to-left override",
        "zero-width space",
        "zero-width joiner between Latin letters",
        "zero-width non-joiner between Latin letters",
        "a joiner joining nothing",
        "zero-width joiner in a website",
    ],
)
def test_names_and_websites_refuse_invisible_characters(client, seed_article, post_comment, field, value):
    response = post_comment(client, seed_article, **{field: value})
    assert response.status_code == 400
    assert "invisible characters" in response.text or "address of a website" in response.text
    assert not Comment.objects.exists()


def test_a_name_with_a_control_character_is_refused_saying_so(client, seed_article, post_comment):
    # Found by a review: "Rita<vertical tab>Reader", approved, made every comment feed answer 500.
    response = post_comment(client, seed_article, name="Rita\x0bReader", comment="Kept as typed.")
    assert response.status_code == 400
    assert "Please remove the control characters (invisible, pasted with the text) from this field." in response.text
    assert "Kept as typed." in response.text
    assert not Comment.objects.exists()


def test_a_citation_pasted_on_two_lines_is_kept():
    # The check of names (validate_visible_text) also reads references' citations: tabs and line breaks stay.
    validate_visible_text("Wang A, Jankovic J.\nHemifacial spasm.\tMuscle Nerve. 1998.")


@pytest.mark.parametrize(
    "name",
    [
        "Dr \U0001f469\u200d\u2695\ufe0f Zo\u00eb",
        "\u0646\u0631\u06af\u0633\u200c\u0628\u0627\u0646\u0648",
        "\u0915\u094d\u200d\u0937\u093e",
    ],
    ids=["an emoji sequence (woman health worker)", "a Persian name with its non-joiner", "a Devanagari conjunct"],
)
def test_names_keep_the_joiners_their_writing_needs(client, seed_article, post_comment, name):
    assert post_comment(client, seed_article, name=name).status_code == 302
    assert Comment.objects.get().author_name == name


def test_an_address_that_keeps_sending_rejected_comments_gets_a_cheap_page(client, seed_article, post_comment):
    answers = [post_comment(client, seed_article, email="not-an-address", comment=f"Try {n}") for n in range(21)]
    assert {answer.status_code for answer in answers[:20]} == {400}
    assert answers[20].status_code == 429
    assert "Try 20</textarea>" in answers[20].text  # what was typed, still kept
    assert "Please wait a minute and try again." in answers[20].text
    assert answers[20]["Retry-After"] == "60"
    assert "hemifacial" not in answers[20].text.lower()  # not the whole article again
    assert post_comment(client, seed_article, ip="198.51.100.1", email="nope").status_code == 400  # others go on


def test_a_reply_is_checked_for_a_hidden_comment_above_it_once(client, seed_article, post_comment, make_comment):
    # Found by a review: the view and comment_submit each read the conversation's tree.
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"require_previous_approval": False})
    reply = make_comment(article=seed_article, parent=make_comment(article=seed_article))
    with CaptureQueriesContext(connection) as queries:
        assert post_comment(client, seed_article, parent=str(reply.pk), comment="An answer.").status_code == 302
    tree_reads = [query for query in queries if '"comments_comment"."parent_id" AS "parent_id"' in query["sql"]]
    assert len(tree_reads) == 1
