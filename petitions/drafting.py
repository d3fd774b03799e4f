"""Drafting a petition: three talking points and one ask, to the person who can decide."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from campaigns.core.access import find_campaign, require_member, vault_of
from campaigns.core.clock import day_of
from campaigns.core.errors import PetitionRefused
from campaigns.core.frontpage import FrontPageWarning
from campaigns.core.models import Campaign
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork
from petitions import points as shared
from petitions.models import Petition, Stage
from petitions.records import PetitionView, describe, new_ref

log = logging.getLogger("concerted.petitions")

TITLE_MAX = 100
ADDRESSEE_MAX = 100
POINT_MAX = 280
ASK_MAX = 200
POINTS = 3


@dataclass(frozen=True)
class Problem:
    """One broken rule of a draft; templates/common/petition/problem.j2 words it."""

    rule: str
    count: int = 0
    limit: int = 0
    which: int = 0
    ref: str = ""


@dataclass(frozen=True)
class NewPetition:
    title: str | None = None
    addressee: str | None = None
    points: Sequence[str] = ()
    ask: str | None = None
    picked: Sequence[str] = ()  # ids of campaign talking points to use as points


@dataclass(frozen=True)
class Drafted:
    petition: PetitionView
    warnings: list[FrontPageWarning] = field(default_factory=list)


def tidy(text: str | None) -> str:
    """Text as stored: surrounding and repeated whitespace removed."""
    return " ".join((text or "").split())


def petition_problems(title: str | None, addressee: str | None, points: Sequence[str],
                      ask: str | None) -> list[Problem]:
    """Every way a draft breaks the three-points-one-ask shape, all at once, in the order the fields are read."""
    problems: list[Problem] = []
    title, addressee, ask = tidy(title), tidy(addressee), tidy(ask)
    if not title:
        problems.append(Problem("title_missing", limit=TITLE_MAX))
    elif len(title) > TITLE_MAX:
        problems.append(Problem("title_too_long", count=len(title), limit=TITLE_MAX))
    if not addressee:
        problems.append(Problem("addressee_missing"))
    elif len(addressee) > ADDRESSEE_MAX:
        problems.append(Problem("addressee_too_long", count=len(addressee), limit=ADDRESSEE_MAX))
    if len(points) != POINTS:
        problems.append(Problem("point_count", count=len(points), limit=POINTS))
    for number, point in enumerate(points, start=1):
        point = tidy(point)
        if not point:
            problems.append(Problem("point_empty", which=number))
        elif len(point) > POINT_MAX:
            problems.append(Problem("point_too_long", which=number, count=len(point),
                                    limit=POINT_MAX))
    if not ask:
        problems.append(Problem("ask_missing", limit=ASK_MAX))
    elif len(ask) > ASK_MAX:
        problems.append(Problem("ask_too_long", count=len(ask), limit=ASK_MAX))
    return problems


def _picked_points(uow: UnitOfWork, campaign: Campaign,
                   refs: Sequence[str]) -> tuple[list[str], list[Problem]]:
    texts: list[str] = []
    problems: list[Problem] = []
    for ref in refs:
        found = shared.supported_point(uow, campaign, ref)
        if found is None:
            problems.append(Problem("point_unknown", ref=ref))
        elif found.supporters < shared.SUPPORTERS_NEEDED:
            problems.append(Problem("point_unsupported", ref=ref, count=found.supporters,
                                    limit=shared.SUPPORTERS_NEEDED))
        else:
            texts.append(found.text)
    return texts, problems


def draft_petition(uow: UnitOfWork, person: Person, name: str, new: NewPetition) -> Drafted:
    """Store a draft of three points and one ask, or refuse it, naming every broken rule, storing nothing."""
    campaign = find_campaign(uow, person, name)
    member = require_member(uow, campaign, person)
    problems: list[Problem] = []
    picked: list[str] = []
    if new.picked:
        picked, problems = _picked_points(uow, campaign, new.picked)
    # Picked points come first: they are the ones colleagues already stand behind.
    points = [*picked, *(tidy(p) for p in new.points)]
    # A picked point already refused above still counts towards the three.
    stand_ins = ["?"] * (len(new.picked) - len(picked))
    problems += petition_problems(new.title, new.addressee, [*stand_ins, *points], new.ask)
    if problems:
        raise PetitionRefused(problems=problems, campaign=campaign.name)
    vault = vault_of(uow, campaign)
    petition = Petition(
        campaign_id=campaign.id, ref=new_ref(uow), author_id=member.id, stage=Stage.DRAFT,
        created_at=day_of(uow.clock.now()),
    )
    # Bound to the petition's ref: a sealed text moved to another petition does not open.
    petition.title_sealed = vault.seal(tidy(new.title), "petition.title", petition.ref)
    petition.addressee_sealed = vault.seal(tidy(new.addressee), "petition.addressee", petition.ref)
    petition.points_sealed = vault.seal_json(points, "petition.points", petition.ref)
    petition.ask_sealed = vault.seal(tidy(new.ask), "petition.ask", petition.ref)
    uow.session.add(petition)
    uow.session.flush()
    log.info("petition.drafted campaign=%s", campaign.id)
    uow.commit()
    view = describe(uow, campaign, petition, member)
    text = view.text
    return Drafted(view, shared.warnings_for(text.title, *text.points, text.ask))
