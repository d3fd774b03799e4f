"""The lean path of a first signature gives the same answer and the same rows as the full use
case, and steps aside for every other case."""

from __future__ import annotations

import pytest
from sqlalchemy import insert
from sqlmodel import select

from campaigns.core.access import find_campaign, vault_of
from campaigns.core.contacts import open_contact
from campaigns.core.errors import CampaignNotFound, PledgeClosed
from campaigns.core.models import Member, Signature
from campaigns.core.signatures import Mode, visible_names
from campaigns.membership.administration import archive_campaign
from campaigns.membership.joining import NewCampaign, open_campaign
from campaigns.pledges import quick
from campaigns.pledges import signing as pledges
from campaigns.pledges.models import Pledge
from tests.support import person, run


@pytest.fixture
def taken(monkeypatch) -> list[str]:
    """Who went through the lean path (and who was handed to the full use case: None)."""
    seen: list[str] = []
    real = quick.first_signature

    def spy(uow, who, name, mode):
        result = real(uow, who, name, mode)
        seen.append(who.user if result is not None else None)
        return result

    monkeypatch.setattr(quick, "first_signature", spy)
    return seen


def start(app, *, private=False):
    run(app, open_campaign, person("alice"), NewCampaign("ethics", headcount=40, private=private))
    run(app, pledges.create_pledge, person("alice"), "ethics", "We stand together.", None)


def rows_of(app, who: str) -> tuple[dict, dict]:
    """The member and signature rows of `who`, as plain values, their sealed parts opened."""
    with app.unit() as uow:
        campaign = find_campaign(uow, person("alice"), "ethics")
        vault = vault_of(uow, campaign)
        member = uow.session.exec(select(Member).where(
            Member.member_ref == vault.member_ref(person(who)))).one()
        signature = uow.session.exec(select(Signature).where(
            Signature.member_id == member.id)).one()
        names = [p.user for p in visible_names(uow, vault, "pledge", signature.subject_id)
                 if hasattr(p, "user")]
        return ({"role": member.role, "status": member.status, "joined_at": member.joined_at,
                 "blocked": member.grievance_blocked, "digest": member.digest,
                 "contact": open_contact(vault, member).user},
                {"mode": signature.mode, "signed_at": signature.signed_at,
                 "released_at": signature.released_at, "listed_at": signature.listed_at,
                 "named": who in names})


@pytest.mark.parametrize("mode", list(Mode))
def test_a_first_signature_answers_and_stores_the_same_on_both_paths(app, monkeypatch, mode,
                                                                   taken):
    start(app)
    lean = run(app, pledges.sign_pledge, person("bob"), "ethics", mode)
    monkeypatch.setattr(quick, "first_signature", lambda *args: None)
    full = run(app, pledges.sign_pledge, person("carol"), "ethics", mode)

    assert taken == ["bob"]
    assert lean == full
    bob_member, bob_signature = rows_of(app, "bob")
    carol_member, carol_signature = rows_of(app, "carol")
    assert bob_member == {**carol_member, "contact": "bob"}
    assert bob_signature == carol_signature
    assert bob_signature["named"] is (mode == Mode.NAMED)


def test_an_active_member_signing_for_the_first_time_takes_the_lean_path(app, taken):
    start(app, private=True)
    run(app, pledges.sign_pledge, person("alice"), "ethics", Mode.NAMED)
    assert taken == ["alice"]
    assert rows_of(app, "alice")[1]["named"] is True


def test_repeats_changes_strangers_and_closed_pledges_go_to_the_full_use_case(app, clock, taken):
    start(app, private=True)
    with pytest.raises(CampaignNotFound):  # a private campaign, not theirs
        run(app, pledges.sign_pledge, person("mallory"), "ethics", Mode.ANONYMOUS)
    run(app, pledges.sign_pledge, person("alice"), "ethics", Mode.ANONYMOUS)
    again = run(app, pledges.sign_pledge, person("alice"), "ethics", Mode.ANONYMOUS)
    changed = run(app, pledges.sign_pledge, person("alice"), "ethics", Mode.CONDITIONAL)
    run(app, archive_campaign, person("alice"), "ethics")
    with pytest.raises(CampaignNotFound):  # an archived private campaign is nobody's now
        run(app, pledges.sign_pledge, person("alice"), "ethics", Mode.ANONYMOUS)

    assert again.repeated and changed.previous == Mode.ANONYMOUS
    assert taken == [None, "alice", None, None, None]


def test_a_pledge_past_its_deadline_is_refused_as_before(app, clock, taken):
    from datetime import timedelta

    run(app, open_campaign, person("alice"), NewCampaign("ethics", headcount=40))
    run(app, pledges.create_pledge, person("alice"), "ethics", "We stand.",
        clock.now() + timedelta(days=1))
    clock.advance(timedelta(days=2))
    with pytest.raises(PledgeClosed):
        run(app, pledges.sign_pledge, person("bob"), "ethics", Mode.ANONYMOUS)
    assert taken == [None]


def test_a_batch_looks_up_only_its_own_signers_when_the_statistics_are_of_a_smaller_campaign(app):
    # On PostgreSQL the signers' read is prepared once and its plan kept. A campaign is small
    # when that happens and its statistics say so; a burst makes it thousands within seconds.
    # The kept plan must still look each person up, not read every member for each batch.
    if app.engine.dialect.name != "postgresql":
        pytest.skip("SQLite plans every statement as it comes; PostgreSQL keeps a plan")
    start(app)
    with app.unit() as uow:
        campaign = find_campaign(uow, person("alice"), "ethics")
        pledge_id = uow.session.exec(select(Pledge.id).where(
            Pledge.campaign_id == campaign.id)).one()
    crowd = 3000
    with app.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")  # while the campaign has one member
        ids = connection.execute(insert(Member).returning(Member.id), [{
            "campaign_id": campaign.id, "member_ref": f"{n:064x}", "role": "member",
            "status": "active", "joined_at": campaign.created_at} for n in range(crowd)]).scalars()
        connection.execute(insert(Signature), [{
            "campaign_id": campaign.id, "subject": "pledge", "subject_id": pledge_id,
            "member_id": member_id, "mode": "anonymous", "signed_at": campaign.created_at}
            for member_id in ids])
    asked = [f"{n:064x}" for n in range(0, crowd, 100)] + [f"new{n}" for n in range(20)]

    plan = _kept_plan(app, quick._signers_read("postgresql"), {
        "campaign": campaign.id, "pledge": pledge_id, "refs": asked})

    read = {node["Relation Name"]: 0 for node in plan if "Relation Name" in node}
    for node in plan:
        if "Relation Name" in node:
            read[node["Relation Name"]] += node["Actual Rows"] * node["Actual Loops"]
    assert read["member"] <= len(asked) and read["signature"] <= len(asked), read


def _kept_plan(app, statement, values: dict) -> list[dict]:
    """Every node of the plan PostgreSQL keeps for a prepared `statement` (its generic plan),
    as run with `values`."""
    from psycopg import ClientCursor
    from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

    compiled = statement.compile(dialect=PGDialect_psycopg(paramstyle="numeric_dollar"))
    order = [name for name, _ in sorted(compiled.positiontup_index.items(),
                                        key=lambda item: item[1])] \
        if hasattr(compiled, "positiontup_index") else list(compiled.positiontup)
    params = compiled.construct_params(values)
    with app.engine.connect() as connection:
        raw = connection.connection.driver_connection
        raw.execute("SET plan_cache_mode = force_generic_plan")
        raw.execute(f"PREPARE kept AS {compiled.string}")
        with ClientCursor(raw) as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE kept"
                           f"({', '.join(['%s'] * len(order))})", [params[n] for n in order])
            [(explained,)] = cursor.fetchall()
        raw.execute("DEALLOCATE kept")
        raw.execute("RESET plan_cache_mode")
        connection.rollback()
    nodes, todo = [], [explained[0]["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo.extend(node.get("Plans", []))
    return nodes
