"""/liaison: the grievance queue, replies to authors, talking points and blocking (R2, R12)."""

from __future__ import annotations

from bots.commands.dispatch import Call
from bots.commands.handlers.grievance import tag_from_flags
from bots.commands.parser import Option, Spec
from bots.commands.replies import Reply
from campaigns.core.errors import BadValue
from campaigns.core.integers import typed_number
from campaigns.grievances import points
from campaigns.grievances import queue as liaison_queue


def number(value: str | None, what: str) -> int:
    """A queue item or point number, written `3` or `#3`."""
    found = typed_number((value or "").strip().lstrip("#"))
    if not found:
        raise BadValue(field=what, value=value, expected="a number such as 3, as the queue shows it")
    return found


def queue(call: Call):
    tag = tag_from_flags(bool(call.opt("vent")), bool(call.opt("solve")))
    result = liaison_queue.view_queue(call.uow, call.person, call.arg("name"), tag)
    return Reply("liaison/queue.j2", {"q": result})


def show(call: Call):
    item = liaison_queue.show_item(call.uow, call.person, number(call.arg("id"), "item"))
    return Reply("liaison/item.j2", {"v": item})


def claim(call: Call):
    done = liaison_queue.claim_item(call.uow, call.person, number(call.arg("id"), "item"))
    return Reply("liaison/handled.j2", {"h": done})


def reply(call: Call):
    done = liaison_queue.reply_to_author(call.uow, call.person, number(call.arg("id"), "item"),
                                         call.arg("text"))
    return Reply("liaison/handled.j2", {"h": done})


def decline(call: Call):
    done = liaison_queue.decline_item(call.uow, call.person, number(call.arg("id"), "item"),
                                      call.arg("reason"))
    return Reply("liaison/handled.j2", {"h": done})


def close(call: Call):
    done = liaison_queue.close_item(call.uow, call.person, number(call.arg("id"), "item"))
    return Reply("liaison/handled.j2", {"h": done})


def block(call: Call):
    done = liaison_queue.set_author_blocked(call.uow, call.person,
                                            number(call.arg("id"), "item"), True)
    return Reply("liaison/handled.j2", {"h": done})


def unblock(call: Call):
    done = liaison_queue.set_author_blocked(call.uow, call.person,
                                            number(call.arg("id"), "item"), False)
    return Reply("liaison/handled.j2", {"h": done})


def point(call: Call):
    created = points.create_point(call.uow, call.person, call.arg("name"), call.arg("text"))
    return Reply("points/created.j2", {"p": created})


def merge(call: Call):
    merged = points.merge_into_point(call.uow, call.person, number(call.arg("id"), "item"),
                                     number(call.arg("point"), "talking point"))
    return Reply("points/merged.j2", {"m": merged})


SPECS = [
    Spec(("liaison", "queue"), ("NAME",), (Option("vent", "flag"), Option("solve", "flag")),
         queue),
    Spec(("liaison", "show"), ("ID",), (), show),
    Spec(("liaison", "claim"), ("ID",), (), claim),
    Spec(("liaison", "reply"), ("ID", "TEXT..."), (), reply),
    Spec(("liaison", "decline"), ("ID", "REASON..."), (), decline),
    Spec(("liaison", "close"), ("ID",), (), close),
    Spec(("liaison", "point"), ("NAME", "TEXT..."), (), point),
    Spec(("liaison", "merge"), ("ID", "POINT"), (), merge),
    Spec(("liaison", "block"), ("ID",), (), block),
    Spec(("liaison", "unblock"), ("ID",), (), unblock),
]
