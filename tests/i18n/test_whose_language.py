"""Whose language and whose clock: the person's own where the platform says it, else the
campaign's, else the deployment's; a post several people read is in the campaign's."""

from __future__ import annotations

import io

import pytest

from bots.console.workspace import Console
from bots.runtime.bootstrap import build
from tests.i18n.catalogs import copy_shipped, made_up, write

PLEDGE = '/pledge create ethics --text "We will not build it"'


def _campaign(console, *options: str) -> None:
    console.run(f"""
        ana: /campaign create ethics --headcount 40 {' '.join(options)}
        ana: {PLEDGE}
        bob: /campaign join ethics
    """)


def test_a_console_person_with_a_locale_reads_german_while_the_others_keep_english(console):
    _campaign(console)
    console.run(":locale ana de")

    ana = console.run("ana: /pledge status ethics")
    bob = console.run("bob: /pledge status ethics")

    assert "Zusage von ethics" in ana and "Offen für Unterschriften." in ana
    assert "Pledge of ethics" in bob and "Open for signatures." in bob


def test_an_unknown_console_locale_is_refused_listing_the_shipped_ones(console):
    out = console.run(":locale ana xx")
    assert "There is no catalog for xx" in out and "de, en, es, pt_BR" in out


def test_a_campaigns_language_is_read_by_everyone_whose_platform_does_not_say_theirs(console):
    _campaign(console, "--language es --timezone America/Sao_Paulo")
    console.run(":advance 1h")

    bob = console.run("bob: /pledge status ethics")
    ana = console.run(":locale ana de\nana: /pledge status ethics")

    assert "Compromiso de ethics" in bob and "America/Sao_Paulo" in bob
    assert "a fecha del 2/11/2026, 07:00 America/Sao_Paulo" in bob  # the 10:00 UTC snapshot
    assert "Zusage von ethics" in ana, "a person's own language comes first"


def test_a_lead_sets_the_language_and_zone_and_bad_ones_are_refused(console):
    _campaign(console)
    refused = console.run("ana: /campaign language ethics klingon")
    bad_zone = console.run("ana: /campaign timezone ethics Mars/Olympus")
    not_lead = console.run("bob: /campaign language ethics de")
    changed = console.run("ana: /campaign language ethics pt-BR")
    zoned = console.run("ana: /campaign timezone ethics Europe/Berlin")

    assert "choose one of de, en, es, pt_BR" in refused
    assert "Europe/Berlin" in bad_zone and "Mars/Olympus" in bad_zone
    assert "language" in not_lead and "Compromisso" not in not_lead
    assert "agora fala português" in changed
    assert "Europe/Berlin" in zoned and "agora usa o horário de" in zoned


def test_a_campaign_create_with_an_unknown_language_stores_nothing(console):
    refused = console.run("ana: /campaign create ethics --language tlh")
    listed = console.run("ana: /campaign list")
    assert "choose one of" in refused and "ethics" not in listed.split("\n", 1)[-1]


def test_the_weekly_report_reads_in_the_campaigns_zone_naming_it(console):
    _campaign(console, "--timezone Europe/Berlin")
    scheduled = console.run("ana: /threshold schedule ethics monday 10:30")
    assert "Every Monday at 10:30 Europe/Berlin" in scheduled
    assert "2026-11-02 10:30 Europe/Berlin" in scheduled  # 09:30 UTC, still ahead of 09:00

    console.run(":advance 1h")
    report = console.run("ana: /threshold ethics")
    assert "As of the snapshot of 2026-11-02 11:00 Europe/Berlin" in report


def test_everyone_reads_spanish_in_a_console_started_with_locale_es(app, clock, notifier):
    out = io.StringIO()
    console = Console(app, clock, notifier, out=out, locale="es")
    console.run(["ana: /campaign create ethics --headcount 40", f"ana: {PLEDGE}",
                 "bob: /pledge status ethics", "bob: /pledge sign ethics"])
    shown = out.getvalue()
    assert "El compromiso de *ethics* está abierto" in shown or \
        "El compromiso de ethics está abierto" in shown
    assert "Firmaste el compromiso de ethics." in shown
    assert "Alcanza su umbral cuando un recuento muestre 2 firmas." in shown


def test_a_language_added_as_one_file_works_with_nothing_else_changed(settings, clock, notifier,
                                                                      tmp_path):
    folder = tmp_path / "locale"
    copy_shipped(folder)
    french = made_up("fr", lambda msgid: "")
    french["Pledge of %(campaign)s"].string = "Engagement de %(campaign)s"
    french["Open for signatures."].string = "Ouvert aux signatures."
    write(french, folder, "fr")
    configured = settings.model_copy(update={"locale_dir": folder})
    app = build(configured, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    try:
        out = io.StringIO()
        console = Console(app, clock, notifier, out=out, locale="fr")
        console.run(["ana: /campaign create ethics", f"ana: {PLEDGE}",
                     "ana: /pledge status ethics"])
    finally:
        app.close()
    shown = out.getvalue()
    assert "Engagement de ethics" in shown and "Ouvert aux signatures." in shown
    assert "Set a headcount with" in shown, "what fr lacks reads in English, never as a key"
    assert "fr" in app.languages.shipped


@pytest.mark.parametrize("locale, words", [("es", "El umbral ya se alcanzó"),
                                           ("de", "Die Schwelle ist schon erreicht")])
def test_a_reached_pledge_tells_a_conditional_signer_in_their_language(console, locale, words):
    console.run(f"""
        ana: /campaign create ethics --headcount 20
        ana: {PLEDGE}
    """)
    for name in ("b1", "b2", "b3", "b4", "b5"):
        console.run(f"{name}: /pledge sign ethics")
    console.run(":advance 1h")
    shown = console.run(f":locale cleo {locale}\ncleo: /pledge sign ethics --conditional")
    assert words in shown


def test_counts_of_people_are_written_the_readers_way(console):
    console.run("ana: /campaign create ethics --headcount 40000\n:advance 1h")
    german = console.run(":locale ana de\nana: /threshold ethics")
    english = console.run("bob: /campaign join ethics\nbob: /threshold ethics")
    assert "Ziel: 5\xa0% der Belegschaft = 2.000 Personen." in german
    assert "Target: 5% of the headcount = 2,000 people." in english
