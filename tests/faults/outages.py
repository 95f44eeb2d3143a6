"""The errors a database outage raises, as Django raises them, for the fault tests."""

import psycopg
from django.db import InternalError, OperationalError

LOST = OperationalError("server closed the connection unexpectedly")


def read_only_moment() -> InternalError:
    """PostgreSQL's answer to a write during a failover (SQLSTATE 25006), as Django wraps it."""
    message = "cannot execute UPDATE in a read-only transaction"
    error = InternalError(message)
    error.__cause__ = psycopg.errors.ReadOnlySqlTransaction(message)
    return error
