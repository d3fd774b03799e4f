"""A petition on Discord, from the draft form (addressee as a command option) to the letter
delivered with its files, only to the person who delivered it."""

from campaigns.core.models import Signature
from petitions.models import Petition
from tests.e2e.discord_bot.fake_discord import person_id
from tests.e2e.discord_bot.workspace import count_rows, find, start_campaign

POINT = "Card networks keep @everyone paying <@&123> and [a safe link](http://nudify.example)"


async def test_a_petition_goes_from_the_draft_form_to_a_delivered_letter(bot):
    await start_campaign(bot, liaison="carol", members=("bob", "dave", "erin"))

    opened = await bot.run("bob", "petition", "draft",
                           {"name": "ethics", "to": "Chief Risk Officer"})
    assert list(opened.modal_inputs()) == ["title", "point1", "point2", "point3", "ask"]
    drafted = await bot.submit("bob", opened.modal, {
        "title": "End nudify merchant accounts", "point1": POINT,
        "point2": "Close to 200 such apps take payments through us.",
        "point3": "Labelling an image fake does not undo the harm.",
        "ask": "End merchant accounts for AI nudification services by the end of the quarter.",
    })
    drafted.assert_private_and_silent()
    ref = find(r"P-[A-Z0-9]+", drafted.text)
    assert count_rows(bot, Petition) == 1
    assert "@everyone" not in drafted.text and "<@&123>" not in drafted.text

    await bot.run("dave", "petition", "sponsor", {"id": ref})
    await bot.run("erin", "petition", "sponsor", {"id": ref})
    approved = await bot.run("carol", "petition", "approve", {"id": ref})
    assert "open" in approved.text.lower()
    for signer, options in (("bob", {}), ("dave", {"named": True}), ("erin", {"named": True})):
        await bot.run(signer, "petition", "sign", {"id": ref, **options})
    assert count_rows(bot, Signature) == 3

    asked = await bot.run("alice", "petition", "deliver", {"id": ref})
    delivered = await bot.run("carol", "petition", "deliver", {"id": ref})

    assert "takes two people" in asked.text
    delivered.assert_private_and_silent()
    assert "is delivered" in delivered.text
    files = [name for sent in delivered.files for name in sent]
    assert any(name.endswith(".pdf") for name in files)
    assert any(name.endswith(".md") for name in files)
    assert str(person_id("bob")) not in delivered.text, "bob signed without his name"
