from django.shortcuts import render


def csrf_failure(request, reason: str = "", template_name: str = "403_csrf.html"):
    """A refused form (missing or wrong CSRF token) gets the site's own error page."""
    return render(request, template_name, status=403)
