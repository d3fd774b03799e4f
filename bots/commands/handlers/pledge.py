"""/pledge: create, sign, withdraw, status, signers, and introductions between signers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bots.commands.conversions import Deadline
from bots.commands.dispatch import Call
from bots.commands.parser import Option, Spec
from bots.commands.replies import Reply
from campaigns.core.signatures import mode_from_flags
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.pledges import introductions, quick
from campaigns.pledges import signing as pledges


@dataclass(frozen=True)
class CreatePledge:
    name: str
    text: str | None = None
    deadline: Deadline | None = None


@dataclass(frozen=True)
class SignPledge:
    name: str
    named: bool = False
    conditional: bool = False


@dataclass(frozen=True)
class NamedPledge:
    """A command about the pledge of the campaign NAME."""

    name: str


@dataclass(frozen=True)
class ConnectSigners:
    name: str
    team: bool = False
    leave: bool = False


@dataclass(frozen=True)
class IntroductionRef:
    ref: str


def create(cmd: CreatePledge, call: Call):
    view = pledges.create_pledge(call.uow, call.person, cmd.name, cmd.text, cmd.deadline)
    return Reply("pledge/created.j2", {"v": view})


def sign(cmd: SignPledge, call: Call):
    mode = mode_from_flags(cmd.named, cmd.conditional)
    return Reply("pledge/signed.j2", {"s": pledges.sign_pledge(call.uow, call.person, cmd.name, mode)},
                 shared=True)


def sign_together(batch: list[tuple[SignPledge, Call]], uow: UnitOfWork,
                  before_commit: Callable[[list[int]], None]) -> list[Reply | None]:
    """Several people's `/pledge sign` at once: the plain first signatures in one commit, each
    answered as `sign` answers it; None for the others, which `sign` then runs one by one."""
    asks = [quick.Ask(call.person, cmd.name, mode_from_flags(cmd.named, cmd.conditional))
            for cmd, call in batch]
    signed = pledges.sign_first_pledges(uow, asks, before_commit)
    return [None if done is None else Reply("pledge/signed.j2", {"s": done[0]}, shared=True,
                                            locality=call.locality_with(done[1]))
            for (_, call), done in zip(batch, signed, strict=True)]


def withdraw(cmd: NamedPledge, call: Call):
    return Reply("pledge/withdrawn.j2", {"w": pledges.withdraw_from_pledge(call.uow, call.person, cmd.name)})


def status(cmd: NamedPledge, call: Call):
    return Reply("pledge/status.j2", {"v": pledges.pledge_status(call.uow, call.person, cmd.name)})


def signers(cmd: NamedPledge, call: Call):
    return Reply("pledge/signers.j2", {"s": pledges.list_signers(call.uow, call.person, cmd.name)})


def connect(cmd: ConnectSigners, call: Call):
    if cmd.leave:
        left = introductions.leave_introductions(call.uow, call.person, cmd.name)
        return Reply("pledge/pool_left.j2", {"p": left})
    pooled = introductions.join_pool(call.uow, call.person, cmd.name, cmd.team)
    return Reply("pledge/pooled.j2", {"p": pooled})


def accept(cmd: IntroductionRef, call: Call):
    answer = introductions.accept_introduction(call.uow, call.person, cmd.ref)
    return Reply("pledge/intro_accepted.j2", {"a": answer})


def decline(cmd: IntroductionRef, call: Call):
    answer = introductions.decline_introduction(call.uow, call.person, cmd.ref)
    return Reply("pledge/intro_declined.j2", {"a": answer})


SPECS = [
    Spec(("pledge", "create"), ("NAME",), (
        Option("text", metavar="TEXT"), Option("deadline", metavar="DATE|DURATION"),
    ), create, command=CreatePledge),
    Spec(("pledge", "sign"), ("NAME",), (Option("named", "flag"), Option("conditional", "flag")),
         sign, command=SignPledge, exclusive=(("named", "conditional"),), grouped=True,
         together=sign_together),
    Spec(("pledge", "withdraw"), ("NAME",), (), withdraw, command=NamedPledge,
         grouped=True),
    Spec(("pledge", "status"), ("NAME",), (), status, command=NamedPledge),
    Spec(("pledge", "signers"), ("NAME",), (), signers, command=NamedPledge),
    Spec(("pledge", "connect"), ("NAME",), (Option("team", "flag"), Option("leave", "flag")),
         connect, command=ConnectSigners, exclusive=(("team", "leave"),)),
    Spec(("pledge", "accept"), ("REF",), (), accept, command=IntroductionRef),
    Spec(("pledge", "decline"), ("REF",), (), decline, command=IntroductionRef),
]
