"""Only a real IANA zone name is taken; anything else is None, never an error."""

from __future__ import annotations

import pytest

from bots.output.i18n import known_zone


@pytest.mark.parametrize("name", ["Europe/Berlin", "UTC", " America/Sao_Paulo "])
def test_a_real_zone_is_taken_by_its_name(name):
    assert known_zone(name) == name.strip()


@pytest.mark.parametrize("name", ["", None, "Mars/Olympus", "../etc/passwd", "/etc/localtime",
                                  "a" * 300, "Europe/" + "x" * 400])
def test_anything_else_is_none(name):
    assert known_zone(name) is None
