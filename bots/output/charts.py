"""The lead's chart: supporters over time against the target line, as a PNG (matplotlib, Agg).

A snapshot whose count was below k is never drawn as a number: it appears as
a grey bar from zero to k ("somewhere below k") and breaks the line.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from campaigns.reports.report import ChartPoint

WIDTH, HEIGHT, DPI = 8, 4.5, 100  # 800 × 450 pixels
LINE_COLOR = "#1f4e79"
TARGET_COLOR = "#d62728"
HIDDEN_COLOR = "#9e9e9e"


@dataclass(frozen=True)
class ChartLabels:
    """The chart's words, rendered from a template by the caller."""

    title: str
    supporters: str
    target: str
    hidden: str


def draw_supporters(history: Sequence[ChartPoint], target: int | None, k: int,
                    labels: ChartLabels, path: Path) -> Path:
    """Write the chart to `path` (replacing it whole) and return the path."""
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    times = [point.taken_at for point in history]
    # NaN breaks the line where a count is hidden, so no value is drawn through it.
    counts = [math.nan if point.supporters is None else point.supporters for point in history]
    axes.plot(times, counts, color=LINE_COLOR, marker="o", markersize=3, linewidth=2,
              label=labels.supporters)
    hidden = [point.taken_at for point in history if point.supporters is None]
    if hidden:
        axes.vlines(hidden, 0, k, colors=HIDDEN_COLOR, linewidth=6, alpha=0.5,
                    label=labels.hidden)
    if target:
        axes.axhline(target, color=TARGET_COLOR, linestyle="--", linewidth=2,
                     label=labels.target)
    shown = [count for count in counts if not math.isnan(count)]
    top = max([target or 0, k, *shown])
    axes.set_ylim(0, top * 1.15 + 1)
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.set_title(labels.title)
    axes.grid(axis="y", alpha=0.3)
    # Below the plot, so it never covers the target line or the latest counts.
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=3, frameon=False)
    figure.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # No "Software" stamp or dates in the file: the same counts give the same bytes.
    figure.savefig(partial, format="png", metadata={"Software": None})
    os.replace(partial, path)
    return path
