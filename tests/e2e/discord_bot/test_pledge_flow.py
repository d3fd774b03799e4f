"""A pledge on Discord: created, signed (once per person, whatever the retries), counted by the
snapshot, and names shown only as each signer chose."""

from datetime import timedelta

from campaigns.core.models import Signature
from tests.e2e.discord_bot.fake_discord import person_id
from tests.e2e.discord_bot.workspace import count_rows, start_campaign

TEXT = "We will not onboard nudify apps"


async def test_signers_are_counted_once_and_named_only_as_they_chose(bot):
    await start_campaign(bot, liaison=None, members=())
    created = await bot.run("alice", "pledge", "create", {"name": "ethics", "text": TEXT})
    created.assert_private_and_silent()
    assert "The pledge of **ethics** is open" in created.text

    signed = await bot.run("bob", "pledge", "sign", {"name": "ethics"})
    again = await bot.run("bob", "pledge", "sign", {"name": "ethics"})
    await bot.run("dave", "pledge", "sign", {"name": "ethics", "named": True})
    await bot.run("erin", "pledge", "sign", {"name": "ethics", "conditional": True})

    signed.assert_private_and_silent()
    assert "You signed the pledge of `ethics`" in signed.text
    assert "nothing changed: there is one signature from you" in again.text
    assert count_rows(bot, Signature) == 3

    await bot.advance(timedelta(hours=1))
    status = await bot.run("carol", "pledge", "status", {"name": "ethics"})
    signers = await bot.run("bob", "pledge", "signers", {"name": "ethics"})
    assert "fewer than 5" in status.text and "threshold was reached" in status.text
    assert f"<@{person_id('dave')}>" in signers.text
    assert str(person_id("bob")) not in signers.text
    assert str(person_id("erin")) not in signers.text, "sealed during the cooling-off window"
    assert await bot.dms("erin") == [], "a conditional signer is not pinged apart at the crossing"

    await bot.advance(timedelta(hours=48))
    pings = await bot.dms("erin")  # the digest, which every member got
    assert pings and all(p["allowed_mentions"] == {"parse": []} for p in pings)
    assert all(TEXT not in p["content"] and "ethics" not in p["content"] for p in pings)
    released = await bot.run("bob", "pledge", "signers", {"name": "ethics"})
    assert f"<@{person_id('erin')}>" in released.text
    released.assert_private_and_silent()
