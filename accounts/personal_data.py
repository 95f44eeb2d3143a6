"""What the site holds about a member, told by each app for its own tables.

accounts knows nothing of the apps above it: each app that keeps data about members
registers its part from its AppConfig.ready(), and the export and the deletion of an
account go through every part registered.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalData:
    """One app's part: its sections of a member's export, how it forgets the member before the account goes, and
    why the account may not go yet ("" when it may: an article's author must first see it given to another)."""

    export: Callable[..., dict[str, object]]
    erase: Callable[..., None]
    kept_because: Callable[..., str] | None = None


_parts: dict[str, PersonalData] = {}


def register(
    app_label: str,
    *,
    export: Callable[..., dict[str, object]],
    erase: Callable[..., None],
    kept_because: Callable[..., str] | None = None,
) -> None:
    """Add an app's part; registering again (apps loaded twice in tests) replaces it."""
    _parts[app_label] = PersonalData(export=export, erase=erase, kept_because=kept_because)


def parts() -> list[PersonalData]:
    """Every registered part, in the order the apps were loaded."""
    return list(_parts.values())


def reasons_to_keep(user) -> list[str]:
    """Why this member's account may not be deleted yet, one sentence per app that keeps it; none when it may."""
    return [reason for part in parts() if part.kept_because and (reason := part.kept_because(user))]
