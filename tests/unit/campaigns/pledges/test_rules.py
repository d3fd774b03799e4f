"""Pledge rules and wording that need no database: closing, mentions, windows, escaping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bots.commands.handlers import pledge as pledge_commands
from bots.output.rendering import TEMPLATES, Renderer
from campaigns.core.suppression import suppress
from campaigns.pledges.models import Pledge, PledgeState
from campaigns.pledges.outcomes import closed_for_signing
from campaigns.pledges.signing import PledgeView, SignedPledge

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def pledge(state=PledgeState.OPEN, deadline=None) -> Pledge:
    return Pledge(campaign_id=1, created_at=NOW, state=state, deadline=deadline)


def test_a_pledge_closes_for_signing_at_its_deadline_or_when_it_expired():
    assert not closed_for_signing(pledge(), NOW)
    assert not closed_for_signing(pledge(deadline=NOW + timedelta(seconds=1)), NOW)
    assert closed_for_signing(pledge(deadline=NOW), NOW)
    assert closed_for_signing(pledge(PledgeState.EXPIRED), NOW)
    assert closed_for_signing(pledge(PledgeState.RELEASED, NOW - timedelta(days=1)), NOW)


@pytest.mark.parametrize(("platform", "identity", "shown"), [
    ("slack", "slack:T1:U123ABC", "<@U123ABC>"),
    ("discord", "discord:42:1234567", "<@1234567>"),
    ("console", "console:console:bob", "Your co-signer is bob."),
])
def test_a_made_introduction_names_the_co_signer_as_the_platform_mentions_people(
        platform, identity, shown):
    text = Renderer(platform).render("notices/pledge_intro_made.j2",
                                     p={"name": "ethics", "ref": "I-7KQ2XH", "other": identity})
    assert shown in text


@pytest.mark.parametrize(("window", "wording"), [
    (timedelta(hours=48), "you have 48 hours to withdraw"),
    (timedelta(minutes=90), "you have 90 minutes to withdraw"),
    (timedelta(hours=1), "you have 1 hour to withdraw"),
])
def test_a_conditional_signer_is_told_the_cooling_off_window_in_words(window, wording):
    signed = SignedPledge("ethics", "conditional", None, "open", None, None, window)
    text = Renderer("console").render("pledge/signed.j2", s=signed)
    assert wording in text
    assert "you are counted from the next snapshot." in text


def test_pledge_text_cannot_ping_everyone_or_forge_a_link():
    view = PledgeView("ethics", "<!channel> see <https://evil.example|here> @everyone", "open",
                      None, False, suppress(3, 5), NOW, 2, None, None, None, False, None,
                      timedelta(hours=48))
    slack = Renderer("slack").render("pledge/status.j2", v=view)
    assert "<!channel>" not in slack and "<https://" not in slack
    assert "fewer than 5" in slack
    discord = Renderer("discord").render("pledge/status.j2", v=view)
    assert "@everyone" not in discord


def test_every_pledge_command_and_the_group_have_a_help_text():
    paths = [spec.help_template for spec in pledge_commands.SPECS] + ["help/pledge.j2"]
    missing = [p for p in paths if not (TEMPLATES / "common" / p).exists()]
    assert missing == []
