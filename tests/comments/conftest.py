import time
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from comments.forms import FORM_STARTED_SALT


def form_started(seconds_ago: float = 60) -> str:
    """The signed start time of a comment form shown that long ago."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds_ago):
        return signing.TimestampSigner(salt=FORM_STARTED_SALT).sign("form")


@pytest.fixture
def post_comment():
    """POST the Leave a Reply box as a browser would, from a given IP address."""

    def post(client, article, *, ip="203.0.113.7", started=None, follow=False, **fields):
        data = {
            "comment": "Thank you, this helped me understand my diagnosis.",
            "email": "reader@example.com",
            "name": "Rita Reader",
            "url": "",
            "started": form_started() if started is None else started,
            **fields,
        }
        meta = {"REMOTE_ADDR": ip, "HTTP_USER_AGENT": "Mozilla/5.0 (test)"}
        meta.update({key: data.pop(key) for key in list(data) if key.startswith("HTTP_")})
        data = {key: value for key, value in data.items() if value is not None}
        return client.post(reverse("comments:post", args=[article.pk]), data, follow=follow, **meta)

    return post
