"""/grievance: file one for the liaisons, follow it, answer them, or reveal yourself."""

from __future__ import annotations

from dataclasses import dataclass

from bots.commands.dispatch import Call
from bots.commands.parser import Option, Spec
from bots.commands.replies import Kind, Reply
from campaigns.grievances import filing as grievances
from campaigns.grievances import following
from campaigns.grievances.filing import Warned

SEND_ANYWAY = "send-anyway"


@dataclass(frozen=True)
class FileGrievance:
    name: str
    text: str | None = None
    vent: bool = False
    solve: bool = False
    send_anyway: bool = False


@dataclass(frozen=True)
class FollowGrievance:
    """One of your own grievances by its reference, or without one all of them."""

    ref: str | None = None


@dataclass(frozen=True)
class AnswerLiaisons:
    ref: str
    text: str | None = None


@dataclass(frozen=True)
class RevealToLiaisons:
    ref: str
    confirm: bool = False


def tag_from_flags(vent: bool, solve: bool) -> str | None:
    """`--vent` or `--solve`; neither or both is for the use case to refuse."""
    if vent == solve:
        return None
    return "vent" if vent else "solve"


def file(cmd: FileGrievance, call: Call):
    result = grievances.file_grievance(call.uow, call.person, cmd.name, cmd.text,
                                       tag_from_flags(cmd.vent, cmd.solve),
                                       send_anyway=cmd.send_anyway)
    if isinstance(result, Warned):
        # Nothing is stored yet: the author may edit, or send it as it is (a warning never blocks).
        return Reply("grievance/warned.j2", {"w": result}, kind=Kind.WARNING, confirm=SEND_ANYWAY)
    return Reply("grievance/filed.j2", {"g": result})


def status(cmd: FollowGrievance, call: Call):
    if cmd.ref is None:
        return Reply("grievance/status_all.j2",
                     {"grievances": following.own_grievances(call.uow, call.person)})
    return Reply("grievance/status.j2",
                 {"g": grievances.grievance_status(call.uow, call.person, cmd.ref)})


def reply(cmd: AnswerLiaisons, call: Call):
    answered = grievances.answer_liaisons(call.uow, call.person, cmd.ref, cmd.text)
    return Reply("grievance/answered.j2", {"a": answered})


def reveal(cmd: RevealToLiaisons, call: Call):
    revealed = grievances.reveal_to_liaisons(call.uow, call.person, cmd.ref, confirm=cmd.confirm)
    return Reply("grievance/revealed.j2", {"r": revealed})


SPECS = [
    Spec(("grievance",), ("NAME",), (
        Option("text", metavar="TEXT"), Option("vent", "flag"), Option("solve", "flag"),
        Option(SEND_ANYWAY, "flag"),
    ), file, form="grievance", command=FileGrievance, exclusive=(("vent", "solve"),)),
    Spec(("grievance", "status"), ("[REF]",), (), status, command=FollowGrievance),
    Spec(("grievance", "reply"), ("REF", "TEXT..."), (), reply, command=AnswerLiaisons),
    Spec(("grievance", "reveal"), ("REF",), (Option("confirm", "flag"),), reveal,
         command=RevealToLiaisons),
]
