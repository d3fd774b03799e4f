"""Commands run together (`Dispatcher.invoke_many`) answer exactly as one by one, share one
commit, run a request once however often it is delivered, and survive a failure of the whole."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from bots.commands.dispatch import Request
from campaigns.core.models import BlockedAuthor, Member, SeenRequest, Signature
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.pledges import quick
from tests.support import person

PRIVATE = "quiet"


@dataclass(frozen=True)
class Signed:
    """A signed request's record, as the Slack adapter gives one (bots/slack_app/replays.py)."""

    digest: str
    expires_at: int = 2_000_000_000

    def within(self, uow) -> bool:
        from campaigns.core.replays import record_delivery

        return record_delivery(uow.session, self.digest, self.expires_at)

    def alone(self) -> bool:  # pragma: no cover - only when a command commits nothing
        raise AssertionError("not expected here")


def signed(name: str) -> Signed:
    return Signed(hashlib.sha256(name.encode()).hexdigest())


@pytest.fixture
def dispatcher(app):
    dispatcher = app.dispatcher("console")
    for line in ("/campaign create ethics --headcount 40",
                 '/pledge create ethics --text "We stand together."',
                 f"/campaign create {PRIVATE} --headcount 40 --private",
                 f'/pledge create {PRIVATE} --text "Quietly."'):
        [reply] = dispatcher.run(person("alice"), line)
        assert not reply.template.startswith("errors/"), reply.template
    return dispatcher


def request(dispatcher, who: str, line: str, once=None) -> Request:
    return Request(person(who), dispatcher.read(line), once=once)


def count(app, model, *where) -> int:
    with app.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model).where(*where)).scalar()


@pytest.fixture
def commits(monkeypatch) -> list[int]:
    """One entry for each commit a unit of work makes (the job store's reads are not ours)."""
    seen: list[int] = []
    real = UnitOfWork.commit

    def commit(self) -> None:
        real(self)
        seen.append(1)

    monkeypatch.setattr(UnitOfWork, "commit", commit)
    return seen


def test_first_signatures_share_one_commit_and_answer_as_one_by_one(app, dispatcher, commits):
    together = dispatcher.invoke_many([
        request(dispatcher, f"s{n}", f"/pledge sign ethics{' --named' if n % 2 else ''}")
        for n in range(6)])
    shared = len(commits)
    alone = [dispatcher.run(person(f"t{n}"), f"/pledge sign ethics{' --named' if n % 2 else ''}")
             for n in range(6)]

    assert shared == 1
    assert [[(r.template, r.data, r.locality, r.kind) for r in outcome] for outcome in together] \
        == [[(r.template, r.data, r.locality, r.kind) for r in outcome] for outcome in alone]
    assert count(app, Signature) == 12 and count(app, Member) == 2 + 12  # alice leads two campaigns


def test_what_the_lean_path_leaves_is_answered_one_by_one_as_before(app, dispatcher):
    dispatcher.run(person("bob"), "/pledge sign ethics")
    lines = [("bob", "/pledge sign ethics"),            # a repeat
             ("bob", "/pledge sign ethics --named"),    # a change of mode
             ("mallory", f"/pledge sign {PRIVATE}"),    # a private campaign, not theirs
             ("dan", "/pledge sign nowhere"),           # no such campaign
             ("erin", "/pledge sign ethics"),           # the plain case
             ("erin", "/pledge sign ethics"),           # the same person again, at once
             ("fay", "/pledge sign")]                   # the name missing
    together = dispatcher.invoke_many([request(dispatcher, who, line) for who, line in lines])

    templates = [[reply.template for reply in outcome] for outcome in together]
    assert templates[0] == ["pledge/signed.j2"] and together[0][0].data["s"].repeated
    assert together[1][0].data["s"].previous == "anonymous"
    assert templates[2] == templates[3] == ["errors/campaign_not_found.j2"]
    assert templates[4] == templates[5] == ["pledge/signed.j2"]
    assert together[5][0].data["s"].repeated
    assert templates[6][0].startswith("errors/")
    assert count(app, Signature) == 2


def test_members_blocked_authors_and_two_campaigns_in_one_batch_are_told_as_one_by_one(
    app, dispatcher,
):
    dispatcher.run(person("carol"), "/campaign join ethics")  # a member who has not signed
    dispatcher.run(person("dave"), "/campaign join ethics")
    dispatcher.run(person("dave"), "/pledge sign ethics")     # a member who has
    _blocked_after_leaving(app, "ethics", "eve")
    lines = [("carol", "/pledge sign ethics"), ("dave", "/pledge sign ethics"),
             ("eve", "/pledge sign ethics"),                  # the block is kept on rejoining
             ("alice", f"/pledge sign {PRIVATE}"),            # the lead of a private campaign
             ("finn", "/pledge sign ethics"), ("finn", f"/pledge sign {PRIVATE}")]
    together = dispatcher.invoke_many([request(dispatcher, who, line) for who, line in lines])

    [carol, dave, eve, alice, finn, finn_private] = [outcome[0] for outcome in together]
    assert [r.template for r in (carol, dave, eve, alice, finn)] == ["pledge/signed.j2"] * 5
    assert [r.data["s"].repeated for r in (carol, dave, eve, alice, finn)] == [
        False, True, False, False, False]
    assert finn_private.template == "errors/campaign_not_found.j2"
    assert count(app, Member, Member.grievance_blocked.is_(True)) == 1
    assert count(app, BlockedAuthor) == 0
    assert count(app, Signature) == 1 + 4  # dave before, and the four first signatures here


def test_a_request_delivered_twice_or_already_run_runs_once_and_is_answered_once(app,
                                                                               dispatcher):
    dispatcher.run(person("ida"), "/pledge sign ethics")
    first = dispatcher.invoke_many([request(dispatcher, "gus", "/pledge sign ethics",
                                            signed("gus")),
                                    request(dispatcher, "gus", "/pledge sign ethics",
                                            signed("gus")),
                                    request(dispatcher, "hal", "/pledge sign ethics",
                                            signed("hal")),
                                    # left to run on its own: recorded there, once
                                    request(dispatcher, "ida", "/pledge sign ethics",
                                            signed("ida"))])
    again = dispatcher.invoke_many([request(dispatcher, who, "/pledge sign ethics", signed(who))
                                    for who in ("gus", "ida")])

    assert [outcome is None for outcome in first] == [False, True, False, False]
    assert first[3][0].data["s"].repeated
    assert again == [None, None]
    assert count(app, Signature) == 3 and count(app, SeenRequest) == 3


def test_when_the_whole_batch_fails_each_runs_alone_and_nothing_is_lost_or_doubled(
    app, dispatcher, monkeypatch,
):
    monkeypatch.setattr(quick, "first_signatures", _failing_after_writing(quick.first_signatures))

    outcomes = dispatcher.invoke_many([
        request(dispatcher, f"u{n}", "/pledge sign ethics", signed(f"u{n}")) for n in range(4)])

    assert all(outcome[0].template == "pledge/signed.j2" for outcome in outcomes)
    assert count(app, Signature) == 4 and count(app, SeenRequest) == 4


def _blocked_after_leaving(app, campaign: str, who: str) -> None:
    """`who` was blocked from sending grievances and left: only the pseudonym is kept."""
    from campaigns.core.access import find_campaign, vault_of

    with app.unit() as uow:
        found = find_campaign(uow, person("alice"), campaign)
        uow.session.add(BlockedAuthor(campaign_id=found.id,
                                      member_ref=vault_of(uow, found).member_ref(person(who))))
        uow.commit()


def _failing_after_writing(real):
    def fails(uow, asks):
        if len(asks) > 1:
            real(uow, asks)
            raise RuntimeError("the batch breaks after writing")
        return real(uow, asks)
    return fails
