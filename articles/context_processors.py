from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """The site's name, for the header and page titles."""
    return {"site_name": get_current_site(request).name}
