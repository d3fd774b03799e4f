"""/campaign: membership, roles, headcount, archive, the inbox and its digest ping."""

from __future__ import annotations

from dataclasses import dataclass

from bots.commands.conversions import Days, Milestone, Percent, WholeNumber
from bots.commands.dispatch import Call
from bots.commands.handlers.campaign_language import checked_language, checked_zone
from bots.commands.parser import Option, Spec
from bots.commands.replies import FollowUp, Reply
from campaigns.core import digests, inbox
from campaigns.core.privacy import Person
from campaigns.membership import administration, dashboard, roles
from campaigns.membership import joining as campaigns
from campaigns.membership.joining import NewCampaign
from campaigns.reports.archived import archived_totals


@dataclass(frozen=True)
class CreateCampaign:
    name: str
    title: str | None = None
    description: str | None = None
    headcount: WholeNumber | None = None
    threshold: Percent = 5.0
    private: bool = False
    retention: Days = 30
    milestone: tuple[Milestone, ...] = ()
    language: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class NamedCampaign:
    """A command that takes only the campaign's NAME."""

    name: str


@dataclass(frozen=True)
class ListCampaigns:
    pass


@dataclass(frozen=True)
class NamePerson:
    """Invite someone, or give or take a role: the campaign and the `@user`."""

    name: str
    user: Person


@dataclass(frozen=True)
class SetTeam:
    name: str
    team: str | None = None


@dataclass(frozen=True)
class SetHeadcount:
    name: str
    n: str | None = None  # a number or `auto`, which the use case reads


@dataclass(frozen=True)
class AddMilestone:
    name: str
    percent: Milestone


@dataclass(frozen=True)
class ArchiveCampaign:
    name: str
    confirm: bool = False


@dataclass(frozen=True)
class SetDigest:
    name: str
    setting: str  # on or off, which the use case reads


@dataclass(frozen=True)
class ReadInbox:
    pass


def create(cmd: CreateCampaign, call: Call):
    new = NewCampaign(name=cmd.name, title=cmd.title, description=cmd.description,
                      headcount=cmd.headcount, threshold=cmd.threshold, private=cmd.private,
                      retention_days=cmd.retention, milestones=cmd.milestone,
                      language=cmd.language and checked_language(call, cmd.language, "language"),
                      timezone=cmd.timezone and checked_zone(cmd.timezone, "timezone"))
    view = campaigns.open_campaign(call.uow, call.person, new)
    return Reply("campaign/created.j2", {"c": view})


def join(cmd: NamedCampaign, call: Call):
    return Reply("campaign/joined.j2", {"c": campaigns.join_campaign(call.uow, call.person, cmd.name)})


def leave(cmd: NamedCampaign, call: Call):
    return Reply("campaign/left.j2", {"name": campaigns.leave_campaign(call.uow, call.person, cmd.name)})


def listing(cmd: ListCampaigns, call: Call):
    return Reply("campaign/list.j2", {"campaigns": campaigns.visible_campaigns(call.uow, call.person),
                                      "archived": campaigns.archived_names(call.uow, call.person)})


def info(cmd: NamedCampaign, call: Call):
    totals = archived_totals(call.uow, call.person, cmd.name)
    if totals is not None:
        return Reply("campaign/info_archived.j2", {"a": totals})
    return Reply("campaign/info.j2", {"c": campaigns.campaign_info(call.uow, call.person, cmd.name)})


def invite(cmd: NamePerson, call: Call):
    name = campaigns.invite(call.uow, call.person, cmd.name, cmd.user)
    return Reply("campaign/invited.j2", {"name": name, "who": cmd.user})


def lead_add(cmd: NamePerson, call: Call):
    change = roles.add_lead(call.uow, call.person, cmd.name, cmd.user)
    return Reply("campaign/role_given.j2", {"change": change, "who": cmd.user})


def liaison_add(cmd: NamePerson, call: Call):
    change = roles.add_liaison(call.uow, call.person, cmd.name, cmd.user)
    return Reply("campaign/role_given.j2", {"change": change, "who": cmd.user})


def liaison_remove(cmd: NamePerson, call: Call):
    change = roles.remove_liaison(call.uow, call.person, cmd.name, cmd.user)
    return Reply("campaign/role_removed.j2", {"change": change, "who": cmd.user})


def team(cmd: SetTeam, call: Call):
    name, team_name = roles.set_team(call.uow, call.person, cmd.name, cmd.team)
    return Reply("campaign/team.j2", {"name": name, "team": team_name})


def headcount(cmd: SetHeadcount, call: Call):
    if cmd.n is None:
        return Reply("campaign/info.j2", {"c": campaigns.campaign_info(call.uow, call.person, cmd.name)})
    result = administration.set_headcount(call.uow, call.person, cmd.name, cmd.n)
    # Only the platform can count its workspace's people: the adapter does it right away.
    return Reply("campaign/headcount.j2", {"h": result},
                 follow_up=FollowUp.COUNT_WORKSPACE if result.auto else None)


def milestone(cmd: AddMilestone, call: Call):
    tracked = administration.add_milestone(call.uow, call.person, cmd.name, cmd.percent)
    return Reply("campaign/milestones.j2", {"name": cmd.name, "milestones": tracked})


def archive(cmd: ArchiveCampaign, call: Call):
    if not cmd.confirm:
        return Reply("campaign/archive_confirm.j2", {"name": cmd.name})
    return Reply("campaign/archived.j2", {"name": administration.archive_campaign(call.uow, call.person, cmd.name)})


def dashboard_link(cmd: NamedCampaign, call: Call):
    link = dashboard.issue_dashboard_link(call.uow, call.person, cmd.name)
    return Reply("campaign/dashboard_link.j2", {
        "name": link.campaign, "url": f"{call.web_url}/open/{link.token}",
        "expires_at": link.expires_at, "minutes": int(dashboard.LINK_LIFETIME.total_seconds() // 60),
    })


def digest(cmd: SetDigest, call: Call):
    change = digests.set_digest(call.uow, call.person, cmd.name, cmd.setting)
    return Reply("campaign/digest.j2", {"d": change})


def read_inbox(cmd: ReadInbox, call: Call):
    return Reply("campaign/inbox.j2", {"items": inbox.read_inbox(call.uow, call.person)})


SPECS = [
    Spec(("campaign", "create"), ("NAME",), (
        Option("title", metavar="TEXT"), Option("description", metavar="TEXT"),
        Option("headcount", metavar="N"), Option("threshold", metavar="PERCENT"),
        Option("private", "flag"), Option("retention", metavar="DAYS"),
        Option("milestone", "many", "PERCENT"), Option("language", metavar="LOCALE"),
        Option("timezone", metavar="ZONE"),
    ), create, form="campaign", command=CreateCampaign),
    Spec(("campaign", "join"), ("NAME",), (), join, command=NamedCampaign, grouped=True),
    Spec(("campaign", "leave"), ("NAME",), (), leave, command=NamedCampaign, grouped=True),
    Spec(("campaign", "list"), (), (), listing, command=ListCampaigns),
    Spec(("campaign", "info"), ("NAME",), (), info, command=NamedCampaign),
    Spec(("campaign", "invite"), ("NAME", "@user"), (), invite, command=NamePerson),
    Spec(("campaign", "lead", "add"), ("NAME", "@user"), (), lead_add, command=NamePerson),
    Spec(("campaign", "liaison", "add"), ("NAME", "@user"), (), liaison_add, command=NamePerson),
    Spec(("campaign", "liaison", "remove"), ("NAME", "@user"), (), liaison_remove,
         command=NamePerson),
    Spec(("campaign", "team"), ("NAME", "TEAM..."), (), team, command=SetTeam, grouped=True),
    Spec(("campaign", "headcount"), ("NAME", "[N]"), (), headcount, command=SetHeadcount),
    Spec(("campaign", "milestone"), ("NAME", "PERCENT"), (), milestone, command=AddMilestone),
    Spec(("campaign", "archive"), ("NAME",), (Option("confirm", "flag"),), archive,
         command=ArchiveCampaign),
    Spec(("campaign", "inbox"), (), (), read_inbox, command=ReadInbox),
    Spec(("campaign", "dashboard"), ("NAME",), (), dashboard_link, command=NamedCampaign),
    Spec(("campaign", "digest"), ("NAME", "SETTING"), (), digest, command=SetDigest,
         grouped=True),
]
