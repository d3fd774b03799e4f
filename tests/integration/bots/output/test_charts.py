"""The lead's chart: a real PNG of supporters over time with the target line, nothing below k."""

from datetime import timedelta

from PIL import Image

from bots.output.charts import TARGET_COLOR
from tests.support import add_supporters, ask, next_snapshot, people

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _rows_of_color(path, color: str, tolerance: int = 40) -> dict[int, int]:
    wanted = tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
    image = Image.open(path).convert("RGB")
    width, height = image.size
    pixels = image.load()
    rows = {}
    for y in range(height):
        hits = sum(1 for x in range(width)
                   if all(abs(pixels[x, y][c] - wanted[c]) <= tolerance for c in range(3)))
        if hits:
            rows[y] = hits
    return rows


def _grow(app, clock, days: int, per_day: int = 4) -> None:
    for day in range(days):
        add_supporters(app, "ethics", people(f"d{day}-", per_day))
        clock.advance(timedelta(hours=23))
        next_snapshot(app, clock)


def test_the_lead_gets_a_valid_800_by_450_png_with_the_target_line_across_it(app, clock):
    ask(app, "alice", "/campaign create ethics --headcount 1000")
    _grow(app, clock, days=9)
    out, replies = ask(app, "alice", "/threshold ethics")
    [chart] = replies[0].files
    assert chart.exists() and chart.parent == app.settings.output_dir
    assert "ethics" not in chart.name, "file names carry numbers, never campaign names"
    assert chart.read_bytes()[:8] == PNG_SIGNATURE
    with Image.open(chart) as image:
        image.verify()
    with Image.open(chart) as image:
        assert image.format == "PNG" and image.size == (800, 450)
    rows = _rows_of_color(chart, TARGET_COLOR)
    assert max(rows.values()) > 300, "a dashed target line runs across most of the plot"
    assert "chart of supporters over time" in out


def test_a_chart_without_a_headcount_has_no_target_line(app, clock):
    ask(app, "alice", "/campaign create ethics")
    _grow(app, clock, days=3)
    _, replies = ask(app, "alice", "/threshold ethics")
    [chart] = replies[0].files
    assert max(_rows_of_color(chart, TARGET_COLOR).values(), default=0) < 50


def test_the_same_snapshot_draws_the_same_chart_byte_for_byte(app, clock):
    ask(app, "alice", "/campaign create ethics --headcount 1000")
    _grow(app, clock, days=3)
    _, first = ask(app, "alice", "/threshold ethics")
    before = first[0].files[0].read_bytes()
    clock.advance(timedelta(minutes=30))
    _, again = ask(app, "alice", "/threshold ethics")
    assert again[0].files[0] == first[0].files[0]
    assert again[0].files[0].read_bytes() == before
