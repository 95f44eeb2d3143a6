import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

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
