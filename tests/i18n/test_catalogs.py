"""The catalogs are complete, current and faithful: the .pot matches the code, every shipped
language translates every msgid, and no translation drops, renames or adds a placeholder."""

from __future__ import annotations

import pytest

from tests.i18n.catalogs import SHIPPED, extract, forms, shipped, strings, template, unfaithful


def _ids(catalog) -> set:
    return {message.id for message in catalog if message.id}


def test_the_pot_lists_exactly_the_msgids_the_code_marks(tmp_path):
    fresh = _ids(extract(tmp_path / "fresh.pot"))
    committed = _ids(template())
    assert fresh - committed == set(), "run pybabel extract (docs/TRANSLATING.md)"
    assert committed - fresh == set(), "run pybabel extract (docs/TRANSLATING.md)"
    assert len(committed) > 200


@pytest.mark.parametrize("locale", SHIPPED)
def test_a_shipped_catalog_translates_every_msgid_and_nothing_is_fuzzy(locale):
    catalog = shipped(locale)
    assert _ids(catalog) == _ids(template()), f"run pybabel update for {locale}"
    untranslated = [m.id for m in catalog if m.id and not all(strings(m))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
    assert not catalog.fuzzy


@pytest.mark.parametrize("locale", SHIPPED)
def test_a_translation_keeps_every_placeholder_and_code_span_of_its_msgid(locale):
    changed = [(message.id, string, problems) for message in shipped(locale) if message.id
               for string in strings(message)
               if (problems := unfaithful(forms(message), string))]
    assert changed == []


def test_the_check_finds_a_renamed_placeholder_a_translated_command_and_a_stray_percent():
    msgid = ("Withdraw from %(campaign)s with `/pledge withdraw %(name)s`.",)
    assert unfaithful(msgid, "Zieh dich von %(kampagne)s zurück mit `/pledge withdraw %(name)s`.") \
        == ["invents %(kampagne)s", "drops %(campaign)s"]
    assert unfaithful(msgid, "Zieh dich von %(campaign)s zurück: `/zusage zurück %(name)s`.")
    assert unfaithful(("5%% of %(n)s",), "5 % von %(n)s") == ["has a % that is not a placeholder"]
    assert unfaithful(msgid, "Zieh dich von %(campaign)s zurück mit `/pledge withdraw %(name)s`.") \
        == []
