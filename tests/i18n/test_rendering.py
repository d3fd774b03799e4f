"""Rendering in a language: a translated sentence keeps its markup while every value put into it
is escaped for the platform; plurals, numbers, percentages and times follow the locale; a
msgid a catalog lacks reads in English and is logged by its msgid, never shown as a key."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from bots.output.i18n import DEFAULT, Languages, Locality, speaking_in
from bots.output.rendering import Renderer
from campaigns.core.suppression import Shown
from tests.i18n.catalogs import made_up, write

HOSTILE = "<!channel> @everyone *x*"
ESCAPED = {
    "console": HOSTILE,
    "slack": "&lt;!channel&gt; @everyone *x*",
    "discord": "<\u200b!channel\\> @\u200beveryone \\*x\\*",
}
SENTENCE = "{% trans campaign=v %}Pledge of {{ campaign }}{% endtrans %}"


def _render(platform: str, source: str, locale: str = "de", **values) -> str:
    template = Renderer(platform).env.from_string(source)
    with speaking_in(DEFAULT, DEFAULT.resolve(Locality(locale, "Europe/Berlin"))):
        return template.render(**values)


@pytest.mark.parametrize("platform", ESCAPED)
def test_a_user_value_inside_a_translated_sentence_stays_escaped(platform):
    shown = _render(platform, SENTENCE, v=HOSTILE)
    assert shown == f"Zusage von {ESCAPED[platform]}"


@pytest.mark.parametrize("platform, bold", [("console", "{}"), ("slack", "*{}*"),
                                            ("discord", "**{}**")])
def test_markup_passed_into_a_translated_sentence_survives_and_its_value_is_escaped(platform,
                                                                                     bold):
    shown = _render(platform, "{% trans campaign=bold(v) %}You signed the pledge of {{ campaign }}.{% endtrans %}",
                    v=HOSTILE)
    assert shown == f"Du hast die Zusage von {bold.format(ESCAPED[platform])} unterschrieben."


def test_a_slack_mention_or_link_cannot_be_forged_through_a_translation():
    shown = _render("slack", "{% trans others=v, when=w %}Counted without a name: {{ others }}, as of the count of {{ when }}.{% endtrans %}",
                    v="<https://evil.example|click>", w="<!here>")
    assert "<" not in shown and ">" not in shown
    assert shown.startswith("Ohne Namen gezählt:")


# Plurals: 1, 2, 5 and 21 in every shipped language, from the catalogs' own plural rules.
PLURALS = {
    "es": ["Falta 1 persona más.", "Faltan 2 personas más.", "Faltan 5 personas más.",
           "Faltan 21 personas más."],
    "pt_BR": ["Falta mais 1 pessoa.", "Faltam mais 2 pessoas.", "Faltam mais 5 pessoas.",
              "Faltam mais 21 pessoas."],
    "de": ["Es braucht noch 1 Person.", "Es braucht noch 2 Personen.",
           "Es braucht noch 5 Personen.", "Es braucht noch 21 Personen."],
    "en": ["1 more person is needed.", "2 more people are needed.", "5 more people are needed.",
           "21 more people are needed."],
}
NEEDED = "{% import 'threshold/_macros.j2' as m %}{{ m.needed(n, 5)|trim|safe_text }}"


@pytest.mark.parametrize("locale", PLURALS)
def test_counts_of_1_2_5_and_21_take_the_right_plural(locale):
    shown = [_render("console", NEEDED, locale, n=SimpleNamespace(exact=count))
             for count in (1, 2, 5, 21)]
    assert shown == PLURALS[locale]


@pytest.mark.parametrize("locale, hours", [("es", ["1 hora", "21 horas"]),
                                           ("pt_BR", ["1 hora", "21 horas"]),
                                           ("de", ["1 Stunde", "21 Stunden"])])
def test_a_cooling_off_window_is_counted_in_the_readers_words(locale, hours):
    window = "{% import 'pledge/_macros.j2' as m %}{{ m.window(s) }}"
    assert [_render("console", window, locale, s=n * 3600) for n in (1, 21)] == hours


@pytest.mark.parametrize("locale, number, share", [("en", "1,234", "12.5%"),
                                                   ("de", "1.234", "12,5\xa0%"),
                                                   ("pt_BR", "1.234", "12,5%"),
                                                   ("es", "1.234", "12,5\xa0%")])
def test_numbers_and_percentages_are_written_the_locales_way(locale, number, share):
    shown = _render("console", "{{ n|number }} {{ p|percent }} {{ s|shown }} {{ f|shown }}",
                    locale, n=1234, p=12.5, s=Shown(1234, 5), f=Shown(None, 5))
    fewer = {"en": "fewer than 5", "de": "weniger als 5", "pt_BR": "menos de 5",
             "es": "menos de 5"}[locale]
    assert shown == f"{number} {share} {number} {fewer}"


def test_a_time_is_shown_in_the_readers_zone_and_names_it():
    moment = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert _render("console", "{{ t|when }}", "de", t=moment) == "02.11.2026, 10:00 Europe/Berlin"
    assert _render("console", "{{ t|when }}", "en", t=moment) == "2026-11-02 10:00 Europe/Berlin"
    # A day next to people is the stored day, whatever the zone.
    assert _render("console", "{{ t|day }}", "de", t=moment.replace(hour=0)) == "02.11.2026"


def test_a_msgid_missing_from_a_catalog_reads_in_english_and_is_logged_by_msgid(tmp_path,
                                                                                caplog):
    catalog = made_up("fr", lambda msgid: "")  # every entry untranslated
    catalog["Pledge of %(campaign)s"].string = "Engagement de %(campaign)s"
    write(catalog, tmp_path, "fr")
    renderer = Renderer("console", languages=Languages(tmp_path))
    caplog.set_level(logging.WARNING, logger="concerted.i18n")

    translated = renderer.render("pledge/status.j2", Locality("fr"), v=_pledge())

    assert "Engagement de ethics" in translated
    assert "Open for signatures." in translated, "the missing sentence falls back to English"
    assert "%(" not in translated and "⟦" not in translated
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "i18n.missing locale=fr msgid='Open for signatures.'" in logged
    assert "We will not build it" not in logged, "user text is never logged"


def test_a_translation_with_a_broken_placeholder_falls_back_to_the_msgid(tmp_path, caplog):
    catalog = made_up("fr", lambda msgid: "")
    catalog["Pledge of %(campaign)s"].string = "Engagement de %(kampagne)s"
    write(catalog, tmp_path, "fr")
    renderer = Renderer("console", languages=Languages(tmp_path))

    shown = renderer.render("pledge/status.j2", Locality("fr"), v=_pledge())

    assert shown.startswith("Pledge of ethics")
    assert "i18n.bad_placeholder" in caplog.text


def _pledge() -> SimpleNamespace:
    return SimpleNamespace(campaign="ethics", text="We will not build it", state="open",
                           closed=False, deadline=None, target=None, supporters=None,
                           next_count=None, mine=None, counted_at=None)
