"""Several processes on one PostgreSQL database: exactly one runs jobs, another takes over."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlmodel import func, select

from bots.runtime.bootstrap import build
from bots.runtime.joblock import JobLock
from campaigns.core.models import Snapshot
from tests.conftest import requires_postgres
from tests.faults import CuttableProxy
from tests.support import ask

ROOT = Path(__file__).resolve().parents[4]
RUNNER = Path(__file__).with_name("job_runner.py")


def _wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds}s for {what}")


class Runner:
    """One OS process running `job_runner.py`, its log in a file."""

    def __init__(self, env: dict, log: Path):
        self.log_path = log
        self._log = log.open("w")
        self.process = subprocess.Popen([sys.executable, str(RUNNER), "0.3"], cwd=ROOT, env=env,
                                        stdout=self._log, stderr=subprocess.STDOUT)

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def runs(self) -> int:
        return self.log.count("job.snapshots")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._log.close()


@requires_postgres()
def test_two_processes_run_the_snapshot_job_only_once_and_the_second_takes_over_after_kill_9(
        settings, clock, tmp_path):
    app = build(settings, clock=clock, realtime=False, logging_setup=False)
    ask(app, "alice", "/campaign create ethics --headcount 1000")

    def snapshots() -> int:
        with app.unit() as uow:
            return uow.session.exec(select(func.count(Snapshot.id))).one()

    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "CONCERTED_DATABASE_URL": settings.database_url,
           "CONCERTED_KEY_FILE": str(settings.key_file),
           "CONCERTED_OUTPUT_DIR": str(tmp_path / "out"),
           "CONCERTED_SNAPSHOT_EVERY": "1s", "CONCERTED_LOG_LEVEL": "INFO"}
    first = Runner(env, tmp_path / "first.log")
    second = None
    try:
        _wait_for(lambda: "jobs.lock_taken" in first.log, 30, "the first process to take the lock")
        second = Runner(env, tmp_path / "second.log")
        _wait_for(lambda: "jobs.standby" in second.log, 30, "the second process to stand by")
        together = first.runs()
        _wait_for(lambda: first.runs() >= together + 3, 15, "three runs while both are up")
        runs_by_first = first.runs()
        assert second.runs() == 0 and "jobs.lock_taken" not in second.log
        # One row per run (one campaign): nobody else took snapshots.
        assert runs_by_first <= snapshots() <= runs_by_first + 1

        first.kill()
        left_behind = snapshots()
        _wait_for(lambda: "jobs.lock_taken" in second.log, 15, "the second process to take over")
        _wait_for(lambda: second.runs() >= 2, 15, "snapshot runs by the second process")
        assert snapshots() > left_behind
        assert "Traceback" not in second.log
    finally:
        first.kill()
        if second is not None:
            second.kill()
        app.close()


class Events:
    def __init__(self):
        self.seen: list[str] = []

    def callbacks(self, name: str) -> dict:
        return {"on_gain": lambda: self.seen.append(f"{name} holds"),
                "on_lose": lambda: self.seen.append(f"{name} lost"),
                "on_tick": lambda: None}


@requires_postgres()
def test_a_runner_cut_off_from_the_database_stops_and_a_waiting_process_takes_over(
        database_url):
    real = make_url(database_url)
    events = Events()
    direct = create_engine(real)
    with CuttableProxy(real.host or "127.0.0.1", real.port or 5432) as proxy:
        through = create_engine(real.set(host="127.0.0.1", port=proxy.port))
        runner = JobLock(through, every=0.1, **events.callbacks("runner"))
        waiting = JobLock(direct, every=0.1, **events.callbacks("waiting"))
        try:
            runner.start()
            waiting.start()
            time.sleep(0.5)
            assert events.seen == ["runner holds"] and not waiting.held
            proxy.cut()
            _wait_for(lambda: {"runner lost", "waiting holds"} <= set(events.seen), 10,
                      "the runner to stop and the waiting process to take the lock")
            assert sorted(events.seen) == ["runner holds", "runner lost", "waiting holds"]
            assert waiting.held and not runner.held
        finally:
            runner.stop()
            waiting.stop()
            through.dispose()
            direct.dispose()
