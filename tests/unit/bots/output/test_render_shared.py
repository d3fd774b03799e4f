"""An answer that is the same for everyone given the same data is rendered once, and reads
exactly as rendering it each time would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bots.output.i18n import Locality
from bots.output.rendering import Renderer
from campaigns.pledges.signing import SignedPledge

SIGNED = SignedPledge("ethics", "anonymous", None, "open", None,
                      datetime(2026, 12, 3, 20, tzinfo=UTC), timedelta(hours=48))


def test_a_shared_answer_is_rendered_once_per_data_and_locality(monkeypatch):
    renderer = Renderer("slack")
    fresh = renderer.render("pledge/signed.j2", None, s=SIGNED)
    rendered = []
    real = renderer.render

    def counting(template, locality=None, /, **data):
        rendered.append(template)
        return real(template, locality, **data)

    monkeypatch.setattr(renderer, "render", counting)

    first = renderer.render_shared("pledge/signed.j2", None, {"s": SIGNED})
    again = renderer.render_shared("pledge/signed.j2", None, {"s": SIGNED})
    spanish = renderer.render_shared("pledge/signed.j2", Locality("es"), {"s": SIGNED})

    assert first == again == fresh
    assert spanish != fresh
    assert len(rendered) == 2  # English once, Spanish once


def test_data_that_cannot_be_a_key_is_rendered_each_time(monkeypatch):
    renderer = Renderer("slack")
    rendered = []
    real = renderer.render
    monkeypatch.setattr(renderer, "render", lambda template, locality=None, /, **data: (
        rendered.append(template), real(template, locality, **data))[1])

    for _ in range(2):
        renderer.render_shared("pledge/signed.j2", None, {"s": SIGNED, "extra": ["a list"]})

    assert len(rendered) == 2
