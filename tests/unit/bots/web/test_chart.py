"""The dashboard chart's geometry: hidden counts become bands up to k, never a drawn value."""

from datetime import UTC, datetime, timedelta

from bots.web.chart import supporters_chart
from campaigns.reports.report import ChartPoint

START = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _series(*counts):
    return [ChartPoint(START + timedelta(hours=i), c) for i, c in enumerate(counts)]


def test_a_hidden_count_breaks_the_line_and_becomes_a_band_from_zero_to_k():
    chart = supporters_chart(_series(None, 6, 7, None, 9, 12), target=10, k=5)
    assert len(chart.bands) == 2 and chart.hidden == 2
    assert [len(line.split()) for line in chart.lines] == [2, 2]
    bottom = chart.plot[3]
    for band in chart.bands:
        assert round(band.y + band.height, 1) == bottom
    k_height = {band.height for band in chart.bands}
    assert len(k_height) == 1  # every band reaches k, whatever the hidden count was


def test_a_lone_shown_count_between_hidden_ones_is_a_dot():
    chart = supporters_chart(_series(None, 7, None), target=None, k=5)
    assert len(chart.dots) == 1 and chart.lines == ()


def test_the_target_line_and_the_scale_leave_room_above_the_target():
    chart = supporters_chart(_series(6, 8), target=20, k=5)
    assert chart.target_y is not None and chart.plot[1] <= chart.target_y < chart.plot[3]
    assert chart.y_ticks[-1].value >= 20 and chart.y_ticks[0].value == 0


def test_no_snapshot_gives_no_chart_and_one_gives_a_centred_point():
    assert supporters_chart([], target=2, k=5) is None
    single = supporters_chart(_series(9), target=2, k=5)
    assert single.dots == (((single.plot[0] + single.plot[2]) / 2, single.dots[0][1]),)
