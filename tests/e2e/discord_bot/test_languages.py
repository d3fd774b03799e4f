"""Discord in the person's language: an interaction's `locale` picks the answer's language, and
the synced commands carry their descriptions and choices in every shipped language, within
Discord's 100 characters, while command and option names stay English."""

from __future__ import annotations

from tests.e2e.discord_bot.workspace import start_campaign

SHIPPED_DISCORD = ("es-ES", "pt-BR", "de")


async def test_an_interaction_in_pt_br_gets_its_private_answer_in_portuguese(bot):
    await start_campaign(bot, liaison=None, members=())
    await bot.run("alice", "pledge", "create", {"name": "ethics", "text": "We will not"})

    portuguese = await bot.run("bob", "pledge", "sign", {"name": "ethics"}, locale="pt-BR")
    english = await bot.run("carol", "pledge", "sign", {"name": "ethics"}, locale="en-US")
    helped = await bot.run("bob", "pledge", "help", {"command": "sign"}, locale="de")

    portuguese.assert_private_and_silent()
    assert "Você assinou o compromisso de `ethics`." in portuguese.text
    assert "You signed the pledge of `ethics`." in english.text
    assert "Unterschreib die Zusage der Kampagne" in helped.text


def _walk(commands):
    for command in commands:
        yield command
        for option in command.get("options", []):
            yield option
            yield from option.get("choices", [])
            if option.get("type") in (1, 2):
                yield from _walk([option])


async def test_synced_commands_are_described_in_every_shipped_language(bot):
    synced = list(_walk(bot.fake.commands[None]))
    described = [item for item in synced if "description" in item]
    # Options are described from options.json, all of it translated; commands from their help
    # templates, translated as each folder is wrapped (docs/TRANSLATING.md).
    options = [item for item in described if item.get("type") not in (None, 1, 2)]

    for locale in SHIPPED_DISCORD:
        shown = [item["description_localizations"][locale] for item in described
                 if locale in (item.get("description_localizations") or {})]
        assert all(locale in item.get("description_localizations", {}) for item in options)
        assert len(shown) > len(options) > 50
        assert all(1 <= len(text) <= 100 for text in shown)
    assert all(not item.get("name_localizations") for item in synced
               if "description" in item), "names stay English"
    pledge = next(item for item in bot.fake.commands[None] if item["name"] == "pledge")
    sign = next(o for o in pledge["options"] if o["name"] == "sign")
    assert sign["description_localizations"]["pt-BR"].startswith("Assine o compromisso")
    named = next(o for o in sign["options"] if o["name"] == "named")
    assert named["description_localizations"]["de"] == \
        "Ja: die Mitglieder der Kampagne sehen deinen Namen ab jetzt"
    leads_only = next(o for o in pledge["options"] if o["name"] == "create")
    assert leads_only["description_localizations"]["es-ES"].startswith(
        "Solo para responsables. Abre el compromiso")


async def test_a_grievance_choice_is_named_in_the_readers_language(bot):
    grievance = next(item for item in bot.fake.commands[None] if item["name"] == "grievance")
    [tag] = [item for item in _walk([grievance]) if item.get("name") == "tag"]
    choices = tag["choices"]
    localized = {choice["name"]: choice["name_localizations"]["es-ES"] for choice in choices}
    assert localized == {"I need to vent": "Necesito desahogarme",
                         "I want it solved": "Quiero que se resuelva"}
