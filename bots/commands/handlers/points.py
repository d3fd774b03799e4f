"""/campaign points and /campaign support: talking points as members see them."""

from __future__ import annotations

from dataclasses import dataclass

from bots.commands.conversions import PointNumber
from bots.commands.dispatch import Call
from bots.commands.parser import Spec
from bots.commands.replies import Reply
from campaigns.grievances import points


@dataclass(frozen=True)
class ListPoints:
    name: str


@dataclass(frozen=True)
class SupportPoint:
    point: PointNumber


def listing(cmd: ListPoints, call: Call):
    return Reply("points/list.j2", {"ps": points.list_points(call.uow, call.person, cmd.name)})


def support(cmd: SupportPoint, call: Call):
    return Reply("points/supported.j2", {"s": points.support_point(call.uow, call.person, cmd.point)})


SPECS = [
    Spec(("campaign", "points"), ("NAME",), (), listing, command=ListPoints),
    Spec(("campaign", "support"), ("POINT",), (), support, command=SupportPoint,
         grouped=True),
]
