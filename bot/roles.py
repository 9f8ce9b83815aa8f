"""Who is who: admins and staff by Telegram user id, everyone else a partner."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.retrieval import Role
from knowledge.settings import Settings


@dataclass(frozen=True)
class Roles:
    """The configured admins and staff."""

    admins: frozenset[int]
    staff: frozenset[int]

    @classmethod
    def from_settings(cls, settings: Settings) -> Roles:
        """Read INDGANG_ADMIN_IDS and INDGANG_STAFF_IDS."""
        return cls(settings.admin_ids, settings.staff_ids)

    def is_admin(self, user_id: int | None) -> bool:
        """Return whether the user may run admin commands."""
        return user_id is not None and user_id in self.admins

    def retrieval_role(self, user_id: int | None) -> Role:
        """Return "staff" for staff and admins (internal documents allowed), else "partner"."""
        if user_id is not None and (user_id in self.staff or user_id in self.admins):
            return "staff"
        return "partner"
