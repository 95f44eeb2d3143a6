"""gunicorn for Leave a Reply: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`, behind deploy/nginx/.

Sync workers, as many as the cores this process may use (or WEB_CONCURRENCY). The site spends
its time in Python and in PostgreSQL, not waiting on the network (emails are queued tasks;
readers' pages come from the cache), so more workers than cores only take turns on them:
`make bench` posts comments with this number and with twice as many (docs/benchmarks.md).
Raise WEB_CONCURRENCY when PostgreSQL runs on another machine; set it in a container, whose
CPU quota Python does not see (it counts the host's cores).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # where deploy/nginx/ looks for it
workers = int(os.environ.get("WEB_CONCURRENCY") or os.process_cpu_count() or 2)
# A worker silent this long is killed, with the request it was answering (gunicorn's bare 500): PostgreSQL's waits
# end well before (DATABASE_CONNECT_TIMEOUT, and this statement limit, which only the web has: config/settings.py)
# with the site's 503 page.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)  # empty: the default, as the settings read it
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "15")
