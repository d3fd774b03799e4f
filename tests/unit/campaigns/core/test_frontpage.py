"""Gentle front-page warnings for text that names people, insults, or mentions confidential material."""

from campaigns.core.frontpage import Concern, front_page_warnings


def concerns(text: str) -> dict[Concern, tuple[str, ...]]:
    return {w.concern: w.found for w in front_page_warnings(text)}


def test_a_first_and_last_name_is_flagged_as_naming_someone():
    assert concerns("Priya Raman moved the deadline again.") == {Concern.NAMES: ("Priya Raman",)}


def test_mentions_honorifics_and_my_manager_with_a_name_are_flagged():
    found = concerns("@sam told <@U0123ABC> that Ms. Okafor and my manager Jo agreed.")
    assert found[Concern.NAMES] == ("@sam", "<@U0123ABC>", "Ms. Okafor", "my manager Jo")


def test_insults_are_flagged_whatever_their_case():
    assert concerns("Whoever planned this is an IDIOT, a total clown.") == {
        Concern.INSULT: ("IDIOT", "clown"),
    }


def test_confidential_material_is_flagged():
    found = concerns("I saw the source code and the customer data marked Internal Only, under NDA.")
    assert found == {Concern.CONFIDENTIAL: ("source code", "customer data", "Internal Only", "NDA")}


def test_every_concern_is_reported_at_once_in_a_fixed_order():
    text = "Dave Miller is useless and leaked a trade secret."
    assert [w.concern for w in front_page_warnings(text)] == [
        Concern.NAMES, Concern.INSULT, Concern.CONFIDENTIAL,
    ]


def test_plain_statements_of_a_shared_problem_raise_no_warning():
    for text in [
        "The on-call rota leaves no rest between night shifts.",
        "Last Monday the Trust and Safety team was told to ignore reports.",
        "Card networks and search engines help them make money.",
        "End merchant accounts for AI nudification services by the end of the quarter.",
        "Our New York office has no quiet room.",
        "",
    ]:
        assert front_page_warnings(text) == [], text


def test_a_repeated_word_is_listed_once():
    assert concerns("Confidential! This is confidential.") == {Concern.CONFIDENTIAL: ("Confidential",)}
