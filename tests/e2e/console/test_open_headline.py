"""Anyone in the workspace sees an open campaign's headline, as a public petition site shows its
count; a private campaign shows nothing to outsiders. Code, help and the privacy page agree."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SAID = "anyone in the workspace sees an open campaign's headline"
PRIVATE = "private campaigns show nothing to outsiders"
SETUP = """
    maya: /campaign create big --headcount 40 --title "Stop the rota" --description "Rest between shifts."
    maya: /pledge create big --text "I will sign the rota letter."
    maya: /campaign create hidden --private --headcount 40 --title "Quiet title"
    maya: /pledge create hidden --text "A quiet pledge."
    sam: /pledge sign big
    :advance 1h
"""
ASKED = ("/threshold {}", "/campaign info {}", "/pledge status {}")


def test_an_outsider_sees_the_headline_of_an_open_campaign(console):
    console.run(SETUP)
    threshold, info, pledge = (console.run("zed: " + ask.format("big")) for ask in ASKED)
    assert "Supporters: fewer than 5 of a headcount of 40" in threshold
    assert "Stop the rota" in info and "Rest between shifts." in info
    assert "Join with `/campaign join big`" in info
    assert '"I will sign the rota letter."' in pledge and "fewer than 5" in pledge


def test_an_outsider_learns_nothing_of_a_private_campaign_not_even_that_it_exists(console):
    console.run(SETUP)
    for ask in ASKED:
        hidden = console.run("zed: " + ask.format("hidden"))
        nothing = console.run("zed: " + ask.format("nothing"))
        assert hidden.replace("hidden", "NAME") == nothing.replace("nothing", "NAME")
        assert "Quiet title" not in hidden and "quiet pledge" not in hidden


@pytest.mark.parametrize("command", ["/threshold help", "/campaign info help",
                                     "/pledge status help"])
def test_the_help_says_who_sees_the_headline(console, command):
    out = " ".join(console.run("zed: " + command).split())
    assert SAID in out.lower() and PRIVATE in out.lower()


def test_the_privacy_page_says_the_same():
    page = " ".join((ROOT / "docs" / "PRIVACY.md").read_text().split())
    assert "| anyone in the workspace | an open campaign's headline" in page
    assert "of a private campaign, nothing" in page
