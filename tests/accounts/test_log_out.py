"""Log out from the header of every page, as WordPress's admin bar and account menu offer it (found by an exploratory
review: only the comment box of an open article had a way out)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOG_OUT = f'<form class="log-out" method="post" action="{reverse("account_logout")}">'


def test_every_page_of_a_signed_in_member_offers_log_out(client, reader, article):
    client.force_login(reader)
    for address in ("/", article.get_absolute_url(), reverse("accounts:profile"), reverse("comments:subscriptions")):
        text = client.get(address).text
        header = text.split("</header>")[0]
        assert LOG_OUT in header, address
        assert 'name="csrfmiddlewaretoken"' in header.split(LOG_OUT)[1].split("</form>")[0]


def test_log_out_signs_the_member_out_and_leads_to_the_front_page(client, reader):
    client.force_login(reader)
    response = client.post(reverse("account_logout"))
    assert response["Location"] == "/"
    assert LOG_OUT not in client.get("/").text
    assert client.get(reverse("accounts:profile")).status_code == 302  # to sign in


def test_a_guests_page_has_no_log_out_and_no_token(client, article):
    text = client.get(article.get_absolute_url()).text
    assert LOG_OUT not in text
    assert "csrfmiddlewaretoken" not in text
