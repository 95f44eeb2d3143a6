import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_wsgi_application()

# Imported once Django is set up: a page shared by every anonymous reader is answered from the cache first.
from config.pagecache import SharedPageApplication  # noqa: E402

application = SharedPageApplication(django_application)

# What is loaded by now (Django, the apps, their modules) lives as long as the process: the garbage
# collector stops walking it on every collection, which otherwise costs each request a share of its time.
gc.freeze()
