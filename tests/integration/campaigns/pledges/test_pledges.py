"""Pledge use cases on a real database: one signature per person, counts only from snapshots,
the threshold reached once and for good."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from bots.output.rendering import Renderer
from campaigns.core.errors import (
    CampaignNotFound,
    ConditionalTooLate,
    PledgeUndecided,
    TextTooLong,
)
from campaigns.core.models import Member, Signature
from campaigns.core.signatures import Mode
from campaigns.membership.joining import NewCampaign, open_campaign
from campaigns.pledges import signing as pledges
from campaigns.pledges.models import Pledge
from tests.support import advance, inbox, person, publish, run


def start(app, *, headcount=40, private=False, deadline=None, text="We stand together."):
    run(app, open_campaign, person("alice"),
        NewCampaign("ethics", headcount=headcount, private=private))
    return run(app, pledges.create_pledge, person("alice"), "ethics", text, deadline)


def signatures_on_pledge(app) -> list[Signature]:
    with app.unit() as uow:
        return list(uow.session.exec(select(Signature).where(Signature.subject == "pledge")))


def test_signing_the_same_pledge_twenty_times_at_once_leaves_exactly_one_signature(app):
    start(app)
    dispatcher = app.dispatcher("console")
    barrier = threading.Barrier(20)
    answers: list[str] = []

    def sign() -> None:
        barrier.wait()
        for reply in dispatcher.run(person("bob"), "/pledge sign ethics --conditional"):
            answers.append(Renderer("console").render(reply.template, **reply.data))

    threads = [threading.Thread(target=sign) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    rows = signatures_on_pledge(app)
    assert len(rows) == 1 and rows[0].mode == Mode.CONDITIONAL
    assert len(answers) == 20
    assert all("signed the pledge" in a or "already signed" in a for a in answers), answers
    with app.unit() as uow:
        assert len(uow.session.exec(select(Member)).all()) == 2  # alice and bob, once each


def test_signing_again_changes_only_the_mode_the_signer_chooses(app, clock):
    start(app)
    first = run(app, pledges.sign_pledge, person("bob"), "ethics", Mode.ANONYMOUS)
    again = run(app, pledges.sign_pledge, person("bob"), "ethics", Mode.ANONYMOUS)
    named = run(app, pledges.sign_pledge, person("bob"), "ethics", Mode.NAMED)
    assert first.previous is None and again.repeated and named.previous == "anonymous"
    assert run(app, pledges.list_signers, person("alice"), "ethics").names == []
    publish(app, clock)
    assert run(app, pledges.list_signers, person("alice"), "ethics").names == [person("bob")]
    anonymous = run(app, pledges.sign_pledge, person("bob"), "ethics", Mode.ANONYMOUS)
    assert anonymous.unlisted, "taking one's name back works at once, and the reply says so"
    assert run(app, pledges.list_signers, person("alice"), "ethics").names == []
    assert [row.name_sealed for row in signatures_on_pledge(app)] == [None]


def test_signing_an_open_campaigns_pledge_makes_the_signer_a_member(app):
    start(app)
    run(app, pledges.sign_pledge, person("bob"), "ethics", Mode.ANONYMOUS)
    view = run(app, pledges.pledge_status, person("bob"), "ethics")
    assert view.mine == "anonymous"


def test_a_private_campaigns_pledge_is_not_found_without_an_invitation_and_stores_nothing(app):
    start(app, private=True)
    with pytest.raises(CampaignNotFound):
        run(app, pledges.sign_pledge, person("bob"), "ethics", Mode.NAMED)
    assert signatures_on_pledge(app) == []


def test_pledge_text_over_500_characters_is_refused_and_nothing_is_stored(app):
    run(app, open_campaign, person("alice"), NewCampaign("ethics", headcount=40))
    with pytest.raises(TextTooLong):
        run(app, pledges.create_pledge, person("alice"), "ethics", "x" * 501, None)
    with app.unit() as uow:
        assert uow.session.exec(select(Pledge)).all() == []
    view = run(app, pledges.create_pledge, person("alice"), "ethics", "y" * 500, None)
    assert view.text == "y" * 500


def test_a_second_pledge_waits_until_the_first_is_decided(app, clock):
    start(app, deadline=clock.now() + timedelta(hours=2))
    with pytest.raises(PledgeUndecided):
        run(app, pledges.create_pledge, person("alice"), "ethics", "Another", None)
    advance(app, clock, timedelta(hours=3))  # expired with nobody signing
    view = run(app, pledges.create_pledge, person("alice"), "ethics", "Another", None)
    assert view.text == "Another" and view.state == "open"


def test_the_count_a_person_sees_changes_only_when_a_snapshot_is_taken(app, clock):
    start(app, headcount=1000)
    for name in ["b1", "b2", "b3", "b4", "b5", "b6"]:
        run(app, pledges.sign_pledge, person(name), "ethics", Mode.ANONYMOUS)
    before = run(app, pledges.pledge_status, person("alice"), "ethics")
    assert before.supporters is None
    advance(app, clock, timedelta(hours=1))
    counted = run(app, pledges.pledge_status, person("alice"), "ethics")
    assert str(counted.supporters) == "6"
    run(app, pledges.sign_pledge, person("b7"), "ethics", Mode.ANONYMOUS)
    run(app, pledges.withdraw_from_pledge, person("b1"), "ethics")
    run(app, pledges.withdraw_from_pledge, person("b2"), "ethics")
    assert str(run(app, pledges.pledge_status, person("alice"), "ethics").supporters) == "6"
    advance(app, clock, timedelta(hours=1))
    assert str(run(app, pledges.pledge_status, person("alice"), "ethics").supporters) == "5"


def test_the_confirmation_names_the_time_of_the_next_snapshot(app, clock):
    start(app)
    signed = run(app, pledges.sign_pledge, person("bob"), "ethics", Mode.CONDITIONAL)
    assert signed.next_count == clock.now() + timedelta(hours=1)


def test_reaching_the_threshold_is_announced_once_and_never_undone(app, clock):
    start(app)  # 5% of 40 is 2
    run(app, pledges.sign_pledge, person("bob"), "ethics", Mode.CONDITIONAL)
    run(app, pledges.sign_pledge, person("carol"), "ethics", Mode.NAMED)
    advance(app, clock, timedelta(hours=1))
    for name in ("bob", "carol"):
        assert inbox(app, name).count("stays so, even if people withdraw later") == 1
    run(app, pledges.withdraw_from_pledge, person("bob"), "ethics")
    run(app, pledges.withdraw_from_pledge, person("carol"), "ethics")
    advance(app, clock, timedelta(hours=3))
    view = run(app, pledges.pledge_status, person("alice"), "ethics")
    assert view.state == "reached" and view.reached_at == clock.now() - timedelta(hours=3)
    assert str(view.supporters) == "0"
    assert inbox(app, "alice").count("The pledge of ethics has reached its threshold") == 1
    advance(app, clock, timedelta(hours=48))
    assert run(app, pledges.pledge_status, person("alice"), "ethics").state == "released"


def test_a_conditional_signature_is_refused_once_names_are_released(app, clock):
    start(app)
    run(app, pledges.sign_pledge, person("bob"), "ethics", Mode.NAMED)
    run(app, pledges.sign_pledge, person("carol"), "ethics", Mode.NAMED)
    advance(app, clock, timedelta(hours=1))
    advance(app, clock, app.rules.cooling_off)
    with pytest.raises(ConditionalTooLate):
        run(app, pledges.sign_pledge, person("dave"), "ethics", Mode.CONDITIONAL)
    assert len(signatures_on_pledge(app)) == 2
    late = run(app, pledges.sign_pledge, person("dave"), "ethics", Mode.NAMED)
    assert late.state == "released"


def test_archiving_destroys_the_pledge_and_its_planned_expiry_then_touches_nothing(app, clock):
    from campaigns.membership.administration import archive_campaign

    start(app, deadline=clock.now() + timedelta(hours=30))
    run(app, pledges.sign_pledge, person("bob"), "ethics", Mode.CONDITIONAL)
    run(app, archive_campaign, person("alice"), "ethics")
    run(app, open_campaign, person("alice"), NewCampaign("again", headcount=1000))
    run(app, pledges.create_pledge, person("alice"), "again", "A new start.", None)
    run(app, pledges.sign_pledge, person("dave"), "again", Mode.CONDITIONAL)
    advance(app, clock, timedelta(hours=31))  # the archived pledge's deadline passes
    view = run(app, pledges.pledge_status, person("dave"), "again")
    assert view.state == "open" and view.mine == "conditional"
    with app.unit() as uow:
        assert uow.session.exec(select(Pledge.id)).all() == [2]  # ids are never reused
