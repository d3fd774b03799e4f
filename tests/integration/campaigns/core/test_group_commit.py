"""Group commit: units of work arriving together share a commit, and each still stands alone.

Each test runs real units of work from many threads against the test database
(SQLite, or PostgreSQL when configured). The connection is held by the test
until every thread waits for it, so that they all arrive "at the same moment"
whatever the machine's load.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from campaigns.core.group_commit import GroupCommit
from campaigns.core.models import Meta
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork

pytestmark = pytest.mark.postgres


class RecordingNotifier:
    """Records each ping, and whether the pinged person's row was committed at that moment."""

    def __init__(self, engine):
        self.engine = engine
        self.pings: list[tuple[str, bool]] = []
        self.lock = threading.Lock()

    def ping(self, person: Person) -> None:
        visible = _stored(self.engine, person.user)
        with self.lock:
            self.pings.append((person.user, visible))


def _stored(engine, key: str) -> bool:
    with Session(engine) as session:
        return session.exec(select(Meta.key).where(Meta.key == key)).first() is not None


@pytest.fixture
def group(domain):
    notifier = RecordingNotifier(domain.engine)

    def unit_on(session: Session) -> UnitOfWork:
        return UnitOfWork(session, domain.clock, domain.keys, domain.rules, notifier)

    @contextmanager
    def alone():
        with Session(domain.engine, expire_on_commit=False) as session:
            yield unit_on(session)

    made = GroupCommit(domain.engine, unit_on, alone, max_wait=5.0)
    made.notifier = notifier
    return made


def _store(key: str, *, fail: bool = False) -> Callable[[UnitOfWork], str]:
    def work(uow: UnitOfWork) -> str:
        uow.session.add(Meta(key=key, value="x"))
        if fail:
            uow.session.flush()
            raise ValueError("refused after writing")
        uow.ping_after_commit(Person("console", "console", key))
        uow.commit()
        return key
    return work


def _together(group: GroupCommit, works: list[Callable[[UnitOfWork], str]]) -> list[object]:
    """Run each work in a thread of its own, all queued behind the connection before any runs;
    each thread records what `run` returned (or raised) and whether its row was stored then."""
    results: list[object] = [None] * len(works)

    def one(i: int) -> None:
        try:
            key = group.run(works[i])
            results[i] = (key, _stored(group.engine, key))
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            results[i] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(works))]
    with group._connection:  # everyone arrives while the connection is busy
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while group._waiting < len(works) and time.monotonic() < deadline:
            time.sleep(0.001)
    for thread in threads:
        thread.join(10)
    return results


def test_units_arriving_together_share_one_commit_and_each_is_stored_before_its_answer(group):
    results = _together(group, [_store(f"k{i}") for i in range(12)])

    assert results == [(f"k{i}", True) for i in range(12)]
    assert group.grouped == 12 and group.commits == 1
    assert sorted(group.notifier.pings) == sorted((f"k{i}", True) for i in range(12))


def test_a_failing_unit_fails_alone_and_the_others_in_its_group_are_stored(group):
    works = [_store(f"k{i}", fail=(i == 3)) for i in range(8)]
    works.append(_store("k0"))  # the same key again: a unique violation, inside the group

    results = _together(group, works)

    assert isinstance(results[3], ValueError)
    # Whichever of the two "k0" units ran second was refused; the first one stands.
    first, second = sorted((results[0], results[8]), key=lambda r: isinstance(r, IntegrityError))
    assert first == ("k0", True) and isinstance(second, IntegrityError)
    assert [results[i] for i in range(1, 8) if i != 3] == [(f"k{i}", True) for i in range(1, 8)
                                                          if i != 3]
    assert not _stored(group.engine, "k3")
    assert group.commits == 1
    # Nobody is pinged for a unit that was undone.
    assert sorted(user for user, _ in group.notifier.pings) == [f"k{i}" for i in range(8) if i != 3]


def test_when_the_shared_commit_fails_each_unit_runs_again_alone_and_is_stored_once(group):
    failures = []

    def fail_the_first_commit(connection):
        if not failures:
            failures.append(connection)
            raise RuntimeError("the disk said no")

    event.listen(group.engine, "commit", fail_the_first_commit)
    try:
        results = _together(group, [_store(f"k{i}") for i in range(6)])
    finally:
        event.remove(group.engine, "commit", fail_the_first_commit)

    assert len(failures) == 1
    assert results == [(f"k{i}", True) for i in range(6)]
    assert group.commits == 0  # nothing was committed in a group: each unit committed alone
    # Pinged once each, after their own commit, never for the group that failed.
    assert sorted(group.notifier.pings) == sorted((f"k{i}", True) for i in range(6))


def test_a_unit_that_arrives_alone_commits_on_its_own_at_once(group):
    started = time.monotonic()
    assert group.run(_store("alone")) == "alone"
    assert time.monotonic() - started < 2.5  # not held for the group's 5 s limit
    assert _stored(group.engine, "alone")
    assert (group.solo, group.commits) == (1, 0)
    assert group.notifier.pings == [("alone", True)]


def test_a_unit_that_runs_another_grouped_unit_inside_it_is_refused_not_left_waiting(group):
    def nested(uow: UnitOfWork) -> str:
        return group.run(_store("inner"))

    with pytest.raises(RuntimeError, match="cannot run another one inside it"):
        group.run(nested)
    assert group.run(_store("after")) == "after"  # the connection was not left held
