"""Pledge use cases on a real database: one signature per person, counts only from snapshots,
the threshold reached once and for good (R6, R12)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from campaigns.core.errors import ConditionalTooLate, InviteNeeded, PledgeUndecided, TextTooLong
from campaigns.core.models import Member, Signature
from campaigns.core.signatures import Mode
from campaigns.membership.joining import NewCampaign, open_campaign
from campaigns.pledges import signing as pledges
from campaigns.pledges.models import Pledge
from tests.support import advance, inbox, person, renderer, run


def start(domain, *, headcount=40, private=False, deadline=None, text="We stand together."):
    run(domain, open_campaign, person("alice"),
        NewCampaign("ethics", headcount=headcount, private=private))
    return run(domain, pledges.create_pledge, person("alice"), "ethics", text, deadline)


def signatures_on_pledge(domain) -> list[Signature]:
    with domain.unit() as uow:
        return list(uow.session.exec(select(Signature).where(Signature.subject == "pledge")))


def test_signing_the_same_pledge_twenty_times_at_once_leaves_exactly_one_signature(domain):
    start(domain)
    dispatcher = domain.dispatcher("console")
    barrier = threading.Barrier(20)
    answers: list[str] = []

    def sign() -> None:
        barrier.wait()
        for reply in dispatcher.run(person("bob"), "/pledge sign ethics --conditional"):
            answers.append(renderer("console").render(reply.template, **reply.data))

    threads = [threading.Thread(target=sign) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    rows = signatures_on_pledge(domain)
    assert len(rows) == 1 and rows[0].mode == Mode.CONDITIONAL
    assert len(answers) == 20
    assert all("signed the pledge" in a or "already signed" in a for a in answers), answers
    with domain.unit() as uow:
        assert len(uow.session.exec(select(Member)).all()) == 2  # alice and bob, once each


def test_signing_again_changes_only_the_mode_the_signer_chooses(domain):
    start(domain)
    first = run(domain, pledges.sign_pledge, person("bob"), "ethics", Mode.ANONYMOUS)
    again = run(domain, pledges.sign_pledge, person("bob"), "ethics", Mode.ANONYMOUS)
    named = run(domain, pledges.sign_pledge, person("bob"), "ethics", Mode.NAMED)
    assert first.previous is None and again.repeated and named.previous == "anonymous"
    assert run(domain, pledges.list_signers, person("alice"), "ethics").names == [person("bob")]
    run(domain, pledges.sign_pledge, person("bob"), "ethics", Mode.ANONYMOUS)
    assert run(domain, pledges.list_signers, person("alice"), "ethics").names == []
    assert [row.name_sealed for row in signatures_on_pledge(domain)] == [None]


def test_signing_an_open_campaigns_pledge_makes_the_signer_a_member(domain):
    start(domain)
    run(domain, pledges.sign_pledge, person("bob"), "ethics", Mode.ANONYMOUS)
    view = run(domain, pledges.pledge_status, person("bob"), "ethics")
    assert view.mine == "anonymous"


def test_a_private_campaigns_pledge_needs_an_invitation_and_stores_nothing(domain):
    start(domain, private=True)
    with pytest.raises(InviteNeeded):
        run(domain, pledges.sign_pledge, person("bob"), "ethics", Mode.NAMED)
    assert signatures_on_pledge(domain) == []


def test_pledge_text_over_500_characters_is_refused_and_nothing_is_stored(domain):
    run(domain, open_campaign, person("alice"), NewCampaign("ethics", headcount=40))
    with pytest.raises(TextTooLong):
        run(domain, pledges.create_pledge, person("alice"), "ethics", "x" * 501, None)
    with domain.unit() as uow:
        assert uow.session.exec(select(Pledge)).all() == []
    view = run(domain, pledges.create_pledge, person("alice"), "ethics", "y" * 500, None)
    assert view.text == "y" * 500


def test_a_second_pledge_waits_until_the_first_is_decided(domain, clock):
    start(domain, deadline=clock.now() + timedelta(hours=2))
    with pytest.raises(PledgeUndecided):
        run(domain, pledges.create_pledge, person("alice"), "ethics", "Another", None)
    advance(domain, clock, timedelta(hours=3))  # expired with nobody signing
    view = run(domain, pledges.create_pledge, person("alice"), "ethics", "Another", None)
    assert view.text == "Another" and view.state == "open"


def test_the_count_a_person_sees_changes_only_when_a_snapshot_is_taken(domain, clock):
    start(domain, headcount=1000)
    for name in ["b1", "b2", "b3", "b4", "b5", "b6"]:
        run(domain, pledges.sign_pledge, person(name), "ethics", Mode.ANONYMOUS)
    before = run(domain, pledges.pledge_status, person("alice"), "ethics")
    assert before.supporters is None
    advance(domain, clock, timedelta(hours=1))
    counted = run(domain, pledges.pledge_status, person("alice"), "ethics")
    assert str(counted.supporters) == "6"
    run(domain, pledges.sign_pledge, person("b7"), "ethics", Mode.ANONYMOUS)
    run(domain, pledges.withdraw_from_pledge, person("b1"), "ethics")
    run(domain, pledges.withdraw_from_pledge, person("b2"), "ethics")
    assert str(run(domain, pledges.pledge_status, person("alice"), "ethics").supporters) == "6"
    advance(domain, clock, timedelta(hours=1))
    assert str(run(domain, pledges.pledge_status, person("alice"), "ethics").supporters) == "5"


def test_the_confirmation_names_the_time_of_the_next_snapshot(domain, clock):
    start(domain)
    signed = run(domain, pledges.sign_pledge, person("bob"), "ethics", Mode.CONDITIONAL)
    assert signed.next_count == clock.now() + timedelta(hours=1)


def test_reaching_the_threshold_is_announced_once_and_never_undone(domain, clock):
    start(domain)  # 5% of 40 is 2
    run(domain, pledges.sign_pledge, person("bob"), "ethics", Mode.CONDITIONAL)
    run(domain, pledges.sign_pledge, person("carol"), "ethics", Mode.NAMED)
    advance(domain, clock, timedelta(hours=1))
    assert inbox(domain, "bob").count("has reached its threshold") == 1
    carol = inbox(domain, "carol")
    assert "which you signed, has reached its threshold" in carol
    run(domain, pledges.withdraw_from_pledge, person("bob"), "ethics")
    run(domain, pledges.withdraw_from_pledge, person("carol"), "ethics")
    advance(domain, clock, timedelta(hours=3))
    view = run(domain, pledges.pledge_status, person("alice"), "ethics")
    assert view.state == "reached" and view.reached_at == clock.now() - timedelta(hours=3)
    assert str(view.supporters) == "0"
    assert inbox(domain, "alice").count("The pledge of ethics has reached its threshold") == 1
    advance(domain, clock, timedelta(hours=48))
    assert run(domain, pledges.pledge_status, person("alice"), "ethics").state == "released"


def test_a_conditional_signature_is_refused_once_names_are_released(domain, clock):
    start(domain)
    run(domain, pledges.sign_pledge, person("bob"), "ethics", Mode.NAMED)
    run(domain, pledges.sign_pledge, person("carol"), "ethics", Mode.NAMED)
    advance(domain, clock, timedelta(hours=1))
    advance(domain, clock, domain.rules.cooling_off)
    with pytest.raises(ConditionalTooLate):
        run(domain, pledges.sign_pledge, person("dave"), "ethics", Mode.CONDITIONAL)
    assert len(signatures_on_pledge(domain)) == 2
    late = run(domain, pledges.sign_pledge, person("dave"), "ethics", Mode.NAMED)
    assert late.state == "released"


def test_archiving_destroys_the_pledge_and_its_planned_expiry_then_touches_nothing(domain, clock):
    from campaigns.membership.administration import archive_campaign

    start(domain, deadline=clock.now() + timedelta(hours=30))
    run(domain, pledges.sign_pledge, person("bob"), "ethics", Mode.CONDITIONAL)
    run(domain, archive_campaign, person("alice"), "ethics")
    run(domain, open_campaign, person("alice"), NewCampaign("again", headcount=1000))
    run(domain, pledges.create_pledge, person("alice"), "again", "A new start.", None)
    run(domain, pledges.sign_pledge, person("dave"), "again", Mode.CONDITIONAL)
    advance(domain, clock, timedelta(hours=31))  # the archived pledge's deadline passes
    view = run(domain, pledges.pledge_status, person("dave"), "again")
    assert view.state == "open" and view.mine == "conditional"
    with domain.unit() as uow:
        assert uow.session.exec(select(Pledge.id)).all() == [2]  # ids are never reused
