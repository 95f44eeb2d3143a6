"""Requests the site refuses before any view sees them."""

import re
from urllib.parse import unquote

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

# NUL and the other control characters have no place in an address; PostgreSQL refuses NUL in text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class RefuseControlCharactersMiddleware:
    """A path or query string with a control character gets the site's 400 page, before it reaches a database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if CONTROL_CHARACTERS.search(request.path) or CONTROL_CHARACTERS.search(unquote(query.replace("+", " "))):
            raise BadRequest("A control character in the address.")
        return self.get_response(request)
