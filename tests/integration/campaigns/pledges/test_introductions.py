"""Introductions between co-signers by consent: nobody learns who anyone is until both say yes."""

from __future__ import annotations

import pytest

from campaigns.core.errors import IntroductionOver, NotFound, PledgeNotSigned, TeamNeeded
from campaigns.core.inbox import read_inbox
from campaigns.core.privacy import Person
from campaigns.core.signatures import Mode
from campaigns.membership import roles
from campaigns.membership.joining import NewCampaign, open_campaign
from campaigns.pledges import introductions
from campaigns.pledges import signing as pledges
from tests.support import renderer


def person(name: str) -> Person:
    return Person("console", "console", name)


def run(domain, use_case, *args):
    with domain.unit() as uow:
        return use_case(uow, *args)


def inbox(domain, who: str, platform: str = "console") -> str:
    items = run(domain, read_inbox, person(who))
    return renderer(platform).render("campaign/inbox.j2", items=items)


def render(template: str, **data) -> str:
    return renderer("console").render(template, **data)


@pytest.fixture
def signed(domain):
    """A pledge that bob, carol, dave and erin signed anonymously."""
    run(domain, open_campaign, person("alice"), NewCampaign("ethics", headcount=1000))
    run(domain, pledges.create_pledge, person("alice"), "ethics", "We stand together.", None)
    for name in ("bob", "carol", "dave", "erin"):
        run(domain, pledges.sign_pledge, person(name), "ethics", Mode.ANONYMOUS)
    return domain


def test_two_opted_in_signers_learn_each_others_names_only_after_both_accept(signed):
    domain = signed
    alone = run(domain, introductions.join_pool, person("bob"), "ethics", False)
    assert alone.offered is None
    offer = run(domain, introductions.join_pool, person("carol"), "ethics", False)
    ref = offer.offered
    assert ref and ref.startswith("I-")
    request = inbox(domain, "bob")
    assert f"/pledge accept {ref}" in request and "carol" not in request
    assert "bob" not in render("pledge/pooled.j2", p=offer)

    first = run(domain, introductions.accept_introduction, person("carol"), ref)
    assert first.other is None and first.status == "pending"
    assert "bob" not in render("pledge/intro_accepted.j2", a=first)
    assert "carol" not in inbox(domain, "bob")

    second = run(domain, introductions.accept_introduction, person("bob"), ref.lower())
    assert second.other == person("carol") and second.status == "made"
    assert "your co-signer on the pledge of ethics is carol" in render(
        "pledge/intro_accepted.j2", a=second)
    assert "Your co-signer is bob." in inbox(domain, "carol")


def test_a_declined_request_reveals_no_identity_to_the_requester(signed):
    domain = signed
    run(domain, introductions.join_pool, person("bob"), "ethics", False)
    offer = run(domain, introductions.join_pool, person("carol"), "ethics", False)
    accepted = run(domain, introductions.accept_introduction, person("carol"), offer.offered)
    declined = run(domain, introductions.decline_introduction, person("bob"), offer.offered)
    assert declined.other is None and declined.status == "declined"
    told = inbox(domain, "carol")
    assert "will not happen" in told
    seen_by_carol = told + render("pledge/pooled.j2", p=offer) + render(
        "pledge/intro_accepted.j2", a=accepted)
    assert "bob" not in seen_by_carol
    slack = inbox(domain, "bob", "slack")  # bob's own inbox names nobody either
    assert "carol" not in slack and "<@" not in slack


def test_nobody_is_offered_the_same_person_twice(signed):
    domain = signed
    run(domain, introductions.join_pool, person("bob"), "ethics", False)
    offer = run(domain, introductions.join_pool, person("carol"), "ethics", False)
    run(domain, introductions.decline_introduction, person("bob"), offer.offered)
    again = run(domain, introductions.join_pool, person("carol"), "ethics", False)
    assert again.offered is None and again.was_pooled
    run(domain, introductions.join_pool, person("dave"), "ethics", False)
    with_dave = run(domain, introductions.join_pool, person("carol"), "ethics", False)
    assert with_dave.offered is not None
    assert "/pledge accept" in inbox(domain, "dave")


def test_team_only_signers_meet_only_people_of_their_declared_team(signed):
    domain = signed
    with pytest.raises(TeamNeeded):
        run(domain, introductions.join_pool, person("bob"), "ethics", True)
    run(domain, roles.set_team, person("bob"), "ethics", "Merchant risk")
    run(domain, roles.set_team, person("carol"), "ethics", "Payments core")
    run(domain, roles.set_team, person("dave"), "ethics", "merchant  RISK")
    run(domain, introductions.join_pool, person("bob"), "ethics", True)
    assert run(domain, introductions.join_pool, person("carol"), "ethics", False).offered is None
    assert run(domain, introductions.join_pool, person("erin"), "ethics", False).offered is not None
    offer = run(domain, introductions.join_pool, person("dave"), "ethics", True)
    assert offer.offered is not None
    assert "/pledge accept" in inbox(domain, "bob")


def test_leaving_the_pool_calls_off_waiting_introductions_without_naming_anyone(signed):
    domain = signed
    run(domain, introductions.join_pool, person("bob"), "ethics", False)
    offer = run(domain, introductions.join_pool, person("carol"), "ethics", False)
    left = run(domain, introductions.leave_introductions, person("bob"), "ethics")
    assert left.was_pooled and left.cancelled == 1
    told = inbox(domain, "carol")
    assert "will not happen" in told and "bob" not in told
    assert run(domain, introductions.join_pool, person("dave"), "ethics", False).offered
    with pytest.raises(IntroductionOver):
        run(domain, introductions.accept_introduction, person("carol"), offer.offered)


def test_withdrawing_from_the_pledge_also_leaves_the_pool(signed):
    domain = signed
    run(domain, introductions.join_pool, person("bob"), "ethics", False)
    run(domain, pledges.withdraw_from_pledge, person("bob"), "ethics")
    assert run(domain, introductions.join_pool, person("carol"), "ethics", False).offered is None


def test_only_signers_join_the_pool_and_only_the_two_sides_can_answer(signed):
    domain = signed
    with pytest.raises(PledgeNotSigned):
        run(domain, introductions.join_pool, person("alice"), "ethics", False)
    run(domain, introductions.join_pool, person("bob"), "ethics", False)
    offer = run(domain, introductions.join_pool, person("carol"), "ethics", False)
    for outsider in ("dave", "alice", "zed"):
        with pytest.raises(NotFound):
            run(domain, introductions.accept_introduction, person(outsider), offer.offered)
    other_workspace = Person("slack", "T999", "bob")
    with pytest.raises(NotFound):
        run(domain, introductions.accept_introduction, other_workspace, offer.offered)
