import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from comments.services import ANONYMOUS_NAME, comments_anonymise
from comments.subscriptions.models import Subscription
from comments.subscriptions.services import subscription_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def carla(make_user):
    """A member with a verified second address typed in capitals, and an unverified third one."""
    member = make_user(email="carla@example.com")
    EmailAddress.objects.create(user=member, email="Carla.Work@Example.com", verified=True)
    EmailAddress.objects.create(user=member, email="carla.old@example.com", verified=False)
    return member


def subscribe(email: str, **fields) -> Subscription:
    return Subscription.objects.create(email=email, topic="posts", status="confirmed", **fields)


def test_a_members_subscriptions_are_those_of_the_account_and_of_its_verified_addresses(carla, make_user):
    by_account = subscribe("carla@example.com", user=carla)
    as_guest_from_work = subscribe("carla.work@example.com")
    subscribe("carla.old@example.com")
    subscribe("someone@example.com", user=make_user())
    assert set(Subscription.objects.belonging_to(carla)) == {by_account, as_guest_from_work}


def test_active_subscriptions_leave_out_the_unsubscribed(carla):
    kept = subscribe("carla@example.com", user=carla)
    stopped = subscribe("carla.work@example.com")
    stopped.unsubscribe()
    assert list(Subscription.objects.belonging_to(carla).active()) == [kept]


def test_erasing_a_member_deletes_their_subscriptions_and_then_each_address_erases_the_rest(
    carla, make_user, make_article, make_comment
):
    article = make_article()
    subscribe("carla@example.com", user=carla)
    subscribe("carla.work@example.com")
    unverified = subscribe("carla.old@example.com")
    someone_elses = subscribe("someone@example.com", user=make_user())
    as_guest = make_comment(article=article, author_email="carla.work@example.com", author_name="Carla")

    # As the account deletion does: the account, then each verified address, then the user.
    comments_anonymise(user=carla)
    assert set(Subscription.objects.all()) == {unverified, someone_elses}
    for address in EmailAddress.objects.filter(user=carla, verified=True).values_list("email", flat=True):
        comments_anonymise(email=address)
    carla.delete()

    assert set(Subscription.objects.all()) == {unverified, someone_elses}
    as_guest.refresh_from_db()
    assert (as_guest.author_name, as_guest.author_email) == (ANONYMOUS_NAME, "")


def test_an_address_taken_off_the_account_is_sent_nothing_more_the_account_subscribed_it_to(make_user, client, article):
    # Dan gives up his work address (a job he left): the site must stop writing to it for his account.
    dan = make_user(email="dan@example.com")
    EmailAddress.objects.create(user=dan, email="dan.work@example.com", verified=True)
    by_account = Subscription.objects.create(
        email="dan.work@example.com", user=dan, topic="comments", article=article, status="confirmed"
    )
    as_guest = subscribe("dan.work@example.com")  # the address's own, asked signed out: left to whoever holds it
    kept = subscribe("dan@example.com", user=dan)
    client.force_login(dan)
    response = client.post(reverse("account_email"), {"action_remove": "", "email": "dan.work@example.com"})
    assert response.status_code == 302
    assert not EmailAddress.objects.filter(email="dan.work@example.com").exists()
    statuses = dict(Subscription.objects.values_list("pk", "status"))
    assert statuses == {as_guest.pk: "confirmed", kept.pk: "confirmed"}
    assert not Subscription.objects.filter(pk=by_account.pk).exists()


def test_an_address_taken_off_the_account_and_subscribed_by_its_next_holder_is_not_shown_on_the_account(
    make_user, client, article
):
    # Found by a review: the account's stopped subscription stayed the account's; the address's next holder asking
    # for the same article's comments signed out took that row up again, and it showed on the old owner's account.
    dan = make_user(email="dan@example.com")
    EmailAddress.objects.create(user=dan, email="dan.work@example.com", verified=True)
    Subscription.objects.create(
        email="dan.work@example.com", user=dan, topic="comments", article=article, status="confirmed"
    )
    client.force_login(dan)
    assert (
        client.post(reverse("account_email"), {"action_remove": "", "email": "dan.work@example.com"}).status_code == 302
    )
    subscription_request(email="dan.work@example.com", topic="comments", article=article).confirm()

    page = client.get(reverse("comments:subscriptions")).text

    assert article.title not in page


def test_an_address_a_superuser_takes_off_the_account_is_sent_nothing_more_the_account_subscribed_it_to(
    make_user, admin_client, article
):
    # Found by a review: a member asks staff to remove an old address (Accounts → Email addresses in the admin); only
    # the member's own Email addresses page stopped its subscriptions.
    dan = make_user(email="dan@example.com")
    work = EmailAddress.objects.create(user=dan, email="dan.work@example.com", verified=True)
    Subscription.objects.create(
        email="dan.work@example.com", user=dan, topic="comments", article=article, status="confirmed"
    )
    delete = reverse("admin:account_emailaddress_delete", args=[work.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not EmailAddress.objects.filter(email="dan.work@example.com").exists()

    assert not Subscription.objects.filter(email="dan.work@example.com").confirmed().exists()
