"""gunicorn for Leave a Reply: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`, behind deploy/nginx/.

Sync workers, as many as the machine has cores (or WEB_CONCURRENCY). The site spends its time
in Python and in PostgreSQL, not waiting on the network (emails are queued tasks; readers' pages
come from the cache), so more workers than cores only take turns on them: on a 2-core machine
that also runs PostgreSQL and Redis, 2 workers posted a fifth more comments than 4, each sooner
(`make bench` measures both; docs/benchmarks.md). Raise WEB_CONCURRENCY when PostgreSQL runs on
another machine.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # where deploy/nginx/ looks for it
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
