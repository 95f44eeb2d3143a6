import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.auth import get_user
from django.contrib.sites.models import Site
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode

from accounts.adapters import SIGNED_IN_WITH_SESSION_KEY
from comments.models import DiscussionSettings
from tests.pages import body

pytestmark = pytest.mark.django_db


def page(client, article) -> str:
    return client.get(article.get_absolute_url()).text


@pytest.fixture
def google_from_the_environment(settings):
    providers = {**settings.SOCIALACCOUNT_PROVIDERS}
    providers["google"] = {**providers["google"], "APPS": [{"client_id": "google-id", "secret": "google-secret"}]}
    settings.SOCIALACCOUNT_PROVIDERS = providers


@pytest.fixture
def facebook_from_the_admin():
    app = SocialApp.objects.create(provider="facebook", name="Facebook", client_id="fb-id", secret="fb-secret")
    app.sites.add(Site.objects.get_current())
    return app


def test_a_guest_sees_the_seed_pages_invitation_and_only_the_local_log_in_when_nothing_is_configured(
    client, seed_article
):
    text = page(client, seed_article)
    assert "Fill in your details below or click an icon to log in:" in text
    assert 'value="local"' in text
    for name in ("Google", "Facebook", "WordPress.com", "X", "Single sign-on"):
        assert f"Log in with {name}<" not in text


def test_providers_configured_in_the_environment_or_the_admin_appear_as_icons(
    client, seed_article, google_from_the_environment, facebook_from_the_admin
):
    text = page(client, seed_article)
    assert "Log in with Google<" in text
    assert "Log in with Facebook<" in text
    assert "/static/img/providers/google.svg" in text
    assert 'data-connecting="Connecting to Google…"' in text
    assert "Log in with WordPress.com<" not in text


def test_clicking_an_icon_keeps_the_typed_comment_and_shows_connecting(
    client, seed_article, google_from_the_environment
):
    response = client.post(
        reverse("comments:sign-in", args=[seed_article.pk]),
        {"provider": "google", "comment": "Half-typed thoughts on Botox", "name": "Rita"},
    )
    assert response.status_code == 200
    assert "Connecting to Google…" in response.text
    assert (
        'action="/accounts/google/login/?process=login&amp;next=%2F2026%2F11%2F02%2Fhemifacial-spasm%2F%23respond"'
        in response.text
    )
    # Back on the article (after the round trip, or as a guest), the box still holds the draft.
    text = page(client, seed_article)
    assert "Half-typed thoughts on Botox</textarea>" in text
    assert 'value="Rita"' in text


def test_the_local_log_in_icon_also_keeps_the_draft_and_returns_to_the_box(client, seed_article):
    response = client.post(
        reverse("comments:sign-in", args=[seed_article.pk]), {"provider": "local", "comment": "Draft words"}
    )
    assert response["Location"] == "/accounts/login/?next=%2F2026%2F11%2F02%2Fhemifacial-spasm%2F%23respond"
    assert "Draft words</textarea>" in page(client, seed_article)


def test_a_reply_begun_on_a_later_page_of_comments_is_found_there_after_signing_in(client, seed_article, make_comment):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"comments_per_page": 2})
    *_, answered = [make_comment(article=seed_article, author_name=f"Reader {number}") for number in range(3)]
    response = client.post(
        reverse("comments:sign-in", args=[seed_article.pk]),
        {"provider": "local", "comment": "My answer", "parent": answered.pk},
    )
    box = f"/2026/11/02/hemifacial-spasm/?cpage=2&replytocom={answered.pk}#respond"
    assert response["Location"] == f"/accounts/login/?{urlencode({'next': box})}"
    text = client.get(box).text
    assert "Leave a Reply to <bdi>Reader 2</bdi>" in text
    assert "My answer</textarea>" in text
    assert f'name="parent" value="{answered.pk}"' in text
    # Where "Back to your comment" leads, should the sign-in fail.
    assert f'href="{escape(box)}">Back to your comment</a>' in client.get("/accounts/3rdparty/login/cancelled/").text


@pytest.mark.parametrize("parent", ["", "abc", "9" * 30, "-1"])
def test_a_reply_to_nothing_it_can_find_comes_back_to_the_box_at_the_end(client, seed_article, parent):
    response = client.post(
        reverse("comments:sign-in", args=[seed_article.pk]), {"provider": "local", "comment": "Hi", "parent": parent}
    )
    assert response["Location"] == "/accounts/login/?next=%2F2026%2F11%2F02%2Fhemifacial-spasm%2F%23respond"


def test_a_session_keeps_the_drafts_of_a_few_articles_only(client, make_article):
    articles = [make_article() for _ in range(5)]
    for number, article in enumerate(articles):
        client.post(reverse("comments:sign-in", args=[article.pk]), {"provider": "local", "comment": f"Draft {number}"})
    assert list(client.session["comment_drafts"]) == [str(article.pk) for article in articles[-3:]]
    assert "Draft 4</textarea>" in page(client, articles[-1])
    assert "Draft 0" not in page(client, articles[0])


def test_an_unconfigured_provider_is_404(client, seed_article):
    response = client.post(reverse("comments:sign-in", args=[seed_article.pk]), {"provider": "google"})
    assert response.status_code == 404


def test_posting_the_comment_forgets_the_draft(client, seed_article, post_comment):
    client.post(reverse("comments:sign-in", args=[seed_article.pk]), {"provider": "local", "comment": "Draft words"})
    post_comment(client, seed_article, comment="Draft words, finished.")
    assert "Draft words</textarea>" not in page(client, seed_article)


def test_a_failed_sign_in_offers_the_way_back_to_the_kept_comment(client, seed_article):
    client.post(reverse("comments:sign-in", args=[seed_article.pk]), {"provider": "local", "comment": "Draft"})
    text = client.get("/accounts/3rdparty/login/cancelled/").text
    assert "Sign-in did not work" in text
    assert 'href="/2026/11/02/hemifacial-spasm/#respond">Back to your comment</a>' in text


def test_a_member_signed_in_locally_comments_using_the_site_account(client, seed_article, make_user):
    client.force_login(make_user(display_name="Sam Member"))
    text = page(client, seed_article)
    assert "You are commenting using your Leave a Reply account." in text
    assert 'name="email"' not in text
    assert "Log in with" not in text
    sign_out = reverse("comments:sign-out", args=[seed_article.pk])
    assert f'formaction="{sign_out}" formnovalidate name="sign_out" value="log-out">Log Out</button>' in text
    assert f'formaction="{sign_out}" formnovalidate name="sign_out" value="change">Change</button>' in text


def test_a_member_signed_in_with_a_provider_is_told_which_one(client, seed_article, make_user):
    client.force_login(make_user())
    session = client.session
    session[SIGNED_IN_WITH_SESSION_KEY] = "WordPress.com"
    session.save()
    assert "You are commenting using your WordPress.com account." in page(client, seed_article)


def test_log_out_in_the_box_keeps_what_was_typed_for_the_guests_box(client, seed_article, make_user, make_comment):
    parent = make_comment(article=seed_article, author_name="Dr. Lee")
    client.force_login(make_user(display_name="Sam Member"))
    response = client.post(
        reverse("comments:sign-out", args=[seed_article.pk]),
        {"sign_out": "log-out", "comment": "Half a thought <b>kept</b>", "parent": parent.pk, "notify_replies": "on"},
    )
    assert response["Location"] == f"{seed_article.get_absolute_url()}?replytocom={parent.pk}#respond"
    assert not get_user(client).is_authenticated
    text = body(client.get(response["Location"]))
    assert "You have signed out." in text
    assert "Fill in your details below or click an icon to log in:" in text
    assert "Half a thought &lt;b&gt;kept&lt;/b&gt;</textarea>" in text
    assert "Leave a Reply to <bdi>Dr. Lee</bdi>" in text
    # Shown once: whoever uses this browser next (a library's, a ward's) does not find it.
    assert "Half a thought" not in body(client.get(response["Location"]))


def test_change_in_the_box_keeps_what_was_typed_and_offers_the_icons(client, seed_article, make_user):
    client.force_login(make_user())
    response = client.post(
        reverse("comments:sign-out", args=[seed_article.pk]), {"sign_out": "change", "comment": "Typed first."}
    )
    # At the box, as after Log Out: "You have signed out." at its top, the sign-in icons below it.
    assert response["Location"] == f"{seed_article.get_absolute_url()}#respond"
    text = body(client.get(response["Location"]))
    assert "You have signed out." in text
    assert 'id="comment-sign-in"' in text
    assert "Typed first.</textarea>" in text


def test_signing_out_from_the_box_is_refused_from_another_site(seed_article, make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    refused = client.post(reverse("comments:sign-out", args=[seed_article.pk]), {"sign_out": "log-out"})
    assert refused.status_code == 403
    assert get_user(client).is_authenticated
    # Nor can another site plant a draft in a guest's session.
    guest = Client(enforce_csrf_checks=True)
    planted = guest.post(
        reverse("comments:sign-out", args=[seed_article.pk]),
        {"sign_out": "log-out", "comment": "Buy pills"},
        headers={"Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert planted.status_code == 403
    assert "Buy pills" not in guest.get(seed_article.get_absolute_url()).text


def test_log_out_in_a_previews_box_signs_out_as_anywhere_else(client, make_article, make_user):
    writer = make_user(is_staff=True, groups=("Authors",))
    draft = make_article(author=writer, status="draft")
    client.force_login(writer)
    response = client.post(reverse("comments:sign-out", args=[draft.pk]), {"sign_out": "log-out", "comment": "x"})
    assert response["Location"] == "/"
    assert not get_user(client).is_authenticated


def test_a_parent_that_is_no_number_leaves_the_box_at_the_end(client, seed_article, make_user):
    client.force_login(make_user())
    response = client.post(reverse("comments:sign-out", args=[seed_article.pk]), {"sign_out": "log-out", "parent": "²"})
    assert response["Location"] == f"{seed_article.get_absolute_url()}#respond"


def test_the_connecting_page_may_send_its_form_to_that_provider_only(client, seed_article, google_from_the_environment):
    response = client.post(reverse("comments:sign-in", args=[seed_article.pk]), {"provider": "google"})
    policy = response["Content-Security-Policy"]
    assert "form-action 'self' https://accounts.google.com;" in policy
    # Every other page keeps the strict policy.
    assert "form-action 'self';" in client.get(seed_article.get_absolute_url())["Content-Security-Policy"]


def test_the_sign_in_page_lists_providers_that_go_through_connecting(client, google_from_the_environment):
    login_page = client.get("/accounts/login/?next=/2026/11/02/hemifacial-spasm/").text
    assert 'action="/accounts/connect/"' in login_page
    assert 'name="next" value="/2026/11/02/hemifacial-spasm/"' in login_page
    response = client.post(
        "/accounts/connect/", {"provider": "google", "process": "login", "next": "/2026/11/02/hemifacial-spasm/"}
    )
    assert "Connecting to Google…" in response.text
    assert "next=%2F2026%2F11%2F02%2Fhemifacial-spasm%2F" in response.text


def test_connect_refuses_a_next_address_on_another_site(client, google_from_the_environment):
    response = client.post("/accounts/connect/", {"provider": "google", "next": "https://evil.example/"})
    assert "evil.example" not in response.text


def test_an_unreachable_single_sign_on_service_gives_a_clear_page_and_keeps_the_draft(client, seed_article):
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="org-sso",
        name="Our SSO",
        client_id="id",
        secret="secret",
        settings={"server_url": "http://127.0.0.1:9/"},
    )
    app.sites.add(Site.objects.get_current())
    response = client.post(
        reverse("comments:sign-in", args=[seed_article.pk]), {"provider": "org-sso", "comment": "Still here"}
    )
    assert response.status_code == 401
    assert "Sign-in did not work" in response.text
    assert "form-action 'self';" in response["Content-Security-Policy"]
    assert "Still here</textarea>" in page(client, seed_article)
