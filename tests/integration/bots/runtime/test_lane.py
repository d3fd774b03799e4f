"""The lane: commands queued at the same moment run in batches on its thread; each caller gets
its own outcome, and only once its signature is committed."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import func, select, update

from bots.commands.dispatch import Request
from bots.runtime.lane import Lane
from campaigns.core.models import Campaign, Signature
from campaigns.core.write_turns import write_turns
from tests.support import person


def _signatures(app) -> int:
    with app.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Signature)).scalar()


async def test_a_burst_runs_in_batches_and_each_is_answered_after_its_commit(app, monkeypatch):
    dispatcher = app.dispatcher("console")
    dispatcher.run(person("alice"), "/campaign create ethics --headcount 400")
    dispatcher.run(person("alice"), '/pledge create ethics --text "We stand together."')
    # The first batch waits until the whole burst is queued behind it.
    queued, real = threading.Event(), dispatcher.invoke_many

    def invoke_many(requests):
        queued.wait(5)
        return real(requests)

    monkeypatch.setattr(dispatcher, "invoke_many", invoke_many)
    lane = Lane(dispatcher, limit=16)
    seen_when_answered: list[int] = []

    async def sign(n: int):
        outcome = await lane.invoke(Request(person(f"p{n}"), dispatcher.read("/pledge sign ethics")))
        seen_when_answered.append(_signatures(app))
        return outcome

    try:
        burst = [asyncio.ensure_future(sign(n)) for n in range(40)]
        await asyncio.sleep(0.05)
        queued.set()
        outcomes = await asyncio.gather(*burst)
    finally:
        lane.close()

    assert [outcome[0].template for outcome in outcomes] == ["pledge/signed.j2"] * 40
    assert lane.commands == 40 and 3 <= lane.batches < 40  # 1 alone, then at most 16 at a time
    # However the batches fell, the k-th answer found at least k signatures committed.
    assert all(found >= k for k, found in enumerate(seen_when_answered, 1))
    assert _signatures(app) == 40


async def test_a_batch_that_raises_tells_every_waiting_caller(app, monkeypatch):
    dispatcher = app.dispatcher("console")

    def broken(requests):
        raise RuntimeError("broken")

    monkeypatch.setattr(dispatcher, "invoke_many", broken)
    lane = Lane(dispatcher)
    try:
        results = await asyncio.gather(
            *(lane.invoke(Request(person(f"p{n}"), dispatcher.read("/pledge sign ethics")))
              for n in range(3)), return_exceptions=True)
    finally:
        lane.close()

    assert all(isinstance(result, RuntimeError) for result in results)


async def test_on_sqlite_a_batch_waits_for_a_scheduled_jobs_write(app):
    turns = write_turns(app.engine)
    if turns is None:
        pytest.skip("PostgreSQL locks rows: its writers need not take turns")
    dispatcher = app.dispatcher("console")
    dispatcher.run(person("alice"), "/campaign create ethics --headcount 400")
    dispatcher.run(person("alice"), '/pledge create ethics --text "We stand together."')
    lane = Lane(dispatcher, turns=turns)
    try:
        with turns.for_jobs(), app.engine.connect() as job:
            job.execute(update(Campaign).values(name=Campaign.name))  # the job has written
            signing = asyncio.ensure_future(
                lane.invoke(Request(person("bea"), dispatcher.read("/pledge sign ethics"))))
            await asyncio.sleep(0.3)
            assert not signing.done() and _signatures(app) == 0
            job.commit()
        [reply] = await asyncio.wait_for(signing, 10)
    finally:
        lane.close()
    assert reply.template == "pledge/signed.j2" and _signatures(app) == 1
    assert turns.waits == 1
