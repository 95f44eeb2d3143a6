"""A member is told by email when their password or their addresses change (allauth's notifications, as WordPress's
"Password Changed" and "Email Changed"): someone using a session left open cannot take the account over unseen.
Found by an exploratory review: nothing was sent."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_changing_the_password_tells_the_member(client, make_user, mailoutbox, django_capture_on_commit_callbacks):
    member = make_user(email="sam@example.com")
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_change_password"),
            {
                "oldpassword": "correct horse battery",
                "password1": "a brand new passphrase",
                "password2": "a brand new passphrase",
            },
        )
    assert response.status_code == 302
    [notice] = [message for message in mailoutbox if message.to == ["sam@example.com"]]
    assert "Password Changed" in notice.subject
    assert "Your password has been changed" in notice.body


def test_changing_the_primary_address_tells_the_old_one(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    member = make_user(email="sam@example.com")
    EmailAddress.objects.create(user=member, email="new@example.com", verified=True, primary=False)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_email"), {"action_primary": "", "email": "new@example.com"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "new@example.com"
    [notice] = [message for message in mailoutbox if message.to == ["sam@example.com"]]
    assert "new@example.com" in notice.body
