"""Supporters over time as SVG geometry: the numbers a template draws, computed here.

As in the chat chart (bots/output/charts.py), a snapshot whose count was below
k is never drawn as a number: it becomes a band from zero to k ("somewhere
below k") and breaks the line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from campaigns.reports.report import ChartPoint

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40


@dataclass(frozen=True)
class Tick:
    at: float
    value: int | datetime
    # A moment's numeric shape (`%Y-%m-%d`); the page shows it in the reader's zone.
    shape: str | None = None


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    y: float
    height: float


@dataclass(frozen=True)
class Chart:
    """What `web/_chart.svg.j2` draws, in SVG user units."""

    width: int
    height: int
    plot: tuple[float, float, float, float]  # left, top, right, bottom
    lines: tuple[str, ...]  # polyline `points`, one per run of shown counts
    dots: tuple[tuple[float, float], ...]  # lone shown counts between hidden ones
    bands: tuple[Band, ...]
    target_y: float | None
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    first: ChartPoint
    last: ChartPoint
    hidden: int
    k: int
    target: int | None


def _nice_step(top: float) -> int:
    rough = max(top / 4, 1)
    power = 10 ** math.floor(math.log10(rough))
    for factor in (1, 2, 5, 10):
        if rough <= factor * power:
            return int(factor * power)
    return int(10 * power)


def supporters_chart(history: Sequence[ChartPoint], target: int | None, k: int) -> Chart | None:
    """The chart's geometry, or None when there is no snapshot to draw."""
    if not history:
        return None
    left, top, right, bottom = LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM
    shown = [p.supporters for p in history if p.supporters is not None]
    ceiling = max([target or 0, k, *shown]) * 1.1
    step = _nice_step(ceiling)
    ceiling = step * math.ceil(ceiling / step)
    start = history[0].taken_at.timestamp()
    span = history[-1].taken_at.timestamp() - start

    def x_of(moment: datetime) -> float:
        if span <= 0:
            return (left + right) / 2
        return left + (moment.timestamp() - start) / span * (right - left)

    def y_of(value: float) -> float:
        return bottom - value / ceiling * (bottom - top)

    # A hidden snapshot's band is as wide as its share of the axis, within reason.
    slot = min(max((right - left) / max(len(history) - 1, 1), 2.0), 24.0)
    lines, dots, bands, run = [], [], [], []
    for point in history:
        x = x_of(point.taken_at)
        if point.supporters is None:
            bands.append(Band(round(max(x - slot / 2, left), 1), round(slot, 1),
                              round(y_of(k), 1), round(bottom - y_of(k), 1)))
            _close(run, lines, dots)
            run = []
            continue
        run.append((round(x, 1), round(y_of(point.supporters), 1)))
    _close(run, lines, dots)
    y_ticks = tuple(Tick(round(y_of(v), 1), v) for v in range(0, int(ceiling) + 1, step))
    ends = [history[0]] if span <= 0 else [history[0], history[-1]]
    if len(history) >= 5:
        ends.insert(1, history[len(history) // 2])
    # Dates for a long series; within two days the hour is what tells snapshots apart.
    shape = "%Y-%m-%d" if span > 2 * 86400 else "%m-%d %H:%M"
    x_ticks = tuple(Tick(round(x_of(p.taken_at), 1), p.taken_at, shape) for p in ends)
    return Chart(
        width=WIDTH, height=HEIGHT, plot=(left, top, right, bottom), lines=tuple(lines),
        dots=tuple(dots), bands=tuple(bands),
        target_y=round(y_of(target), 1) if target else None,
        y_ticks=y_ticks, x_ticks=x_ticks, first=history[0], last=history[-1],
        hidden=sum(1 for p in history if p.supporters is None), k=k, target=target,
    )


def _close(run: list[tuple[float, float]], lines: list[str],
           dots: list[tuple[float, float]]) -> None:
    if len(run) == 1:
        dots.append(run[0])
    elif run:
        lines.append(" ".join(f"{x},{y}" for x, y in run))
