"""Who may read what: roles, the audiences a role reads, and the documents it may see.

Partners read public documents only; staff and admins read internal ones too. Every
store query takes its audiences from here, so the rule has one home. The audience of
an answer follows where it is shown: staff get internal text only in a private chat
with the bot or in a chat listed as a staff chat; anywhere else partners may read
along, so everyone there is answered as a partner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from knowledge.index.manifest import DocumentRecord, Manifest
from knowledge.index.store import Store, chunk_by_id, to_passage
from knowledge.models import Audience, Passage
from knowledge.settings import Settings

Role = Literal["partner", "staff"]


def audiences_for(role: Role) -> tuple[Audience, ...]:
    """Return the audiences a role may read: partners only public documents."""
    return ("public", "internal") if role == "staff" else ("public",)


def role_for_audience(audience: str) -> Role:
    """Return who is asking for an audience option: "internal" is staff, else a partner."""
    return "staff" if audience == "internal" else "partner"


def readable_documents(manifest: Manifest | None, role: Role) -> list[DocumentRecord]:
    """Return the indexed documents the role may read (for listing sources)."""
    audiences = audiences_for(role)
    return [r for r in (manifest.documents.values() if manifest else []) if r.audience in audiences]


def readable_passage(store: Store, chunk_id: str, role: Role) -> Passage | None:
    """Return one passage of the current index if it exists and the role may read it."""
    snapshot = store.snapshot()
    row = chunk_by_id(snapshot, chunk_id, audiences_for(role)) if snapshot else None
    return to_passage(row, 0.0) if row else None


@dataclass(frozen=True)
class Roles:
    """The configured admins, staff and staff chats; everyone else is a partner."""

    admins: frozenset[int]
    staff: frozenset[int]
    staff_chats: frozenset[int] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> Roles:
        """Read INDGANG_ADMIN_IDS, INDGANG_STAFF_IDS and INDGANG_STAFF_CHAT_IDS."""
        return cls(settings.admin_ids, settings.staff_ids, settings.staff_chat_ids)

    @classmethod
    def for_terminal(cls, user_id: int, role: Role) -> Roles:
        """Return the roles of a terminal chat: its one user has the role asked for."""
        return cls(frozenset(), frozenset({user_id}) if role == "staff" else frozenset())

    def is_admin(self, user_id: int | None) -> bool:
        """Return whether the user may run admin commands."""
        return user_id is not None and user_id in self.admins

    def role_of(self, user_id: int | None) -> Role:
        """Return "staff" for staff and admins (internal documents allowed), else "partner"."""
        if user_id is not None and (user_id in self.staff or user_id in self.admins):
            return "staff"
        return "partner"

    def role_in_chat(self, user_id: int | None, chat_id: int | None, private: bool) -> Role:
        """Return the role to answer as where the answer is shown.

        A private chat takes the user's own role; a listed staff chat is staff; any other
        chat (a group, a channel) is answered as a partner, since partners may read it.
        """
        if private:
            return self.role_of(user_id)
        return "staff" if chat_id is not None and chat_id in self.staff_chats else "partner"

    def admin_in_chat(self, user_id: int | None, chat_id: int | None, private: bool) -> bool:
        """Return whether admin commands may run here: an admin, where only staff read.

        Their replies name files and figures (a reindex report lists internal documents),
        so in a group partners may read they are refused like any other partner's.
        """
        return self.is_admin(user_id) and self.role_in_chat(user_id, chat_id, private) == "staff"
