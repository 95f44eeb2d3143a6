import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.contrib.sites.models import Site
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_first_admin_is_created_once_and_its_password_printed_once(capsys):
    call_command("create_first_admin")
    first = capsys.readouterr().out
    username = re.search(r"user name: (\S+)", first).group(1)
    password = re.search(r"password:\s+(\S+)", first).group(1)
    user = authenticate(username=username, password=password)
    assert user is not None and user.is_superuser and user.is_staff

    call_command("create_first_admin")
    second = capsys.readouterr().out
    assert "already exists" in second
    assert password not in second


def test_each_install_gets_a_different_random_password(capsys, django_user_model):
    passwords = []
    for _ in range(2):
        django_user_model.objects.filter(is_superuser=True).delete()
        call_command("create_first_admin")
        passwords.append(re.search(r"password:\s+(\S+)", capsys.readouterr().out).group(1))
    assert passwords[0] != passwords[1]
    assert len(passwords[0]) >= 20


def test_the_first_admin_gets_the_address_given_in_admin_email(capsys, monkeypatch, django_user_model):
    monkeypatch.setenv("ADMIN_EMAIL", "Owner@Example.org")
    call_command("create_first_admin")
    admin = django_user_model.objects.get(is_superuser=True)
    assert admin.email == "owner@example.org"
    assert EmailAddress.objects.filter(user=admin, email="owner@example.org", verified=True, primary=True).exists()
    assert "emailed to nobody" not in capsys.readouterr().out


def test_a_first_admin_without_an_address_is_told_held_comments_go_nowhere(capsys, monkeypatch):
    monkeypatch.delenv("ADMIN_EMAIL", raising=False)
    call_command("create_first_admin", "--ask-email")  # no terminal attached under pytest: nothing is asked
    out = capsys.readouterr().out
    assert "held comments are emailed to nobody" in out
    assert "ADMIN_EMAIL=you@example.org" in out


def test_an_admin_email_that_is_no_address_is_refused(monkeypatch, django_user_model):
    monkeypatch.setenv("ADMIN_EMAIL", "not an address")
    with pytest.raises(CommandError, match="'not an address' is not an email address."):
        call_command("create_first_admin")
    assert not django_user_model.objects.exists()


def test_the_sign_in_link_names_the_address_served(capsys):
    call_command("create_first_admin", "--address", "127.0.0.1:8123")
    assert "sign in at http://127.0.0.1:8123/admin/" in capsys.readouterr().out


@pytest.mark.parametrize("first", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.0.1:9000"])
def test_in_development_the_sites_domain_follows_the_address_served(capsys, first):
    Site.objects.filter(pk=1).update(domain=first)
    Site.objects.clear_cache()
    call_command("site_address", "127.0.0.1:8123")
    assert Site.objects.get_current().domain == "127.0.0.1:8123"
    assert "Links in emails and feeds point to http://127.0.0.1:8123/" in capsys.readouterr().out


@pytest.mark.parametrize("owners", ["health.example.org", "127.0.0.1.example.org", "localhost.example:8000"])
def test_a_domain_the_owner_set_is_kept(capsys, owners):
    Site.objects.filter(pk=1).update(domain=owners)
    Site.objects.clear_cache()
    call_command("site_address", "127.0.0.1:8123")
    assert Site.objects.get_current().domain == owners
    assert f"point to http://{owners}/" in capsys.readouterr().out
