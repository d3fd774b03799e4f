"""/campaign points and /campaign support: talking points as members see them (R1)."""

from __future__ import annotations

from bots.commands.dispatch import Call
from bots.commands.handlers.liaison import number
from bots.commands.parser import Spec
from bots.commands.replies import Reply
from campaigns.grievances import points


def listing(call: Call):
    return Reply("points/list.j2", {"ps": points.list_points(call.uow, call.person,
                                                             call.arg("name"))})


def support(call: Call):
    supported = points.support_point(call.uow, call.person,
                                     number(call.arg("point"), "talking point"))
    return Reply("points/supported.j2", {"s": supported})


SPECS = [
    Spec(("campaign", "points"), ("NAME",), (), listing),
    Spec(("campaign", "support"), ("POINT",), (), support),
]
