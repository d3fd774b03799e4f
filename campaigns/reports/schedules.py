"""Weekly threshold reports for a lead (`/threshold schedule NAME DAY HH:MM`).

The report goes to the lead's inbox (the ping carries no content) and, when
the lead set it from a chat channel, its anonymized counts are posted there
by the chat adapter. DAY and HH:MM are the campaign's local time (its `/campaign
timezone`, else the deployment's), summer time included.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from sqlmodel import select

from campaigns.core.access import find_campaign, require_member, require_role, vault_of
from campaigns.core.clock import day_of
from campaigns.core.contacts import open_contact
from campaigns.core.errors import BadValue, NoReportScheduled, Unreadable
from campaigns.core.inbox import alert_role
from campaigns.core.models import Campaign, Member, Role, Status
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.reports.models import ReportSchedule
from campaigns.reports.report import plain, report_for, without_teams

log = logging.getLogger("concerted.reports")

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
STOP_WORDS = ("off", "stop", "none")
_CHANNEL = "report_schedule.channel"


@runtime_checkable
class ReportChannels(Protocol):
    """What a chat adapter's notifier implements to post a scheduled report in a channel.

    `person` is the lead who chose the channel (it says which workspace and
    platform); the post must not name them. `template` and `data` render like
    a Reply: `threshold/channel.j2` with `{"r": ThresholdReport}` holding no team names,
    in the campaign's `language` and time `zone`.
    """

    def post_to_channel(self, person: Person, channel: str, template: str, data: dict, *,
                        language: str | None = None, zone: str | None = None) -> None: ...


@dataclass(frozen=True)
class ScheduleSet:
    campaign: str
    day: str | None
    at: str | None
    first: datetime | None
    channel: bool
    channel_wanted: bool = False
    zone: str = "UTC"


def weekday_number(day: str) -> int:
    """`monday`, `Mon` or `mo…` to 0..6; refuses anything else."""
    word = (day or "").strip().lower()
    matches = [i for i, name in enumerate(DAYS) if len(word) >= 2 and name.startswith(word)]
    if len(matches) != 1:
        raise BadValue(field="day", value=day, expected="a day of the week such as monday or fri")
    return matches[0]


def minute_of_day(text: str | None) -> int:
    """`HH:MM` (24-hour, the campaign's local time) to minutes after midnight."""
    try:
        hours, minutes = (text or "").strip().split(":")
        moment = time(int(hours), int(minutes))
    except (ValueError, OverflowError):  # `99999999999:00` overflows before time() can refuse it
        raise BadValue(field="time", value=text or "",
                       expected="a time of day written HH:MM, such as 09:00") from None
    return moment.hour * 60 + moment.minute


def next_weekly(now: datetime, weekday: int, minute: int, zone: str = "UTC") -> datetime:
    """The first moment after `now` that falls on `weekday` at `minute` past midnight in
    `zone`, in UTC. A time that summer time skips that day comes an hour later."""
    local = now.astimezone(ZoneInfo(zone))
    for days in range(15):
        day = local.date() + timedelta(days=days)
        if day.weekday() != weekday:
            continue
        wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ZoneInfo(zone))
        # Round-tripping through UTC moves a wall time that does not exist past the gap.
        when = wall.astimezone(UTC)
        if when > now:
            return when
    raise AssertionError("a weekday comes within two weeks")


def campaign_locality(uow: UnitOfWork, campaign: Campaign) -> dict[str, str]:
    """What a post several people read is written in: the campaign's language and zone."""
    return {"language": campaign.language or uow.rules.locale, "zone": campaign_zone(uow, campaign)}


def campaign_zone(uow: UnitOfWork, campaign: Campaign) -> str:
    """The zone a campaign's times are in: its own, else the deployment's."""
    return campaign.timezone or uow.rules.timezone


def job_id(schedule_id: int) -> str:
    return f"threshold-report:{schedule_id}"


def schedule_report(uow: UnitOfWork, person: Person, name: str, day: str, at: str | None,
                    channel: str | None = None, here: bool = False) -> ScheduleSet:
    """Set (or with DAY `off`, stop) the lead's weekly report; replaces an earlier one."""
    campaign = find_campaign(uow, person, name)
    lead = require_member(uow, campaign, person)
    require_role(lead, (Role.LEAD,), "threshold schedule", campaign)
    existing = uow.session.exec(
        select(ReportSchedule).where(ReportSchedule.member_id == lead.id)
    ).first()
    if (day or "").strip().lower() in STOP_WORDS:
        if existing is None:
            raise NoReportScheduled(name=campaign.name)
        stopped = job_id(existing.id)
        uow.session.delete(existing)
        uow.unschedule(stopped)
        uow.commit()
        return ScheduleSet(campaign.name, None, None, None, False)
    weekday, minute = weekday_number(day), minute_of_day(at)
    row = existing or ReportSchedule(campaign_id=campaign.id, member_id=lead.id, weekday=weekday,
                                     minute_of_day=minute,
                                     created_at=day_of(uow.clock.now()))
    row.weekday, row.minute_of_day = weekday, minute
    sealed = (vault_of(uow, campaign).seal(channel, _CHANNEL, row.member_id)
              if here and channel else None)
    row.channel_sealed = sealed
    uow.session.add(row)
    uow.session.flush()
    zone = campaign_zone(uow, campaign)
    first = next_weekly(uow.clock.now(), weekday, minute, zone)
    _plan(uow, row.id, first, zone)
    uow.commit()
    return ScheduleSet(campaign.name, DAYS[weekday], f"{minute // 60:02d}:{minute % 60:02d}",
                       first, sealed is not None, here, zone)


def _plan(uow: UnitOfWork, schedule_id: int, first: datetime, zone: str) -> None:
    # The job store writes on a connection of its own: only once our transaction is done.
    uow.after_commit(lambda: uow.jobs.weekly(job_id(schedule_id), first,
                                             deliver_scheduled_report, schedule_id, zone=zone))


def replan_reports(uow: UnitOfWork, campaign_id: int) -> int:
    """After the campaign's time zone changed: its weekly reports at the same local time in the
    new zone. Returns how many were moved."""
    campaign = uow.session.get(Campaign, campaign_id)
    rows = list(uow.session.exec(
        select(ReportSchedule).where(ReportSchedule.campaign_id == campaign_id)))
    zone = campaign_zone(uow, campaign)
    for row in rows:
        _plan(uow, row.id, next_weekly(uow.clock.now(), row.weekday, row.minute_of_day, zone),
              zone)
    uow.commit()
    return len(rows)


def campaign_channel(uow: UnitOfWork, campaign: Campaign) -> tuple[Person, str] | None:
    """The chat channel a lead of the campaign chose for its reports, if any: where public
    events go. The person says which workspace and platform; a post never names them."""
    rows = uow.session.exec(
        select(ReportSchedule, Member)
        .join(Member, Member.id == ReportSchedule.member_id)
        .where(ReportSchedule.campaign_id == campaign.id,
               ReportSchedule.channel_sealed.is_not(None),
               Member.role == Role.LEAD, Member.status == Status.ACTIVE,
               Member.contact_sealed.is_not(None))
        .order_by(ReportSchedule.id)
    ).first()
    if rows is None:
        return None
    schedule, lead = rows
    vault = vault_of(uow, campaign)
    try:
        return (open_contact(vault, lead),
                vault.open(schedule.channel_sealed, _CHANNEL, schedule.member_id))
    except Unreadable:
        return None  # changed outside Concerted: the news goes to every inbox instead


def deliver_scheduled_report(uow: UnitOfWork, schedule_id: int) -> bool:
    """The weekly job: the full report to the lead's inbox, counts only to the chosen channel."""
    schedule = uow.session.get(ReportSchedule, schedule_id)
    campaign = uow.session.get(Campaign, schedule.campaign_id) if schedule else None
    lead = uow.session.get(Member, schedule.member_id) if schedule else None
    if (schedule is None or campaign is None or campaign.archived_at is not None
            or lead is None or lead.role != Role.LEAD or lead.status != Status.ACTIVE):
        # The lead left, stepped down or the campaign was archived: nothing is sent again.
        if schedule is not None:
            uow.session.delete(schedule)
        uow.unschedule(job_id(schedule_id))
        uow.commit()
        log.info("report.schedule_ended schedule=%s", schedule_id)
        return False
    report = report_for(uow, campaign, lead=True)
    alert_role(uow, campaign, lead, "notices/threshold_report.j2", name=campaign.name,
               report=plain(report))
    vault = vault_of(uow, campaign)
    channel = (vault.open(schedule.channel_sealed, _CHANNEL, schedule.member_id)
               if schedule.channel_sealed else None)
    person = open_contact(vault, lead) if channel and lead.contact_sealed else None
    uow.commit()
    log.info("report.delivered schedule=%s", schedule_id)
    poster = uow.notifier
    if person is not None and isinstance(poster, ReportChannels):
        try:
            poster.post_to_channel(person, channel, "threshold/channel.j2",
                                   {"r": without_teams(report)}, **campaign_locality(uow, campaign))
        except Exception as exc:  # noqa: BLE001 - the inbox copy is already delivered
            log.warning("report.channel_failed schedule=%s error=%s", schedule_id,
                        type(exc).__name__)
    return True


def next_report(uow: UnitOfWork, person: Person, name: str) -> datetime | None:
    """When the lead's own weekly report of the campaign comes next, if one is set."""
    campaign = find_campaign(uow, person, name)
    lead = require_member(uow, campaign, person)
    row = uow.session.exec(
        select(ReportSchedule).where(ReportSchedule.member_id == lead.id)
    ).first()
    return (next_weekly(uow.clock.now(), row.weekday, row.minute_of_day,
                        campaign_zone(uow, campaign)) if row else None)
