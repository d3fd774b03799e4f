"""A threshold announcement reaches every member at once (notices are inserted in bulk): one
notice of their own kind each, one content-free ping each, and nothing twice (R6, R13)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import func, select

from campaigns.core.inbox import read_inbox
from campaigns.core.models import Notice
from campaigns.core.privacy import Person
from campaigns.core.signatures import Mode
from campaigns.membership.joining import NewCampaign, join_campaign, open_campaign
from campaigns.pledges import signing as pledges
from tests.support import renderer

SIGNERS = {"bob": Mode.ANONYMOUS, "dan": Mode.ANONYMOUS, "carol": Mode.NAMED,
           "erin": Mode.CONDITIONAL, "fay": Mode.CONDITIONAL}
ONLOOKERS = ("gus", "hal")


def person(name: str) -> Person:
    return Person("console", "console", name)


def run(domain, use_case, *args):
    with domain.unit() as uow:
        return use_case(uow, *args)


def inbox(domain, who: str) -> str:
    return renderer("console").render("campaign/inbox.j2", items=run(domain, read_inbox, person(who)))


@pytest.fixture
def reached(domain, clock, notifier):
    """A campaign of 100 (target 5) whose five signers reach the threshold at the next count."""
    run(domain, open_campaign, person("alice"), NewCampaign("ethics", headcount=100))
    run(domain, pledges.create_pledge, person("alice"), "ethics", "We stand together.", None)
    for name in ONLOOKERS:
        run(domain, join_campaign, person(name), "ethics")
    for name, mode in SIGNERS.items():
        run(domain, pledges.sign_pledge, person(name), "ethics", mode)
    notifier.pending.clear()
    clock.advance(timedelta(hours=1))
    domain.jobs.run_due(clock.now())
    return notifier.pending


def test_every_member_is_pinged_exactly_once_though_two_notices_wait_for_them(domain, reached):
    everyone = {person(name) for name in ("alice", *SIGNERS, *ONLOOKERS)}
    assert set(reached) == everyone
    assert all(count == 1 for count in Counter(reached).values())


def test_conditional_signers_hear_of_their_cooling_off_and_nobody_else_does(domain, reached):
    for name in ("erin", "fay"):
        text = inbox(domain, name)
        assert "You signed conditionally" in text and "has reached 5% of its headcount" in text
    for name in ("bob", "carol", "gus"):
        assert "conditionally" not in inbox(domain, name)


def test_signers_are_told_it_is_the_pledge_they_signed_and_onlookers_where_to_read_it(domain,
                                                                                    reached):
    for name in ("bob", "dan", "carol"):
        assert inbox(domain, name).count("which you signed, has reached its threshold") == 1
    for name in ONLOOKERS:
        text = inbox(domain, name)
        assert "which you signed" not in text and "/pledge status ethics" in text


def test_a_second_count_after_the_announcement_leaves_no_further_notice(domain, clock, reached):
    with domain.unit() as uow:
        before = uow.session.exec(select(func.count(Notice.id))).one()
    clock.advance(timedelta(hours=1))
    domain.jobs.run_due(clock.now())
    with domain.unit() as uow:
        assert uow.session.exec(select(func.count(Notice.id))).one() == before
