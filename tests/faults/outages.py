"""The errors a database outage raises, as Django raises them, and a function met by one, for the fault tests."""

from collections.abc import Callable

import psycopg
from django.db import InternalError, OperationalError

LOST = OperationalError("server closed the connection unexpectedly")


def read_only_moment() -> InternalError:
    """PostgreSQL's answer to a write during a failover (SQLSTATE 25006), as Django wraps it."""
    message = "cannot execute UPDATE in a read-only transaction"
    error = InternalError(message)
    error.__cause__ = psycopg.errors.ReadOnlySqlTransaction(message)
    return error


def failing_once(real: Callable, error: Exception = LOST, *, at: int = 1) -> Callable:
    """`real`, failing with `error` at its `at`-th call only, as a restarting database fails the statement it is
    sent then (the first, unless told)."""
    calls = 0

    def call(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == at:
            raise error
        return real(*args, **kwargs)

    return call
