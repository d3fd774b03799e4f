"""/pledge: create, sign, withdraw, status, signers, and introductions between signers."""

from __future__ import annotations

from bots.commands import conversions as values
from bots.commands.dispatch import Call
from bots.commands.parser import Option, Spec
from bots.commands.replies import Reply
from campaigns.core.signatures import mode_from_flags
from campaigns.pledges import introductions
from campaigns.pledges import signing as pledges


def create(call: Call):
    deadline = call.opt("deadline")
    if deadline is not None:
        deadline = values.deadline(deadline, "deadline", call.uow.clock.now())
    view = pledges.create_pledge(call.uow, call.person, call.arg("name"), call.opt("text"),
                                 deadline)
    return Reply("pledge/created.j2", {"v": view})


def sign(call: Call):
    mode = mode_from_flags(bool(call.opt("named")), bool(call.opt("conditional")))
    signed = pledges.sign_pledge(call.uow, call.person, call.arg("name"), mode)
    return Reply("pledge/signed.j2", {"s": signed})


def withdraw(call: Call):
    gone = pledges.withdraw_from_pledge(call.uow, call.person, call.arg("name"))
    return Reply("pledge/withdrawn.j2", {"w": gone})


def status(call: Call):
    return Reply("pledge/status.j2", {"v": pledges.pledge_status(call.uow, call.person, call.arg("name"))})


def signers(call: Call):
    return Reply("pledge/signers.j2", {"s": pledges.list_signers(call.uow, call.person, call.arg("name"))})


def connect(call: Call):
    if call.opt("leave"):
        left = introductions.leave_introductions(call.uow, call.person, call.arg("name"))
        return Reply("pledge/pool_left.j2", {"p": left})
    pooled = introductions.join_pool(call.uow, call.person, call.arg("name"),
                                     bool(call.opt("team")))
    return Reply("pledge/pooled.j2", {"p": pooled})


def accept(call: Call):
    answer = introductions.accept_introduction(call.uow, call.person, call.arg("ref"))
    return Reply("pledge/intro_accepted.j2", {"a": answer})


def decline(call: Call):
    answer = introductions.decline_introduction(call.uow, call.person, call.arg("ref"))
    return Reply("pledge/intro_declined.j2", {"a": answer})


SPECS = [
    Spec(("pledge", "create"), ("NAME",), (
        Option("text", metavar="TEXT"), Option("deadline", metavar="DATE|DURATION"),
    ), create),
    Spec(("pledge", "sign"), ("NAME",), (Option("named", "flag"), Option("conditional", "flag")),
         sign),
    Spec(("pledge", "withdraw"), ("NAME",), (), withdraw),
    Spec(("pledge", "status"), ("NAME",), (), status),
    Spec(("pledge", "signers"), ("NAME",), (), signers),
    Spec(("pledge", "connect"), ("NAME",), (Option("team", "flag"), Option("leave", "flag")),
         connect),
    Spec(("pledge", "accept"), ("REF",), (), accept),
    Spec(("pledge", "decline"), ("REF",), (), decline),
]
