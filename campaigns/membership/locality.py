"""A campaign's language and time zone, which a lead sets (`/campaign language`, `timezone`).

Both are read when nobody's own language or zone is known, and for messages
several people see. The caller checks the values: which languages have a
catalog is the presentation layer's to know.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaigns.core.access import find_campaign, require_member, require_role
from campaigns.core.models import Campaign, Role
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class LocalitySet:
    campaign: str
    campaign_id: int
    language: str | None
    timezone: str | None


def _lead_campaign(uow: UnitOfWork, person: Person, name: str, action: str) -> Campaign:
    campaign = find_campaign(uow, person, name)
    require_role(require_member(uow, campaign, person), (Role.LEAD,), action, campaign)
    return campaign


def _saved(uow: UnitOfWork, campaign: Campaign) -> LocalitySet:
    uow.session.add(campaign)
    uow.commit()
    # The answer reads in the campaign's new language and zone, unless the lead's own is known.
    uow.concerns(campaign.id, campaign.language, campaign.timezone)
    return LocalitySet(campaign.name, campaign.id, campaign.language, campaign.timezone)


def set_language(uow: UnitOfWork, person: Person, name: str, language: str) -> LocalitySet:
    """Leads only: the campaign's language, a locale the caller knows has a catalog."""
    campaign = _lead_campaign(uow, person, name, "campaign language")
    campaign.language = language
    return _saved(uow, campaign)


def set_timezone(uow: UnitOfWork, person: Person, name: str, zone: str) -> LocalitySet:
    """Leads only: the campaign's IANA time zone, already checked by the caller."""
    campaign = _lead_campaign(uow, person, name, "campaign timezone")
    campaign.timezone = zone
    return _saved(uow, campaign)
