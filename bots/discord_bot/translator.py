"""Discord's command descriptions and choices in every shipped language (`description_localizations`).

discord.py asks the translator for each string of the command tree and each
Discord locale when the commands are synced. Names stay English: they are
typed and documented once. A description comes from the same place as the
English one (the help template, or the msgid of options.json) rendered in the
catalog that matches the Discord locale (`pt-BR` → `pt_BR`, `es-ES` → `es`).
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation, locale_str

from bots.discord_bot.tree import Descriptions, _short
from bots.output.i18n import SOURCE, Languages, Locality

_NAMES = {TranslationContextLocation.command_name, TranslationContextLocation.group_name,
          TranslationContextLocation.parameter_name}


class CatalogTranslator(app_commands.Translator):
    """Descriptions and choice names from the gettext catalogs, within Discord's 100 characters."""

    def __init__(self, languages: Languages):
        self.languages = languages
        self.describe = Descriptions(languages)

    def locale_for(self, locale: discord.Locale) -> str | None:
        """The shipped catalog for a Discord locale, or None for English and the unshipped."""
        chosen = self.languages.choose(locale.value)
        return chosen if chosen not in (None, SOURCE) else None

    async def translate(self, string: locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContext) -> str | None:
        ours = self.locale_for(locale)
        if ours is None or context.location in _NAMES:
            return None
        extras = string.extras
        if "template" in extras:
            text, _ = self.describe.first_sentences(extras["template"], string.message,
                                                    Locality(ours), extras.get("sentences"))
        elif "msgid" in extras:
            text = _short(self.languages.gettext(ours, extras["msgid"]))
        else:
            return None
        return text if text and text != string.message else None
