"""Background tasks: queued with the change that calls for them, and run again when the mail server or the database
fails them."""

import datetime
import logging
import smtplib
from functools import wraps

from django.db import InterfaceError, InternalError, OperationalError, transaction
from django.tasks import Task, TaskResultStatus, task
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from .outages import away_for_a_while

logger = logging.getLogger(__name__)

# A task that fails for a while is tried again after 1, 5 and 30 minutes, then every hour for a day.
RETRY_DELAYS = [datetime.timedelta(minutes=minutes) for minutes in (1, 5, 30)] + [datetime.timedelta(hours=1)] * 24


def enqueue_or_log(task: Task, **kwargs) -> None:
    """Queue a task; if that fails, log it and carry on (with the immediate backend it runs here, logged likewise)."""
    try:
        task.enqueue(**kwargs)
    except Exception:
        logger.exception("Could not queue %s with %r", task.name, kwargs)


def enqueue_with_the_change(task: Task, **kwargs) -> None:
    """Queue a task as part of the current transaction, so that the change and its task are saved together.

    A queue in the database (production) stores the task in the same transaction: if the
    change is saved, so is the task, and a worker sees it only once committed. A queue that
    runs tasks at once (development) runs it after the commit instead."""
    if task.get_backend().supports_defer:  # a queue that keeps tasks: django_tasks_db
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: enqueue_or_log(task, **kwargs), robust=True)


# The retried tasks, by path: what the sweep looks after.
RETRIED_TASKS: dict[str, Task] = {}


def retried_task(function):
    """A task queued again after a delay when the mail server or the database fails it (RETRY_DELAYS): every email,
    and every task that queues emails. Each must be safe to run again: one that queues several does it in one
    transaction, and what was done already is not done twice (Delivery, author_told_at) or at worst once more.

    The failed attempt ends as a failed task, its error in the admin; the next one is its own task."""

    @task
    @wraps(function)
    def run(*, attempt: int = 0, **kwargs):
        try:
            return function(**kwargs)
        except Exception as error:
            # Not a refused value or a bug, which would fail every time: those end here (config.outages).
            if not away_for_a_while(error):
                raise
            if attempt < len(RETRY_DELAYS) and run.get_backend().supports_defer:
                later = run.using(run_after=timezone.now() + RETRY_DELAYS[attempt])
                enqueue_or_log(later, attempt=attempt + 1, **kwargs)
            else:
                logger.exception("Gave up running %s with %r after %d attempts", run.name, kwargs, attempt + 1)
            raise

    RETRIED_TASKS[run.module_path] = run
    return run


class WorkerStopped(Exception):
    """What a task left running by a stopped worker is marked failed with (queue_lost_retries)."""


# A task still running after this long was left by a worker that stopped midway (its database or its host failed):
# an email is sent or fails within the mail server's timeout (EMAIL_TIMEOUT), a fan-out within seconds.
STOPPED_AFTER = datetime.timedelta(minutes=15)


def queue_lost_retries() -> int:
    """Queue the next attempt of every failed retried task (an email, a fan-out) whose next attempt was never queued,
    and again every task a stopped worker left running; returns how many.

    The worker queues a retry right after the failure; if the database failed at that moment too,
    this finds it (`manage.py queue_lost_retries`, from cron)."""
    queued = _queue_what_a_stopped_worker_left()
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, task_path__in=list(RETRIED_TASKS))
    for result in failed.filter(finished_at__lt=timezone.now() - datetime.timedelta(minutes=1)):
        if not _failed_for_a_while(result):
            continue  # a bug, or a refused value: it would fail again
        kwargs = dict(result.args_kwargs.get("kwargs", {}))
        attempt = kwargs.pop("attempt", 0)
        if attempt >= len(RETRY_DELAYS):
            continue  # given up, as the log said
        same = {f"args_kwargs__kwargs__{key}": value for key, value in kwargs.items()}
        later = DBTaskResult.objects.filter(task_path=result.task_path, enqueued_at__gt=result.enqueued_at, **same)
        if not later.exists():
            RETRIED_TASKS[result.task_path].enqueue(attempt=attempt + 1, **kwargs)
            queued += 1
    return queued


def _failed_for_a_while(result: DBTaskResult) -> bool:
    """Whether a failed task failed as retried_task tries again (config.outages), read from what the queue kept of the
    error: its class, and for PostgreSQL's read-only moment its message."""
    try:
        error = import_string(result.exception_class_path)
    except ImportError:
        return False
    if not isinstance(error, type):
        return False
    if issubclass(error, InternalError):
        return "read-only transaction" in result.traceback
    return issubclass(error, OperationalError | InterfaceError | smtplib.SMTPException | OSError | WorkerStopped)


def _queue_what_a_stopped_worker_left() -> int:
    """Tasks left running by a worker that stopped: each is marked failed, and queued again (an email as its next
    attempt). An email may then go twice, if the worker stopped after sending it; never none."""
    queued = 0
    left = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - STOPPED_AFTER)
    for result in left:
        with transaction.atomic():
            stopped = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}",
                traceback="The worker stopped while running it (its database or its host failed): queued again.",
            )
            if not stopped:
                continue  # finished meanwhile
            args, kwargs = result.args_kwargs.get("args", []), dict(result.args_kwargs.get("kwargs", {}))
            if result.task_path in RETRIED_TASKS:
                kwargs["attempt"] = kwargs.get("attempt", 0) + 1
            result.task.enqueue(*args, **kwargs)
            queued += 1
    return queued
