"""/grievance: file one for the liaisons, follow it, answer them, or reveal yourself."""

from __future__ import annotations

from bots.commands.dispatch import Call
from bots.commands.parser import Option, Spec
from bots.commands.replies import FormRequest, Reply
from campaigns.grievances import filing as grievances
from campaigns.grievances.filing import Warned


def tag_from_flags(vent: bool, solve: bool) -> str | None:
    """`--vent` or `--solve`; neither or both is for the use case to refuse."""
    if vent == solve:
        return None
    return "vent" if vent else "solve"


def file(call: Call):
    if call.forms and not call.inv.options:
        return FormRequest("grievance", campaign=call.arg("name"))
    result = grievances.file_grievance(
        call.uow, call.person, call.arg("name"), call.opt("text"),
        tag_from_flags(bool(call.opt("vent")), bool(call.opt("solve"))),
        send_anyway=bool(call.opt("send-anyway")),
    )
    if isinstance(result, Warned):
        return Reply("grievance/warned.j2", {"w": result})
    return Reply("grievance/filed.j2", {"g": result})


def status(call: Call):
    return Reply("grievance/status.j2",
                 {"g": grievances.grievance_status(call.uow, call.person, call.arg("ref"))})


def reply(call: Call):
    answered = grievances.answer_liaisons(call.uow, call.person, call.arg("ref"),
                                          call.arg("text"))
    return Reply("grievance/answered.j2", {"a": answered})


def reveal(call: Call):
    revealed = grievances.reveal_to_liaisons(call.uow, call.person, call.arg("ref"),
                                             confirm=bool(call.opt("confirm")))
    return Reply("grievance/revealed.j2", {"r": revealed})


SPECS = [
    Spec(("grievance",), ("NAME",), (
        Option("text", metavar="TEXT"), Option("vent", "flag"), Option("solve", "flag"),
        Option("send-anyway", "flag"),
    ), file, form="grievance"),
    Spec(("grievance", "status"), ("REF",), (), status),
    Spec(("grievance", "reply"), ("REF", "TEXT..."), (), reply),
    Spec(("grievance", "reveal"), ("REF",), (Option("confirm", "flag"),), reveal),
]
