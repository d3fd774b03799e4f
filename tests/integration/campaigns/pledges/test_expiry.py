"""A pledge whose deadline comes before its threshold: every signer told, sealed names gone
from the bytes on disk, only the count left."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from campaigns.core.errors import PledgeClosed, PledgeNotSigned
from campaigns.core.models import Signature
from campaigns.core.signatures import Mode
from campaigns.membership.joining import NewCampaign, open_campaign
from campaigns.pledges import introductions
from campaigns.pledges import signing as pledges
from campaigns.pledges.models import Introduction, IntroductionPool
from tests.scans import stored_bytes
from tests.support import advance, inbox, person, run

SIGNERS = {"bob": Mode.CONDITIONAL, "carol": Mode.CONDITIONAL, "dave": Mode.NAMED,
           "erin": Mode.ANONYMOUS, "femi": Mode.ANONYMOUS, "gita": Mode.CONDITIONAL}


def expiring_pledge(domain, clock):
    """1,000 people, so 50 make the threshold: six signers never reach it before the deadline."""
    run(domain, open_campaign, person("alice"), NewCampaign("ethics", headcount=1000))
    run(domain, pledges.create_pledge, person("alice"), "ethics", "We stand together.",
        clock.now() + timedelta(hours=2))
    for name, mode in SIGNERS.items():
        run(domain, pledges.sign_pledge, person(name), "ethics", mode)
    run(domain, introductions.join_pool, person("bob"), "ethics", False)
    run(domain, introductions.join_pool, person("carol"), "ethics", False)


def sealed_names(domain) -> list[bytes]:
    with domain.unit() as uow:
        rows = uow.session.exec(select(Signature).where(Signature.name_sealed.is_not(None)))
        return [bytes(row.name_sealed) for row in rows]


def test_an_expired_pledge_leaves_no_sealed_name_in_the_stored_bytes_and_keeps_its_count(domain, clock):
    expiring_pledge(domain, clock)
    names = sealed_names(domain)
    assert len(names) == 4  # three conditional, one named
    at_rest = stored_bytes(domain.engine)
    assert all(name in at_rest for name in names), "the scan must be able to see them first"

    advance(domain, clock, timedelta(hours=3))

    at_rest = stored_bytes(domain.engine)
    assert [name for name in names if name in at_rest] == []
    assert [name for name in names if name[:28] in at_rest] == []  # not even a fragment
    with domain.unit() as uow:
        assert uow.session.exec(select(Signature)).all() == []
        assert uow.session.exec(select(IntroductionPool)).all() == []
        assert uow.session.exec(select(Introduction)).all() == []
    view = run(domain, pledges.pledge_status, person("alice"), "ethics")
    assert view.state == "expired" and str(view.supporters) == "6"
    signers = run(domain, pledges.list_signers, person("alice"), "ethics")
    assert signers.names == [] and str(signers.others) == "6"


def test_every_signer_is_told_the_pledge_expired_and_it_takes_no_more_signatures(domain, clock):
    expiring_pledge(domain, clock)
    advance(domain, clock, timedelta(hours=3))
    for name in SIGNERS:
        told = inbox(domain, name)
        assert "expired before any count reached its threshold" in told, name
        assert "only the count remains (6)" in told
    assert "expired" not in inbox(domain, "alice")  # she did not sign
    with pytest.raises(PledgeClosed):
        run(domain, pledges.sign_pledge, person("hana"), "ethics", Mode.ANONYMOUS)
    with pytest.raises(PledgeNotSigned):
        run(domain, pledges.withdraw_from_pledge, person("bob"), "ethics")


def test_a_deadline_after_the_threshold_was_reached_expires_nothing(domain, clock):
    run(domain, open_campaign, person("alice"), NewCampaign("ethics", headcount=40))
    run(domain, pledges.create_pledge, person("alice"), "ethics", "We stand together.",
        clock.now() + timedelta(hours=2))
    run(domain, pledges.sign_pledge, person("bob"), "ethics", Mode.CONDITIONAL)
    run(domain, pledges.sign_pledge, person("carol"), "ethics", Mode.ANONYMOUS)
    advance(domain, clock, timedelta(hours=1))  # reached
    advance(domain, clock, timedelta(hours=2))  # past the deadline
    view = run(domain, pledges.pledge_status, person("alice"), "ethics")
    assert view.state == "reached" and view.closed
    assert len(sealed_names(domain)) == 1
    assert "expired" not in inbox(domain, "bob")
    advance(domain, clock, domain.rules.cooling_off)
    assert [p.user for p in run(domain, pledges.list_signers, person("alice"), "ethics").names] == [
        "bob"]
