"""What counts as a service away for a while, not a fault of the site's: the database unreachable, its connection
lost, or a failover's read-only moment; a mail server that cannot take a message. The error page then says to try
again soon (503), and the task queue tries again later."""

import smtplib

from django.db import InterfaceError, InternalError, OperationalError

# PostgreSQL's "cannot execute … in a read-only transaction": a standby being promoted, or the primary demoted.
READ_ONLY_TRANSACTION = "25006"


def database_away(error: BaseException | None) -> bool:
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, InternalError) and getattr(error.__cause__, "sqlstate", None) == READ_ONLY_TRANSACTION


def away_for_a_while(error: BaseException | None) -> bool:
    """The database away, or a mail server refusing, unreachable or timed out."""
    return database_away(error) or isinstance(error, smtplib.SMTPException | OSError)
