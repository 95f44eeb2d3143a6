"""Reports from readers: "Report" under each published comment, one report per reader, and enough readers' reports
take the comment off the page for a moderator, who may dismiss them."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments import personal_data
from comments.models import Comment, DiscussionSettings, Report
from comments.services import comment_moderate, comment_report
from config.email import absolute_url

pytestmark = pytest.mark.django_db


def report_url(comment) -> str:
    return reverse("comments:report", args=[comment.pk])


@pytest.fixture
def published(seed_article, make_comment):
    return make_comment(article=seed_article, author_name="Dr. Quack", body="Stop your medicine and drink vinegar.")


def report(client, comment, reason="harmful", ip="203.0.113.7", **headers):
    return client.post(report_url(comment), {"reason": reason}, REMOTE_ADDR=ip, **headers)


def test_every_published_comment_has_a_report_link(client, published):
    page = client.get(published.article.get_absolute_url()).text
    assert f'href="{report_url(published)}" aria-label="Report the comment by Dr. Quack">Report</a>' in page


def test_the_report_page_asks_why_and_works_without_javascript(client, published):
    page = client.get(report_url(published)).text
    assert "Why should it not be here?" in page
    assert "Stop your medicine and drink vinegar." in page
    for label in ("Spam", "Harmful or wrong medical advice", "Abuse or harassment", "Personal information"):
        assert label in page
    response = report(client, published)
    assert response.status_code == 200
    assert "Thank you: moderators will look at this comment." in response.text
    assert Report.objects.get().reason == "harmful"


def test_one_report_per_reader_per_comment(client, published):
    report(client, published)
    again = report(client, published, reason="spam")
    assert "You had reported this comment already" in again.text
    assert Report.objects.count() == 1


def test_enough_readers_reports_hold_the_comment_for_a_moderator(client, published, make_user):
    report(client, published, ip="203.0.113.1")
    report(client, published, ip="203.0.113.2", reason="spam")
    published.refresh_from_db()
    assert published.status == Comment.Status.APPROVED
    member = make_user()
    client.force_login(member)
    report(client, published, ip="203.0.113.1")  # a member counts as themselves, whatever their address
    published.refresh_from_db()
    assert published.status == Comment.Status.PENDING
    assert published.status_reason == "reported by 3 readers: harmful or wrong medical advice"
    client.logout()
    assert "drink vinegar" not in client.get(published.article.get_absolute_url()).text


def test_the_number_of_reports_that_hold_is_a_discussion_setting(client, published):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"reports_to_hold": 1})
    report(client, published)
    published.refresh_from_db()
    assert published.status == Comment.Status.PENDING


def test_moderators_are_emailed_about_a_comment_reports_held(
    published, django_capture_on_commit_callbacks, moderator, mailoutbox
):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"reports_to_hold": 1})
    with django_capture_on_commit_callbacks(execute=True):
        comment_report(comment=published, reason="abuse", reporter_key="member:1")
    assert [message.to for message in mailoutbox] == [[moderator.email]]
    assert "drink vinegar" in mailoutbox[0].body
    # Not a new comment (found by a review): one readers saw, taken off the page.
    assert "published before, is off the page and waiting for your approval again." in mailoutbox[0].body
    assert "A new comment" not in mailoutbox[0].body


@pytest.mark.parametrize("status", ["pending", "spam", "trash"])
def test_only_published_comments_can_be_reported(client, seed_article, make_comment, status):
    hidden = make_comment(article=seed_article, status=status)
    assert client.get(report_url(hidden)).status_code == 404
    assert report(client, hidden).status_code == 404
    assert client.get(reverse("comments:report", args=[999999])).status_code == 404


def test_a_report_needs_a_reason_and_says_so(client, published):
    response = report(client, published, reason="boring")
    assert response.status_code == 400
    assert "Choose why the comment should not be here." in response.text
    assert "<title>Error: Report a comment – " in response.text
    assert not Report.objects.exists()


def test_a_guest_report_from_another_site_is_refused(published):
    checking = Client(enforce_csrf_checks=True)
    response = checking.post(report_url(published), {"reason": "spam"}, HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_member_cannot_report_their_own_comment(client, seed_article, make_comment, make_user):
    member = make_user()
    own = make_comment(article=seed_article, user=member, body="My own words.")
    client.force_login(member)
    response = report(client, own)
    assert response.status_code == 400
    assert "This is your own comment" in response.text
    assert not Report.objects.exists()


def test_a_guest_cannot_report_their_own_comment_from_the_browser_that_posted_it(client, seed_article, post_comment):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"require_previous_approval": False})
    post_comment(client, seed_article, comment="My own words.")
    own = Comment.objects.get(body="My own words.")
    assert own.status == Comment.Status.APPROVED
    response = report(client, own)
    assert response.status_code == 400
    assert "This is your own comment" in response.text
    assert not Report.objects.exists()
    assert report(Client(), own).status_code == 200  # another reader's


def test_a_browser_a_member_signed_out_of_reports_their_comment_as_any_reader_would(
    client, seed_article, post_comment, make_user
):
    # The browser may be a shared one: it keeps nothing of the member's comments to tell that one is theirs.
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"require_previous_approval": False})
    client.force_login(make_user())
    post_comment(client, seed_article, comment="My own words.")
    own = Comment.objects.get(body="My own words.")
    client.post(reverse("account_logout"))
    response = report(client, own)
    assert response.status_code == 200
    assert "This is your own comment" not in response.text
    assert Report.objects.filter(comment=own).exists()


def test_reports_are_rate_limited_per_address(client, seed_article, make_comment, settings):
    comments = [make_comment(article=seed_article, body=f"Comment {n}") for n in range(11)]
    for comment in comments[:10]:
        assert report(client, comment).status_code == 200
    refused = report(client, comments[10])
    assert refused.status_code == 429
    assert "Please wait 60 minutes and try again." in refused.text  # the window of REPORTS_PER_ADDRESS
    assert refused["Retry-After"] == "3600"
    assert Report.objects.count() == 10


def test_a_guest_is_counted_by_a_keyed_hash_of_their_address_not_the_address(client, published):
    report(client, published, ip="203.0.113.9")
    key = Report.objects.get().reporter_key
    assert key.startswith("guest:") and "203.0.113.9" not in key


def test_moderators_see_reports_and_dismiss_them(client, published, moderator):
    report(client, published, ip="203.0.113.1")
    report(client, published, ip="203.0.113.2")
    client.force_login(moderator)
    changelist = reverse("admin:comments_comment_changelist")
    for reported in ("standing", "any"):
        listed = client.get(changelist, {"reported": reported}).text
        assert "Stop your medicine" in listed
        assert re.findall(r'<td class="field-standing_reports">(\d+)</td>', listed) == ["2"]
    response = client.post(changelist, {"action": "dismiss_reports", "_selected_action": [published.pk]}, follow=True)
    assert "2 reports dismissed." in response.text
    assert "Stop your medicine" not in client.get(changelist, {"reported": "standing"}).text
    change_page = client.get(reverse("admin:comments_comment_change", args=[published.pk])).text
    assert change_page.count("Harmful or wrong medical advice — ") == 2 and "(dismissed)" in change_page
    # Dismissed reports no longer count toward holding it.
    client.logout()
    report(client, published, ip="203.0.113.3")
    published.refresh_from_db()
    assert published.status == Comment.Status.APPROVED
    change = client.get(reverse("admin:comments_comment_change", args=[published.pk]))
    assert change.status_code == 302  # staff only


def test_a_members_reports_are_in_their_data_and_erasing_them_forgets_who_sent_them(published, make_user):
    member = make_user()
    comment_report(comment=published, reason="spam", reporter_key=f"member:{member.pk}", reporter=member)
    sent = Report.objects.get()
    assert personal_data.export(member)["reports"] == [
        {"comment": absolute_url(published.get_absolute_url()), "reason": "spam", "sent": sent.created_at.isoformat()}
    ]
    personal_data.erase(member)
    sent.refresh_from_db()
    assert sent.reporter is None and sent.reporter_key.startswith("erased:")
    assert sent.reporter_key not in (f"erased:{member.pk}", f"member:{member.pk}")  # nothing leads back to them


def test_the_reports_of_members_erased_one_after_the_other_all_still_count(published, make_user):
    members = [make_user(), make_user()]
    for member in members:
        comment_report(comment=published, reason="spam", reporter_key=f"member:{member.pk}", reporter=member)
        personal_data.erase(member)
    keys = list(Report.objects.filter(comment=published).values_list("reporter_key", flat=True))
    assert len(set(keys)) == 2 and all(key.startswith("erased:") for key in keys)


# ---- From review ------------------------------------------------------------------


def test_a_reply_under_a_comment_taken_off_the_page_cannot_be_reported(client, seed_article, make_comment):
    held = make_comment(article=seed_article, status="pending", body="Held parent")
    reply = make_comment(article=seed_article, parent=held, body="Hidden with its parent")
    assert client.get(report_url(reply)).status_code == 404
    assert report(client, reply).status_code == 404


def test_one_ipv6_network_counts_as_one_reader(client, published):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"reports_to_hold": 2})
    report(client, published, ip="2001:db8:1:2::1")
    again = report(client, published, ip="2001:db8:1:2::2")
    assert "You had reported this comment already" in again.text
    published.refresh_from_db()
    assert published.status == Comment.Status.APPROVED
    report(client, published, ip="2001:db8:9:9::1")  # another network: another reader
    published.refresh_from_db()
    assert published.status == Comment.Status.PENDING


def test_a_comment_a_moderator_approves_again_is_not_held_by_the_next_single_report(client, published, moderator):
    for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        report(client, published, ip=ip)
    published.refresh_from_db()
    assert published.status == Comment.Status.PENDING
    comment_moderate(comment=published, action="approve", by=moderator)
    report(client, published, ip="203.0.113.4")
    published.refresh_from_db()
    assert published.status == Comment.Status.APPROVED
