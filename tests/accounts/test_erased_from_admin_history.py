"""Deleting an account leaves its name and addresses in no line of the admin's history (django.contrib.admin's
LogEntry, named by what the object was called when staff changed it), whatever the line is about."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from accounts.services import account_delete
from articles.models import Like

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(make_user):
    return make_user(username="sam", email="sam@example.com", display_name="Sam Member")


@pytest.fixture
def superuser_client(make_user):
    staff = Client()
    staff.force_login(make_user(is_staff=True, is_superuser=True))
    return staff


def test_deleting_the_account_leaves_its_name_in_no_line_of_the_admins_history_of_likes(superuser_client, sam, article):
    # A superuser once added the member's like in the admin: its history line says who likes what.
    added = superuser_client.post(reverse("admin:articles_like_add"), {"article": article.pk, "user": sam.pk})
    assert added.status_code == 302
    assert LogEntry.objects.get().object_repr == "Sam Member likes “Hemifacial spasm”"

    account_delete(user=sam)

    assert not Like.objects.exists()
    assert "Sam" not in LogEntry.objects.get().object_repr
