"""Queueing background tasks from a request, where a failure must never cost the reader their request."""

import logging

from django.tasks import Task

logger = logging.getLogger(__name__)


def enqueue_or_log(task: Task, **kwargs) -> None:
    """Queue a task; if that fails, log it and carry on (with the immediate backend it runs here, logged likewise)."""
    try:
        task.enqueue(**kwargs)
    except Exception:
        logger.exception("Could not queue %s with %r", task.name, kwargs)
