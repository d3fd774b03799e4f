"""/petition: draft, sponsor, review, sign, deliver, list and show."""

from __future__ import annotations

from bots.commands.dispatch import Call
from bots.commands.parser import Option, Spec
from bots.commands.replies import FormRequest, Reply
from bots.output.letters import letter_writer
from campaigns.core.privacy import Person
from campaigns.core.signatures import mode_from_flags
from petitions import delivery, drafting, listing, review, signing
from petitions.drafting import NewPetition


def _display(person: Person) -> str:
    # The letter is read outside the workspace: no mention can be resolved there. Until
    # a display name is fetched from the platform at delivery, the letter names a person
    # by their platform user name (the console name; the user id on Slack and Discord).
    return person.user


def draft(call: Call):
    if call.forms and not call.inv.options:
        return FormRequest("petition", campaign=call.arg("name"))
    new = NewPetition(
        title=call.opt("title"),
        addressee=call.opt("to"),
        points=tuple(call.opt("point", [])),
        ask=call.opt("ask"),
        picked=tuple(call.opt("use-point", [])),
    )
    drafted = drafting.draft_petition(call.uow, call.person, call.arg("name"), new)
    return Reply("petition/drafted.j2", {"p": drafted.petition, "warnings": drafted.warnings})


def sponsor(call: Call):
    step = review.sponsor_petition(call.uow, call.person, call.arg("id"))
    return Reply("petition/sponsored.j2", {"step": step, "p": step.petition})


def approve(call: Call):
    step = review.approve_petition(call.uow, call.person, call.arg("id"))
    return Reply("petition/approved.j2", {"step": step, "p": step.petition})


def send_back(call: Call):
    step = review.return_petition(call.uow, call.person, call.arg("id"), call.arg("reason"))
    return Reply("petition/returned.j2", {"p": step.petition})


def sign(call: Call):
    mode = mode_from_flags(bool(call.opt("named")), bool(call.opt("conditional")))
    result = signing.sign_petition(call.uow, call.person, call.arg("id"), mode)
    return Reply("petition/signed.j2", {"s": result, "p": result.petition})


def withdraw(call: Call):
    view = signing.withdraw_petition(call.uow, call.person, call.arg("id"))
    return Reply("petition/withdrawn.j2", {"p": view})


def deliver(call: Call):
    step = delivery.deliver_petition(call.uow, call.person, call.arg("id"),
                                     letter_writer(call.output_dir, _display))
    return Reply("petition/delivered.j2", {"step": step, "p": step.petition}, files=step.files)


def campaign_petitions(call: Call):
    found = listing.list_petitions(call.uow, call.person, call.arg("name"))
    return Reply("petition/list.j2", {"l": found})


def show(call: Call):
    return Reply("petition/show.j2", {"p": listing.show_petition(call.uow, call.person,
                                                                   call.arg("id"))})


SPECS = [
    Spec(("petition", "draft"), ("NAME",), (
        Option("title", metavar="TEXT"), Option("to", metavar="ADDRESSEE"),
        Option("point", "many", "TEXT"), Option("ask", metavar="TEXT"),
        Option("use-point", "many", "POINT"),
    ), draft, form="petition"),
    Spec(("petition", "sponsor"), ("ID",), (), sponsor),
    Spec(("petition", "approve"), ("ID",), (), approve),
    Spec(("petition", "return"), ("ID", "REASON..."), (), send_back),
    Spec(("petition", "sign"), ("ID",), (Option("named", "flag"), Option("conditional", "flag")),
         sign),
    Spec(("petition", "withdraw"), ("ID",), (), withdraw),
    Spec(("petition", "deliver"), ("ID",), (), deliver),
    Spec(("petition", "list"), ("NAME",), (), campaign_petitions),
    Spec(("petition", "show"), ("ID",), (), show),
]
