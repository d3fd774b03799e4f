"""/campaign: membership, roles, headcount, archive, the inbox and its digest ping."""

from __future__ import annotations

from bots.commands import conversions as values
from bots.commands.dispatch import Call
from bots.commands.parser import Option, Spec
from bots.commands.replies import FormRequest, Reply
from campaigns.core import digests, inbox
from campaigns.membership import administration, roles
from campaigns.membership import joining as campaigns
from campaigns.membership.joining import NewCampaign


def create(call: Call):
    if call.forms and not call.inv.options:
        return FormRequest("campaign", campaign=call.arg("name"))
    new = NewCampaign(
        name=call.arg("name"),
        title=call.opt("title"),
        description=call.opt("description"),
        headcount=values.whole_number(call.opt("headcount"), "headcount")
        if call.opt("headcount") is not None else None,
        threshold=values.percent(call.opt("threshold", "5"), "threshold"),
        private=bool(call.opt("private", False)),
        retention_days=values.whole_days(call.opt("retention", "30d"), "retention"),
        milestones=tuple(values.percent(p, "milestone") for p in call.opt("milestone", [])),
    )
    view = campaigns.open_campaign(call.uow, call.person, new)
    return Reply("campaign/created.j2", {"c": view})


def join(call: Call):
    return Reply("campaign/joined.j2", {"c": campaigns.join_campaign(call.uow, call.person, call.arg("name"))})


def leave(call: Call):
    return Reply("campaign/left.j2", {"name": campaigns.leave_campaign(call.uow, call.person, call.arg("name"))})


def listing(call: Call):
    return Reply("campaign/list.j2", {"campaigns": campaigns.visible_campaigns(call.uow, call.person)})


def info(call: Call):
    return Reply("campaign/info.j2", {"c": campaigns.campaign_info(call.uow, call.person, call.arg("name"))})


def invite(call: Call):
    who = call.other(call.arg("user"))
    name = campaigns.invite(call.uow, call.person, call.arg("name"), who)
    return Reply("campaign/invited.j2", {"name": name, "who": who})


def lead_add(call: Call):
    who = call.other(call.arg("user"))
    change = roles.add_lead(call.uow, call.person, call.arg("name"), who)
    return Reply("campaign/role_given.j2", {"change": change, "who": who})


def liaison_add(call: Call):
    who = call.other(call.arg("user"))
    change = roles.add_liaison(call.uow, call.person, call.arg("name"), who)
    return Reply("campaign/role_given.j2", {"change": change, "who": who})


def liaison_remove(call: Call):
    who = call.other(call.arg("user"))
    change = roles.remove_liaison(call.uow, call.person, call.arg("name"), who)
    return Reply("campaign/role_removed.j2", {"change": change, "who": who})


def team(call: Call):
    name, team_name = roles.set_team(call.uow, call.person, call.arg("name"), call.arg("team"))
    return Reply("campaign/team.j2", {"name": name, "team": team_name})


def headcount(call: Call):
    value = call.arg("n")
    if value is None:
        return Reply("campaign/info.j2", {"c": campaigns.campaign_info(call.uow, call.person, call.arg("name"))})
    result = administration.set_headcount(call.uow, call.person, call.arg("name"), value)
    return Reply("campaign/headcount.j2", {"h": result})


def milestone(call: Call):
    percent = values.percent(call.arg("percent"), "milestone")
    tracked = administration.add_milestone(call.uow, call.person, call.arg("name"), percent)
    return Reply("campaign/milestones.j2", {"name": call.arg("name"), "milestones": tracked})


def archive(call: Call):
    if not call.opt("confirm"):
        return Reply("campaign/archive_confirm.j2", {"name": call.arg("name")})
    return Reply("campaign/archived.j2", {"name": administration.archive_campaign(call.uow, call.person, call.arg("name"))})


def digest(call: Call):
    change = digests.set_digest(call.uow, call.person, call.arg("name"), call.arg("setting"))
    return Reply("campaign/digest.j2", {"d": change})


def read_inbox(call: Call):
    return Reply("campaign/inbox.j2", {"items": inbox.read_inbox(call.uow, call.person)})


SPECS = [
    Spec(("campaign", "create"), ("NAME",), (
        Option("title", metavar="TEXT"), Option("description", metavar="TEXT"),
        Option("headcount", metavar="N"), Option("threshold", metavar="PERCENT"),
        Option("private", "flag"), Option("retention", metavar="DAYS"),
        Option("milestone", "many", "PERCENT"),
    ), create, form="campaign"),
    Spec(("campaign", "join"), ("NAME",), (), join),
    Spec(("campaign", "leave"), ("NAME",), (), leave),
    Spec(("campaign", "list"), (), (), listing),
    Spec(("campaign", "info"), ("NAME",), (), info),
    Spec(("campaign", "invite"), ("NAME", "@user"), (), invite),
    Spec(("campaign", "lead", "add"), ("NAME", "@user"), (), lead_add),
    Spec(("campaign", "liaison", "add"), ("NAME", "@user"), (), liaison_add),
    Spec(("campaign", "liaison", "remove"), ("NAME", "@user"), (), liaison_remove),
    Spec(("campaign", "team"), ("NAME", "TEAM..."), (), team),
    Spec(("campaign", "headcount"), ("NAME", "[N]"), (), headcount),
    Spec(("campaign", "milestone"), ("NAME", "PERCENT"), (), milestone),
    Spec(("campaign", "archive"), ("NAME",), (Option("confirm", "flag"),), archive),
    Spec(("campaign", "inbox"), (), (), read_inbox),
    Spec(("campaign", "digest"), ("NAME", "SETTING"), (), digest),
]
