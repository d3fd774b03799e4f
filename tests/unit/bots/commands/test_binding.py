"""Typed commands: each Spec's dataclass is built once from what was typed, converted or refused."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest

from bots.commands.binding import sources, to_command
from bots.commands.handlers.campaign import CreateCampaign
from bots.commands.handlers.grievance import FileGrievance
from bots.commands.handlers.liaison import MergeIntoPoint
from bots.commands.handlers.petition import DraftPetition
from bots.commands.handlers.pledge import CreatePledge, SignPledge
from bots.commands.parser import Spec
from bots.commands.registry import registry
from campaigns.core.errors import BadValue
from campaigns.core.privacy import Person

ASKER = Person("slack", "T1", "U1")
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def command(text: str):
    return to_command(registry().parse(text), asker=ASKER, now=NOW)


@pytest.mark.parametrize("spec", registry().specs.values(), ids=lambda s: " ".join(s.path))
def test_every_command_has_a_frozen_dataclass_whose_fields_are_its_arguments_and_options(spec):
    assert spec.command is not None and spec.handler is not None
    assert spec.command.__dataclass_params__.frozen
    assert set(sources(spec)) == {f.name for f in fields(spec.command)}


def test_a_field_that_is_no_argument_or_option_is_refused_when_the_command_is_built():
    spec = Spec(("pledge", "sign"), ("NAME",), (), command=SignPledge)

    with pytest.raises(TypeError, match="SignPledge.named is no argument or option"):
        sources(spec)


def test_flags_become_booleans_and_leave_the_rest_at_their_defaults():
    assert command("/pledge sign ethics --conditional") == SignPledge("ethics", conditional=True)
    assert command("/grievance ethics --text hi --send-anyway") == FileGrievance(
        "ethics", text="hi", send_anyway=True)


def test_option_text_becomes_numbers_percentages_days_and_repeated_values():
    assert command("/campaign create ethics --headcount 1,200 --threshold 12.5% "
                   "--retention 72h --milestone 30 --milestone 50") == CreateCampaign(
        "ethics", headcount=1200, threshold=12.5, retention=3, milestone=(30.0, 50.0))
    assert command("/petition draft ethics --point a --point b --use-point 2") == DraftPetition(
        "ethics", point=("a", "b"), use_point=("2",))


def test_a_deadline_is_a_date_or_a_duration_from_now():
    assert command("/pledge create ethics --deadline 14d") == CreatePledge(
        "ethics", deadline=NOW + timedelta(days=14))
    assert command("/pledge create ethics --deadline 2027-01-31").deadline == datetime(
        2027, 1, 31, 23, 59, 59, tzinfo=UTC)


def test_queue_numbers_may_be_written_with_a_hash():
    assert command("/liaison merge #3 2") == MergeIntoPoint(3, 2)


def test_a_person_named_with_a_mention_is_someone_in_the_askers_workspace():
    assert command("/campaign invite ethics <@U2|bob>").user == Person("slack", "T1", "U2")


@pytest.mark.parametrize("text, field", [
    ("/campaign create ethics --threshold 0", "threshold"),
    ("/campaign create ethics --headcount lots", "headcount"),
    ("/campaign create ethics --retention 1h", "retention"),
    ("/campaign create ethics --retention 3651", "retention"),
    ("/pledge create ethics --deadline 9999-12-31", "deadline"),
    ("/pledge create ethics --deadline 732d", "deadline"),
    ("/campaign create ethics --milestone 101", "milestone"),
    ("/campaign milestone ethics none", "milestone"),
    ("/pledge create ethics --deadline yesterday", "deadline"),
    ("/liaison show first", "item"),
    ("/liaison merge 1 x", "talking point"),
])
def test_text_that_is_not_the_value_asked_for_is_refused_naming_the_field(text, field):
    with pytest.raises(BadValue) as refused:
        command(text)

    assert refused.value.params["field"] == field


def test_a_bare_retention_counts_days_like_a_duration_in_days():
    assert command("/campaign create ethics --retention 30").retention == 30
    assert command("/campaign create ethics --retention 30d").retention == 30
    assert command("/campaign create ethics --retention 2w").retention == 14


def test_a_refused_value_is_quoted_as_typed_never_as_converted():
    with pytest.raises(BadValue) as refused:
        command("/campaign create ethics --retention 9999999w")
    assert refused.value.params["value"] == "9999999w"
