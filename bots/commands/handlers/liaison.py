"""/liaison: the grievance queue, replies to authors, talking points and blocking an
author by pseudonym; the liaisons never learn who wrote an item (docs/ORGANIZING.md)."""

from __future__ import annotations

from dataclasses import dataclass

from bots.commands.conversions import ItemNumber, PointNumber
from bots.commands.dispatch import Call
from bots.commands.handlers.grievance import tag_from_flags
from bots.commands.parser import Option, Spec
from bots.commands.replies import Reply
from campaigns.grievances import points
from campaigns.grievances import queue as liaison_queue


@dataclass(frozen=True)
class ViewQueue:
    name: str
    vent: bool = False
    solve: bool = False


@dataclass(frozen=True)
class QueueItem:
    """A command about one item of the queue, by its number."""

    id: ItemNumber


@dataclass(frozen=True)
class ReplyToAuthor:
    id: ItemNumber
    text: str | None = None


@dataclass(frozen=True)
class DeclineItem:
    id: ItemNumber
    reason: str | None = None


@dataclass(frozen=True)
class CreatePoint:
    name: str
    text: str | None = None


@dataclass(frozen=True)
class MergeIntoPoint:
    id: ItemNumber
    point: PointNumber


def queue(cmd: ViewQueue, call: Call):
    result = liaison_queue.view_queue(call.uow, call.person, cmd.name,
                                      tag_from_flags(cmd.vent, cmd.solve))
    return Reply("liaison/queue.j2", {"q": result})


def show(cmd: QueueItem, call: Call):
    return Reply("liaison/item.j2", {"v": liaison_queue.show_item(call.uow, call.person, cmd.id)})


def claim(cmd: QueueItem, call: Call):
    return Reply("liaison/handled.j2", {"h": liaison_queue.claim_item(call.uow, call.person, cmd.id)})


def reply(cmd: ReplyToAuthor, call: Call):
    done = liaison_queue.reply_to_author(call.uow, call.person, cmd.id, cmd.text)
    return Reply("liaison/handled.j2", {"h": done})


def decline(cmd: DeclineItem, call: Call):
    done = liaison_queue.decline_item(call.uow, call.person, cmd.id, cmd.reason)
    return Reply("liaison/handled.j2", {"h": done})


def close(cmd: QueueItem, call: Call):
    return Reply("liaison/handled.j2", {"h": liaison_queue.close_item(call.uow, call.person, cmd.id)})


def block(cmd: QueueItem, call: Call):
    done = liaison_queue.set_author_blocked(call.uow, call.person, cmd.id, True)
    return Reply("liaison/handled.j2", {"h": done})


def unblock(cmd: QueueItem, call: Call):
    done = liaison_queue.set_author_blocked(call.uow, call.person, cmd.id, False)
    return Reply("liaison/handled.j2", {"h": done})


def point(cmd: CreatePoint, call: Call):
    created = points.create_point(call.uow, call.person, cmd.name, cmd.text)
    return Reply("points/created.j2", {"p": created})


def merge(cmd: MergeIntoPoint, call: Call):
    merged = points.merge_into_point(call.uow, call.person, cmd.id, cmd.point)
    return Reply("points/merged.j2", {"m": merged})


SPECS = [
    Spec(("liaison", "queue"), ("NAME",), (Option("vent", "flag"), Option("solve", "flag")),
         queue, command=ViewQueue, exclusive=(("vent", "solve"),)),
    Spec(("liaison", "show"), ("ID",), (), show, command=QueueItem),
    Spec(("liaison", "claim"), ("ID",), (), claim, command=QueueItem),
    Spec(("liaison", "reply"), ("ID", "TEXT..."), (), reply, command=ReplyToAuthor),
    Spec(("liaison", "decline"), ("ID", "REASON..."), (), decline, command=DeclineItem),
    Spec(("liaison", "close"), ("ID",), (), close, command=QueueItem),
    Spec(("liaison", "point"), ("NAME", "TEXT..."), (), point, command=CreatePoint),
    Spec(("liaison", "merge"), ("ID", "POINT"), (), merge, command=MergeIntoPoint),
    Spec(("liaison", "block"), ("ID",), (), block, command=QueueItem),
    Spec(("liaison", "unblock"), ("ID",), (), unblock, command=QueueItem),
]
