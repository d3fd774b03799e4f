"""What petitions borrow from the grievances work: talking points and front-page warnings."""

from __future__ import annotations

from dataclasses import dataclass

from campaigns.core import talking_points
from campaigns.core.access import vault_of
from campaigns.core.frontpage import Concern, FrontPageWarning, front_page_warnings
from campaigns.core.integers import typed_number
from campaigns.core.models import Campaign, TalkingPoint
from campaigns.core.unit_of_work import UnitOfWork

SUPPORTERS_NEEDED = talking_points.MIN_SUPPORTERS


@dataclass(frozen=True)
class PointFound:
    text: str
    supporters: int


def point_number(ref: str) -> int | None:
    """`3` or `#3` is talking point 3; anything else is no point at all."""
    return typed_number((ref or "").strip().lstrip("#"))


def supported_point(uow: UnitOfWork, campaign: Campaign, ref: str) -> PointFound | None:
    """The campaign's talking point `ref` with its published support (0 before a count), or None."""
    number = point_number(ref)
    point = uow.session.get(TalkingPoint, number) if number is not None else None
    if point is None or point.campaign_id != campaign.id:
        return None
    text = vault_of(uow, campaign).open(point.text_sealed, "talking_point.text", point.id)
    return PointFound(text, talking_points.published_support(point) or 0)


def warnings_for(*parts: str) -> list[FrontPageWarning]:
    """Front-page warnings over every part of a petition, one per concern; they never block a draft."""
    found: dict[Concern, dict[str, str]] = {}
    for part in parts:
        for warning in front_page_warnings(part):
            words = found.setdefault(warning.concern, {})
            for word in warning.found:
                words.setdefault(word.casefold(), word)
    return [FrontPageWarning(concern, tuple(found[concern].values()))
            for concern in Concern if concern in found]
