"""What every benchmark prints about how it was run, and small helpers they share."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from datetime import UTC, datetime


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} cores "
            f"({cpu}), Python {sys.version.split()[0]}")


def header(name: str, how: str) -> None:
    print(f"# {name}")
    print(f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {machine()}")
    print(f"how: {how}")


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
