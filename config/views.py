import sys

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.staticfiles import finders
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.static import serve

from .outages import database_away

# Long enough for a database to restart; short enough for a reader to wait for.
RETRY_AFTER_SECONDS = 30


def csrf_failure(request, reason: str = "", template_name: str = "403_csrf.html"):
    """A refused form (missing or wrong CSRF token) gets the site's own error page, which gives back what was typed."""
    return render(request, template_name, {"typed": _typed(request)}, status=403)


def bad_request(request, exception=None):
    """The 400 page; a form too large to be read (an article body pasted whole from elsewhere) says so, and where
    what was typed is still to be found."""
    too_large = isinstance(exception, RequestDataTooBig)
    context = {"too_large": too_large, "limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024}
    return render(request, "400.html", context, status=400)


def server_error(request):
    """The 500 page; when the database cannot be reached, a 503 saying to try again soon. Both give back what the
    reader typed (settings.KEPT_WHEN_A_REQUEST_FAILS).

    Rendered without the database or the request's context (both may be what failed)."""
    typed = _typed(request)
    # Unreachable, the connection lost, a failover: an outage. A refused value or a broken query is the site's fault.
    if database_away(sys.exception()):
        response = HttpResponse(loader.get_template("503.html").render({"typed": typed}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render({"typed": typed}))


def _typed(request) -> list[str]:
    if request.method != "POST":
        return []
    try:
        fields = [request.POST.get(field, "") for field in settings.KEPT_WHEN_A_REQUEST_FAILS]
    except Exception:  # a body that cannot be read is what failed: the page is still shown
        return []
    return [text for text in fields if text.strip()]


def too_many_tries(request, *, wait_seconds: int, typed: str = "") -> TemplateResponse:
    """The site's 429 page: too many tries, too fast; it says when to come back (and Retry-After), and gives back
    what was typed."""
    context = {"wait_minutes": max(1, round(wait_seconds / 60)), "typed": typed}
    response = TemplateResponse(request, "429.html", context, status=429)
    response["Retry-After"] = str(wait_seconds)
    return response


# allauth's limits (settings.ACCOUNT_RATE_LIMITS) answer with it too: the longest wait is an address's failed
# sign-ins, 5 minutes.
ACCOUNT_LIMITS_WAIT_SECONDS = 300


def too_many_requests(request, exception=None):
    return too_many_tries(request, wait_seconds=ACCOUNT_LIMITS_WAIT_SECONDS).render()


# ---- The site's icon and web manifest ---------------------------------------------
ICON = "img/icons/favicon.ico"
MANIFEST_ICONS = [("img/icons/icon-192.png", "192x192"), ("img/icons/icon-512.png", "512x512")]
THEME_COLOUR = "#0a5c8a"  # --accent in static/css/site.css


@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the pages say."""
    return FileResponse(open(finders.find(ICON), "rb"), content_type="image/x-icon")


def web_manifest(request):
    """/manifest.webmanifest: the site's name, colours and icons, for a phone's home screen."""
    name = get_current_site(request).name
    manifest = {
        "name": name,
        "short_name": name,
        "start_url": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [{"src": static(path), "sizes": sizes, "type": "image/png"} for path, sizes in MANIFEST_ICONS],
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


def media(request, path: str):
    """An uploaded file, served by Django in development and the tests' live server only (SERVE_MEDIA):
    in production the front server serves MEDIA_ROOT. The folder is read now, so tests may move it."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
