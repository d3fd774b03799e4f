"""Whole numbers typed by people: only what the database can store gets through."""

from campaigns.core.integers import LARGEST, typed_number


def test_digits_with_thousands_separators_are_read_as_whole_numbers():
    assert [typed_number(t) for t in ("3", " 40 ", "1,000", "1_000", "0")] == [3, 40, 1000, 1000, 0]


def test_the_largest_number_an_integer_column_holds_is_read_and_one_more_is_not():
    assert typed_number(str(LARGEST)) == 2_147_483_647
    assert typed_number(str(LARGEST + 1)) is None
    assert typed_number("9" * 30) is None


def test_signs_decimals_superscripts_and_other_scripts_are_not_whole_numbers():
    for text in ("-1", "+5", "1.5", "1e9", "²", "٣", "", None, "three"):
        assert typed_number(text) is None, text


def test_only_text_shaped_like_a_reference_is_looked_up():
    from campaigns.core.access import looks_like_ref

    assert looks_like_ref("G-7KQ2XH", "G") and looks_like_ref("P-4K9Q", "P")
    for junk in ("G-7KQ\x002XH", "G-" + "A" * 40, "P-4K9Q", "G-", "g-7kq2xh", "G-7KQ 2XH"):
        assert not looks_like_ref(junk, "G"), junk
