import sys

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

# Long enough for a database to restart; short enough for a reader to wait for.
RETRY_AFTER_SECONDS = 30


def csrf_failure(request, reason: str = "", template_name: str = "403_csrf.html"):
    """A refused form (missing or wrong CSRF token) gets the site's own error page."""
    return render(request, template_name, status=403)


def server_error(request):
    """The 500 page; when the database is what failed, a 503 saying to try again soon, with what was typed kept.

    Rendered without the database or the request's context (both may be what failed)."""
    failure = sys.exception()
    if isinstance(failure, DatabaseError):
        typed = [
            request.POST.get(field, "") for field in settings.KEPT_WHEN_THE_DATABASE_FAILS if request.method == "POST"
        ]
        content = loader.get_template("503.html").render({"typed": [text for text in typed if text.strip()]})
        response = HttpResponse(content, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def too_many_requests(request, exception=None):
    """The site's 429 page: too many tries, too fast; say when to come back."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response
