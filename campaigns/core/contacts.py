"""The sealed way to reach a member, bound to their member_ref and role.

A member's role decides what they may see (a liaison reads the queue, a lead
the full report and deliveries), so the role is part of the associated data
of their sealed contact: a role changed in the database without the key
makes the contact unreadable and the membership refuses to act.
"""

from __future__ import annotations

from typing import Protocol

from campaigns.core.errors import Unreadable
from campaigns.core.privacy import CampaignVault, Person

CONTACT = "member.contact"


class Contactable(Protocol):
    """A member row, or the columns of one that locate its sealed contact."""

    member_ref: str
    role: str
    contact_sealed: bytes | None


def contact_row(member_ref: str, role: str) -> str:
    """The place a contact is bound to: whose it is and the role they hold."""
    return f"{member_ref}:{role}"


def seal_contact(vault: CampaignVault, person: Person, member_ref: str, role: str) -> bytes:
    """Seal `person` as the contact of the member `member_ref` holding `role`."""
    return vault.seal_person(person, CONTACT, contact_row(member_ref, role))


def open_contact(vault: CampaignVault, member: Contactable) -> Person:
    """The person behind a member row; Unreadable if the row was changed without the key."""
    return vault.open_person(member.contact_sealed, CONTACT,
                             contact_row(member.member_ref, str(member.role)))


def role_is_genuine(vault: CampaignVault, member: Contactable) -> bool:
    """Whether the member's role is the one their contact was sealed with."""
    try:
        open_contact(vault, member)
    except (Unreadable, ValueError):
        return False
    return True
