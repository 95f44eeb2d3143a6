"""The yardstick: a WSGI app that only returns the bytes of a page, run under the same gunicorn as the site."""

import os
from pathlib import Path

PAGE = Path(os.environ["BENCH_PAGE_FILE"]).read_bytes()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE)))]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [PAGE]
