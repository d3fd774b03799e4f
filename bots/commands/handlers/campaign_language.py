"""/campaign language NAME LOCALE and /campaign timezone NAME ZONE (leads only), and the checks
`/campaign create --language --timezone` shares with them."""

from __future__ import annotations

from dataclasses import dataclass

from bots.commands.dispatch import Call
from bots.commands.parser import Spec
from bots.commands.replies import Reply
from bots.output.i18n import known_zone
from campaigns.core.errors import UnknownLanguage, UnknownZone
from campaigns.membership import locality
from campaigns.reports import schedules


@dataclass(frozen=True)
class SetLanguage:
    name: str
    locale: str


@dataclass(frozen=True)
class SetTimezone:
    name: str
    zone: str


def checked_language(call: Call, value: str, field: str = "locale") -> str:
    """A language there is a catalog for, in its shipped spelling (`pt-BR` → `pt_BR`)."""
    chosen = call.languages.choose(value)
    if chosen is None:
        raise UnknownLanguage(field=field, value=value, shipped=list(call.languages.shipped))
    return chosen


def checked_zone(value: str, field: str = "zone") -> str:
    """An IANA time zone name, such as Europe/Berlin or America/Sao_Paulo."""
    zone = known_zone(value)
    if zone is None:
        raise UnknownZone(field=field, value=value)
    return zone


def language(cmd: SetLanguage, call: Call):
    changed = locality.set_language(call.uow, call.person, cmd.name,
                                    checked_language(call, cmd.locale))
    return Reply("campaign/language.j2", {"c": changed})


def timezone(cmd: SetTimezone, call: Call):
    changed = locality.set_timezone(call.uow, call.person, cmd.name, checked_zone(cmd.zone))
    moved = schedules.replan_reports(call.uow, changed.campaign_id)
    return Reply("campaign/timezone.j2", {"c": changed, "reports": moved})


SPECS = [
    Spec(("campaign", "language"), ("NAME", "LOCALE"), (), language, command=SetLanguage),
    Spec(("campaign", "timezone"), ("NAME", "ZONE"), (), timezone, command=SetTimezone),
]
