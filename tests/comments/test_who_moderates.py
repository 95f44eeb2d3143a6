"""`make run` says where the emails about held comments go."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_moderators_addresses_are_listed(capsys, moderator, make_user):
    make_user(username="root", email="root@example.org", is_superuser=True, is_staff=True)
    make_user(username="quiet", email="", groups=("Moderators",), is_staff=True)
    call_command("who_moderates")
    out = capsys.readouterr().out
    assert "Held comments are emailed to: mo@example.com, root@example.org" in out
    assert "Authors who write in the admin are emailed too, about held comments under their own articles." in out


def test_no_address_to_send_to_is_said_plainly(capsys, make_user):
    make_user(username="root", email="", is_superuser=True, is_staff=True)
    call_command("who_moderates")
    assert "Held comments are emailed to nobody" in capsys.readouterr().out


def test_in_development_it_says_emails_are_printed_not_sent(capsys, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    call_command("who_moderates")
    assert "Emails are printed in this terminal, not sent" in capsys.readouterr().out
