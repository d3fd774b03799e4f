"""Relayed text cannot disguise itself: invisible direction overrides and zero-width spaces go."""

import pytest

from bots.output.rendering import Renderer

DISGUISED = "approve \u202eKCOLB\u202c this\u200b now\u2066!\u2069"


@pytest.mark.parametrize("platform", ["console", "slack", "discord"])
def test_bidi_overrides_and_zero_width_spaces_are_removed_from_relayed_text(platform):
    shown = Renderer(platform).env.from_string("{{ text }}").render(text=DISGUISED)
    for invisible in ("\u202e", "\u202c", "\u2066", "\u2069"):
        assert invisible not in shown
    assert "\u200b" not in shown.replace("@\u200b", "").replace("<\u200b", "")


@pytest.mark.parametrize("platform", ["console", "slack", "discord"])
def test_right_to_left_languages_and_joined_emoji_are_kept(platform):
    text = "שלום עולם · مرحبا · می\u200cخواهم · \U0001F469\u200d\U0001F527"
    assert Renderer(platform).env.from_string("{{ text }}").render(text=text) == text
