import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger(__name__)

# The pause before the worker starts again after the database failed: doubled each time, up to a minute.
FIRST_PAUSE_SECONDS = 1
LONGEST_PAUSE_SECONDS = 60


class Command(db_worker.Command):
    help = (
        "Run the queued tasks (emails), as django_tasks_db's db_worker with the same options, and outlive database "
        "outages: where db_worker stops for good when PostgreSQL goes away, this waits and starts it again."
    )

    def handle(self, **options) -> None:
        pause = FIRST_PAUSE_SECONDS
        while True:
            try:
                return super().handle(**options)
            except (OperationalError, InterfaceError) as error:
                logger.warning("The database failed (%s): the task worker starts again in %d s.", error, pause)
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
