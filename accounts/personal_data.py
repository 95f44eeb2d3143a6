"""What the site holds about a member, told by each app for its own tables.

accounts knows nothing of the apps above it: each app that keeps data about members
registers its part from its AppConfig.ready(), and the export and the deletion of an
account go through every part registered.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalData:
    """One app's part: its sections of a member's export, and how it forgets the member before the account goes."""

    export: Callable[..., dict[str, object]]
    erase: Callable[..., None]


_parts: dict[str, PersonalData] = {}


def register(app_label: str, *, export: Callable[..., dict[str, object]], erase: Callable[..., None]) -> None:
    """Add an app's part; registering again (apps loaded twice in tests) replaces it."""
    _parts[app_label] = PersonalData(export=export, erase=erase)


def parts() -> list[PersonalData]:
    """Every registered part, in the order the apps were loaded."""
    return list(_parts.values())
