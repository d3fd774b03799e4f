"""/threshold: the headline for members, the full report and chart for leads, weekly reports."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bots.commands.dispatch import Call
from bots.commands.parser import Option, Spec
from bots.commands.replies import Reply
from bots.output.i18n import speaking_in
from bots.output.rendering import Renderer
from campaigns.reports.archived import archived_totals
from campaigns.reports.report import ThresholdReport, read_threshold_reports
from campaigns.reports.schedules import schedule_report


@dataclass(frozen=True)
class ShowThreshold:
    name: str | None = None  # none: every campaign the person belongs to


@dataclass(frozen=True)
class ScheduleReport:
    name: str
    day: str
    time: str | None = None
    here: bool = False


def show(cmd: ShowThreshold, call: Call):
    if cmd.name is not None:
        totals = archived_totals(call.uow, call.person, cmd.name)
        if totals is not None:
            return Reply("threshold/archived.j2", {"a": totals})
    reports = read_threshold_reports(call.uow, call.person, cmd.name, call.memo)
    if not reports:
        return Reply("threshold/none.j2", {})
    return [_reply(call, report) for report in reports]


def schedule(cmd: ScheduleReport, call: Call):
    result = schedule_report(call.uow, call.person, cmd.name, cmd.day, cmd.time,
                             channel=call.channel, here=cmd.here)
    return Reply("threshold/scheduled.j2", {"s": result})


def _reply(call: Call, report: ThresholdReport) -> Reply:
    chart = None
    if report.lead is not None and report.lead.history:
        # The words drawn into the image are in the reader's language.
        where = call.locality
        with speaking_in(call.languages, where):
            chart = chart_once(report, call.output_dir, call.uow.rules.min_count, call.memo,
                               where.locale or "en")
    return Reply("threshold/report.j2", {"r": report, "chart": chart is not None},
                 files=(chart,) if chart else ())


def chart_once(report: ThresholdReport, output_dir: Path, k: int, memo: MutableMapping,
               locale: str) -> Path:
    """The report's chart, drawn on the first request after its snapshot and reused after.

    The report is itself kept per snapshot (campaigns/reports/report.py), so the same report
    object means the same chart; the file is drawn again only if it went missing. Its words are
    in the reader's language, so each language has its own.
    """
    key = ("threshold-chart", id(report), str(output_dir), k, locale)
    kept = memo.get(key)
    if kept is not None and kept[0] is report and kept[1].exists():
        return kept[1]
    path = chart_of(report, output_dir, k, locale)
    memo[key] = (report, path)
    return path


def chart_of(report: ThresholdReport, output_dir: Path, k: int, locale: str) -> Path:
    """Draw the lead's chart into the output folder; the file name carries numbers, no names."""
    from bots.output.charts import ChartLabels, draw_supporters  # matplotlib only when needed

    h = report.headline
    words = _labels().make_module({"name": h.campaign, "percent": h.threshold,
                                   "target": h.target, "k": k})
    labels = ChartLabels(title=words.title, supporters=words.supporters,
                         target=words.target_line, hidden=words.hidden)
    path = Path(output_dir) / f"threshold-{h.campaign_id}-{h.snapshot_id}-{locale}.png"
    return draw_supporters(report.lead.history, h.target, k, labels, path)


@cache
def _labels():
    # Console rendering: plain text for an image, with control characters stripped.
    return Renderer("console").env.get_template("threshold/chart_labels.j2")


SPECS = [
    Spec(("threshold",), ("[NAME]",), (), show, command=ShowThreshold),
    Spec(("threshold", "schedule"), ("NAME", "DAY", "[TIME]"), (Option("here", "flag"),),
         schedule, command=ScheduleReport),
]
