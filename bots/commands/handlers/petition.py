"""/petition: draft, sponsor, review, sign, deliver, list and show."""

from __future__ import annotations

from dataclasses import dataclass

from bots.commands.dispatch import Call
from bots.commands.parser import Option, Spec
from bots.commands.replies import Reply
from bots.output.letters import letter_writer
from campaigns.core.privacy import Person
from campaigns.core.signatures import mode_from_flags
from petitions import delivery, drafting, listing, review, signing
from petitions.drafting import NewPetition


@dataclass(frozen=True)
class DraftPetition:
    name: str
    title: str | None = None
    to: str | None = None
    point: tuple[str, ...] = ()
    ask: str | None = None
    use_point: tuple[str, ...] = ()


@dataclass(frozen=True)
class PetitionRef:
    """A command about one petition, by its ID."""

    id: str


@dataclass(frozen=True)
class ReturnPetition:
    id: str
    reason: str | None = None


@dataclass(frozen=True)
class SignPetition:
    id: str
    named: bool = False
    conditional: bool = False


@dataclass(frozen=True)
class ListPetitions:
    name: str


def _display(person: Person) -> str:
    # The letter is read outside the workspace: no mention can be resolved there. Until
    # a display name is fetched from the platform at delivery, the letter names a person
    # by their platform user name (the console name; the user id on Slack and Discord).
    return person.user


def draft(cmd: DraftPetition, call: Call):
    new = NewPetition(title=cmd.title, addressee=cmd.to, points=cmd.point, ask=cmd.ask,
                      picked=cmd.use_point)
    drafted = drafting.draft_petition(call.uow, call.person, cmd.name, new)
    return Reply("petition/drafted.j2", {"p": drafted.petition, "warnings": drafted.warnings})


def sponsor(cmd: PetitionRef, call: Call):
    step = review.sponsor_petition(call.uow, call.person, cmd.id)
    return Reply("petition/sponsored.j2", {"step": step, "p": step.petition})


def approve(cmd: PetitionRef, call: Call):
    step = review.approve_petition(call.uow, call.person, cmd.id)
    return Reply("petition/approved.j2", {"step": step, "p": step.petition})


def send_back(cmd: ReturnPetition, call: Call):
    step = review.return_petition(call.uow, call.person, cmd.id, cmd.reason)
    return Reply("petition/returned.j2", {"p": step.petition})


def sign(cmd: SignPetition, call: Call):
    mode = mode_from_flags(cmd.named, cmd.conditional)
    result = signing.sign_petition(call.uow, call.person, cmd.id, mode)
    return Reply("petition/signed.j2", {"s": result, "p": result.petition})


def withdraw(cmd: PetitionRef, call: Call):
    view = signing.withdraw_petition(call.uow, call.person, cmd.id)
    return Reply("petition/withdrawn.j2", {"p": view})


def deliver(cmd: PetitionRef, call: Call):
    step = delivery.deliver_petition(call.uow, call.person, cmd.id,
                                     letter_writer(call.output_dir, _display, call.languages))
    return Reply("petition/delivered.j2", {"step": step, "p": step.petition}, files=step.files)


def campaign_petitions(cmd: ListPetitions, call: Call):
    found = listing.list_petitions(call.uow, call.person, cmd.name)
    return Reply("petition/list.j2", {"l": found})


def show(cmd: PetitionRef, call: Call):
    return Reply("petition/show.j2", {"p": listing.show_petition(call.uow, call.person, cmd.id)})


SPECS = [
    Spec(("petition", "draft"), ("NAME",), (
        Option("title", metavar="TEXT"), Option("to", metavar="ADDRESSEE"),
        Option("point", "many", "TEXT"), Option("ask", metavar="TEXT"),
        Option("use-point", "many", "POINT"),
    ), draft, form="petition", command=DraftPetition),
    Spec(("petition", "sponsor"), ("ID",), (), sponsor, command=PetitionRef, grouped=True),
    Spec(("petition", "approve"), ("ID",), (), approve, command=PetitionRef),
    Spec(("petition", "return"), ("ID", "REASON..."), (), send_back, command=ReturnPetition),
    Spec(("petition", "sign"), ("ID",), (Option("named", "flag"), Option("conditional", "flag")),
         sign, command=SignPetition, exclusive=(("named", "conditional"),), grouped=True),
    Spec(("petition", "withdraw"), ("ID",), (), withdraw, command=PetitionRef, grouped=True),
    Spec(("petition", "deliver"), ("ID",), (), deliver, command=PetitionRef),
    Spec(("petition", "list"), ("NAME",), (), campaign_petitions, command=ListPetitions),
    Spec(("petition", "show"), ("ID",), (), show, command=PetitionRef),
]
