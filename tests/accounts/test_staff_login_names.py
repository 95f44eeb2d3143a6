"""A staff account's user name is half of what signs into the admin: readers never see it. A moderator or the site's
owner who answers a reader before giving themselves a display name is shown with the site's name, as a byline
without a name is."""

import pytest
from django.contrib.sites.models import Site
from django.urls import reverse

from accounts.models import User
from comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user):
    return make_user(username="owner-login-7731", email="owner@example.org", is_staff=True, is_superuser=True)


def test_a_reply_from_the_admin_shows_the_sites_name_not_the_staff_login_name(client, owner, article, make_comment):
    Site.objects.update(name="Health Answers")
    Site.objects.clear_cache()
    question = make_comment(article=article, body="Is surgery risky?")
    client.force_login(owner)
    replied = client.post(reverse("admin:comments_comment_reply", args=[question.pk]), {"body": "We answer below."})
    assert replied.status_code == 302
    client.logout()
    page = client.get(article.get_absolute_url()).text
    assert "We answer below." in page
    assert '<bdi class="comment-author">Health Answers</bdi>' in page
    assert "owner-login-7731" not in page
    assert "owner-login-7731" not in client.get(reverse("comments:feed")).text


def test_a_staff_member_with_a_name_is_shown_by_it(owner):
    owner.display_name = "Dr. Ada Byron"
    assert owner.public_name == "Dr. Ada Byron"


def test_a_reader_without_a_name_is_shown_by_their_random_user_name(make_user):
    assert make_user(username="reader-3fa9c2", email="r@example.com").public_name == "reader-3fa9c2"


def test_the_admin_still_names_a_staff_account_by_its_user_name_to_the_staff(owner):
    assert str(owner) == "owner-login-7731"


@pytest.mark.parametrize(
    "names",
    [
        {"display_name": "Dr. Ada Byron", "first_name": "Ada", "is_staff": True},
        {"first_name": "Bea", "last_name": "Brown"},
        {"first_name": "Bea"},
        {"last_name": "Brown", "is_staff": True},
        {"is_staff": True},
        {},
    ],
)
def test_the_database_names_an_account_as_its_pages_do(make_user, article, make_comment, names):
    # The comment list sorts by User.public_name_of, public_name's rules written for the database: the two agree.
    Site.objects.update(name="Health Answers")
    Site.objects.clear_cache()
    account = make_user(username="login-5521", email="a@example.com", **names)
    comment = make_comment(article=article, user=account, author_email=account.email)
    named = Comment.objects.annotate(shown=User.public_name_of("user")).get(pk=comment.pk)
    assert named.shown == account.public_name
