"""Every page a reader can reach is valid HTML, as the Nu Html Checker (vnu.jar) reads it.

`make html-checker` installs vnu.jar from npm and `make system-deps` Java. The pages are rendered
with the test client, written to files and checked in one run of the checker: Java starts slowly.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone

from articles.models import Page, Reference, Reviewer
from comments import tokens
from comments.models import DiscussionSettings, GuestDataRequest
from comments.subscriptions.models import Subscription
from tests.needs import missing

pytestmark = pytest.mark.django_db

VNU_JAR = settings.BASE_DIR / "var" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A cold JVM checking thirty pages takes seconds; a loaded CI machine, more.
VNU_TIMEOUT_SECONDS = 300

# The pages a guest opens, and those a signed-in reader opens under "Your account", by URL name,
# with the status each answers.
GUEST_PAGES = {
    "front-page": ("articles:front", 200),
    "sign-in": ("account_login", 200),
    "sign-in-code": ("account_request_login_code", 200),
    "sign-up": ("account_signup", 200),
    "verification-sent": ("account_email_verification_sent", 200),
    "password-reset": ("account_reset_password", 200),
    "password-reset-sent": ("account_reset_password_done", 200),
    "sign-in-cancelled": ("socialaccount_login_cancelled", 200),
    "sign-in-failed": ("socialaccount_login_error", 401),
    "guest-data-ask": ("comments:guest-data-ask", 200),
}
ACCOUNT_PAGES = {
    "profile": ("accounts:profile", 200),
    "email-addresses": ("account_email", 200),
    "password-change": ("account_change_password", 200),
    "connected-accounts": ("socialaccount_connections", 200),
    "email-subscriptions": ("comments:subscriptions", 200),
    "your-data": ("accounts:privacy", 200),
    "sign-out": ("account_logout", 200),
}


@pytest.fixture
def html_checker() -> list[str]:
    """The command that checks HTML files and reports their errors as JSON."""
    java = shutil.which("java")
    if java is None:
        missing("Java not found; install it with `make system-deps` (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        missing(f"The Nu Html Checker not found at {VNU_JAR}; install it with `make html-checker`")
    # The report on stdout: Java writes its own notices (JAVA_TOOL_OPTIONS…) to stderr.
    return [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]


@pytest.fixture
def threaded_article(seed_article, make_comment, make_likers, reader):
    """The seed article as readers find it: liked, with a guest's comment, a member's reply and a reply to that."""
    make_likers(seed_article, 3)
    question = make_comment(
        article=seed_article, body="Does botulinum toxin wear off?\n\nMine did after <em>three months</em>."
    )
    answer = make_comment(
        article=seed_article,
        parent=question,
        user=reader,
        author_name="Rita Reader",
        author_email=reader.email,
        author_url="https://rita.example.com/",
        body="Mine too: see https://example.org/botox for the schedule.",
    )
    make_comment(article=seed_article, parent=answer, body="Thank you both.")
    # Medically reviewed, with its sources cited in the body.
    seed_article.reviewed_by = Reviewer.objects.create(
        name="Dr Ada Neuro", credentials="MD, FRCP", bio="Consultant neurologist.\n\nWrites on movement disorders."
    )
    seed_article.reviewed_on = timezone.localdate()
    seed_article.body += "<p>Injections help most people [1], though the effect wears off [2].</p>"
    seed_article.save()
    Reference.objects.create(article=seed_article, number=1, citation="Wang A, Jankovic J. Hemifacial spasm. 1998.")
    Reference.objects.create(
        article=seed_article, number=2, citation="NHS: Hemifacial spasm.", url="https://www.nhs.uk/"
    )
    return seed_article


@pytest.fixture
def google_connected(reader):
    """Google offered as a sign-in choice, and the reader's account connected to it."""
    app = SocialApp.objects.create(provider="google", name="Google", client_id="google-id", secret="google-secret")
    app.sites.add(Site.objects.get_current())
    SocialAccount.objects.create(user=reader, provider="google", uid="g-123", extra_data={"name": "Rita R"})


@pytest.fixture
def subscribed(reader, threaded_article) -> Subscription:
    """The reader follows the comments on the article, and waits to confirm news of new articles (returned)."""
    Subscription.objects.create(
        email=reader.email,
        user=reader,
        topic=Subscription.Topic.COMMENTS,
        article=threaded_article,
        status=Subscription.Status.CONFIRMED,
    )
    return Subscription.objects.create(email=reader.email, user=reader, topic=Subscription.Topic.POSTS)


def check(html_checker: list[str], pages: dict[str, str], directory: Path) -> list[str]:
    """The checker's errors in the pages, one line each: file, line and message."""
    files = []
    for name, html in pages.items():
        files.append(directory / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
    result = subprocess.run(
        [*html_checker, *map(str, files)], capture_output=True, text=True, timeout=VNU_TIMEOUT_SECONDS
    )
    # The checker exits with 1 when it found an error: its report says which.
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"The Nu Html Checker gave no report (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    return [
        f"{Path(message.get('url', '?')).name}:{message.get('lastLine', '?')}: {message['message']}"
        + (f"\n    {message['extract'].strip()}" if message.get("extract") else "")
        for message in report["messages"]
    ]


def test_the_pages_readers_reach_are_valid_html(
    client, html_checker, threaded_article, google_connected, subscribed, reader, post_comment, tmp_path
):
    article_url = threaded_article.get_absolute_url()
    # Each page with the status it must answer. Forms are also sent back refused, with their
    # errors shown: error lists and the values typed back are where invalid HTML hides.
    pages = {name: (client.get(reverse(url_name)), status) for name, (url_name, status) in GUEST_PAGES.items()}
    pages["search"] = (client.get("/search/?q=botulinum"), 200)
    pages["search-refused"] = (client.get("/search/", {"q": "spasm " * 100}), 200)
    pages["search-nothing-found"] = (client.get("/search/?q=zzzz"), 200)
    pages["author"] = (client.get(reverse("articles:author", args=[threaded_article.author.author_slug])), 200)
    pages["article"] = (client.get(article_url), 200)
    # Where readers must sign in to comment: "Log in to Reply" under each comment, and the box answering one.
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"registration_required": True})
    replying = {"replytocom": threaded_article.comments.earliest("created_at").pk}
    pages["article-signing-in-to-reply"] = (client.get(article_url, replying), 200)
    DiscussionSettings.objects.filter(pk=1).update(registration_required=False)
    # A page of the site's own (About us), linked in every page's footer.
    Page.objects.create(title="About us", slug="about", body="<p>Who we are.</p>", published=True, in_footer=True)
    pages["site-page"] = (client.get("/about/"), 200)
    Redirect.objects.create(site_id=1, old_path="/withdrawn-advice/", new_path="")
    pages["gone"] = (client.get("/withdrawn-advice/"), 410)
    pages["article-comment-refused"] = (post_comment(client, threaded_article, comment="", url="not a website"), 400)
    pages["sign-up-refused"] = (
        client.post(reverse("account_signup"), {"email": "not an address", "password1": "short", "password2": "x"}),
        200,
    )
    pages["sign-in-refused"] = (client.post(reverse("account_login"), {"login": reader.email, "password": "no"}), 200)
    pages["connecting"] = (client.post(reverse("accounts:connect"), {"provider": "google"}), 200)
    # A guest's data: asked for (refused, then sent), and the emailed link's page (refused, then its erase refused).
    guest_data = reverse("comments:guest-data-ask")
    pages["guest-data-ask-refused"] = (client.post(guest_data, {"email": "not an address"}), 200)
    pages["guest-data-sent"] = (client.post(guest_data, {"email": subscribed.email}), 200)
    guest_data_link = tokens.guest_data_path(GuestDataRequest.objects.get())
    pages["guest-data"] = (client.get(guest_data_link), 200)
    pages["guest-data-erase-refused"] = (client.post(guest_data_link, {"action": "erase"}), 200)
    pages["guest-data-link-refused"] = (client.get(reverse("comments:guest-data", args=["damaged"])), 400)

    client.force_login(reader)
    pages["article-signed-in"] = (client.get(article_url), 200)
    pages |= {name: (client.get(reverse(url_name)), status) for name, (url_name, status) in ACCOUNT_PAGES.items()}
    pages["profile-refused"] = (client.post(reverse("accounts:profile"), {"website": "not a website"}), 200)
    pages["email-address-refused"] = (client.post(reverse("account_email"), {"action_add": "", "email": "no"}), 200)
    pages["password-change-refused"] = (
        client.post(reverse("account_change_password"), {"oldpassword": "no", "password1": "short", "password2": "x"}),
        200,
    )
    # Deleting the account asks for the password again first (accounts.views.privacy).
    pages["password-again"] = (client.get(reverse("account_reauthenticate")), 200)
    pages["password-again-refused"] = (client.post(reverse("account_reauthenticate"), {"password": "no"}), 200)
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery"})
    pages["your-data-refused"] = (client.post(reverse("accounts:privacy"), {}), 400)

    # The links in subscription emails, last: they change the subscription the pages above list.
    confirm, unsubscribe = tokens.confirm_path(subscribed), tokens.unsubscribe_path(subscribed)
    pages["subscription-confirm"] = (client.get(confirm), 200)
    pages["subscription-confirmed"] = (client.post(confirm), 200)
    pages["unsubscribe"] = (client.get(unsubscribe), 200)
    pages["unsubscribed"] = (client.post(unsubscribe), 200)
    pages["subscription-link-refused"] = (client.get(reverse("comments:unsubscribe", args=["damaged"])), 400)

    wrong_statuses = [
        f"{name}.html: answered {response.status_code}, not {status}"
        for name, (response, status) in pages.items()
        if response.status_code != status
    ]
    errors = check(html_checker, {name: response.text for name, (response, _) in pages.items()}, tmp_path)

    # Both at once: a page that does not answer as it should hides no error in the others.
    problems = wrong_statuses + errors
    assert not problems, f"{len(problems)} problems (the pages are in {tmp_path}):\n" + "\n".join(problems)
