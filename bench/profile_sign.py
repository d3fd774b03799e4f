"""Where the time of one `/pledge sign` goes: the command layer profiled, per signature.

    python bench/profile_sign.py                # 2,000 signatures on SQLite, cProfile
    python bench/profile_sign.py --smoke        # CI: 200 signatures, 2 threads
    python bench/profile_sign.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    python bench/profile_sign.py --py-spy       # sampled by py-spy instead, when it is installed

Each signature is a distinct person typing `/pledge sign payments` into Slack: the real
dispatcher parses it, runs the use case in a unit of work (a new member and a new signature,
sealed and committed) and the answer is rendered for Slack, all in this process, without
HTTP. Printed per signature: wall time, CPU time (from /proc), SQL statements and commits;
the functions with the most time of their own (cProfile's tottime, or py-spy's samples);
the same time by library. The baseline, measured in the same run on the same database,
is the floor any signature pays: one row inserted with SQLAlchemy Core and committed.
Then the throughput of `--threads` threads signing at once, with group commit off and on,
in alternating rounds.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    POSTGRES_SERVER,
    header,
    postgres_reachable,
    py_spy_binary,
    scratch_database,
)

TEAM = "T0PROFILE"
LEAD = "U0LEAD"
CAMPAIGN = "payments"
# Libraries by the path of the file a function lives in; the first match names it.
LIBRARIES = (
    ("sqlalchemy", "/sqlalchemy/"), ("sqlmodel", "/sqlmodel/"), ("jinja2", "/jinja2/"),
    ("markupsafe", "/markupsafe/"), ("cryptography", "/cryptography/"),
    ("psycopg", "/psycopg"), ("apscheduler", "/apscheduler/"), ("pydantic", "/pydantic"),
    ("concerted: campaigns", "/campaigns/"), ("concerted: petitions", "/petitions/"),
    ("concerted: bots", "/bots/"), ("concerted: templates", "/templates/"),
)


def cpu_seconds() -> float:
    """This process's user + system CPU time, as /proc/self/stat counts it."""
    with open("/proc/self/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class StatementCounter:
    """Counts SQL statements and commits on an engine while it is on."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.statements = self.commits = 0
        self._lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def _statement(self, *_args) -> None:
        with self._lock:
            self.statements += 1

    def _commit(self, *_args) -> None:
        with self._lock:
            self.commits += 1

    def reset(self) -> None:
        self.statements = self.commits = 0


def build_app(url: str, workdir: Path):
    from bots.runtime.bootstrap import build
    from settings import load_settings

    settings = load_settings(CONCERTED_DATABASE_URL=url, CONCERTED_KEY_FILE=workdir / "bench.key",
                             CONCERTED_OUTPUT_DIR=workdir / "out", CONCERTED_LOG_LEVEL="WARNING")
    return build(settings, realtime=False, logging_setup=False)


def person(user: str):
    return _person_type()("slack", TEAM, user)


@functools.cache
def _person_type():
    from campaigns.core.privacy import Person

    return Person


@functools.cache
def _renderer():
    # One for the whole run: its templates compile once, in the warm-up, as in the server.
    from bots.output.rendering import Renderer

    return Renderer("slack")


def prepare(app) -> None:
    """The lead opens the campaign and its pledge."""
    dispatcher = app.dispatcher("slack")
    for line in (f"/campaign create {CAMPAIGN} --headcount 500000",
                 f'/pledge create {CAMPAIGN} --text "We ask the company to end these accounts."'):
        [reply] = dispatcher.run(person(LEAD), line)
        if reply.template.startswith("errors/"):
            raise RuntimeError(f"{line}: {reply.template}")


def signer(app) -> Callable[[str], None]:
    """One signature as Slack asks for it: the command run, its answer rendered."""
    dispatcher, renderer = app.dispatcher("slack"), _renderer()

    def sign(user: str) -> None:
        for reply in dispatcher.run(person(user), f"/pledge sign {CAMPAIGN}"):
            if reply.template != "pledge/signed.j2":
                raise RuntimeError(f"a signature was refused: {reply.template}")
            renderer.render(reply.template, **reply.data)

    return sign


def grouping_pays(engine) -> bool:
    from bots.runtime.bootstrap import grouping_pays as pays

    return pays(engine)


def floor(app, count: int) -> float:
    """Seconds of CPU for `count` rows inserted one by one with SQLAlchemy Core, each committed."""
    from sqlalchemy import Column, Integer, MetaData, String, Table, insert

    table = Table("bench_floor", MetaData(), Column("id", Integer, primary_key=True),
                  Column("ref", String(64)))
    table.create(app.engine)
    try:
        started = cpu_seconds()
        for i in range(count):
            with app.engine.begin() as connection:
                connection.execute(insert(table).values(ref=f"{i:064d}"))
        return cpu_seconds() - started
    finally:
        table.drop(app.engine)


def library_of(filename: str) -> str:
    for name, marker in LIBRARIES:
        if marker in filename:
            return name
    if filename.startswith("~") or filename.startswith("<"):
        return "built-in and C calls"
    return "Python standard library and others"


def profile_serial(app, count: int, top: int) -> None:
    sign = signer(app)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(count):
        sign(f"U0PROF{i:07d}")
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # tottime of everything
    print(f"\n## Top {top} functions by their own time (cProfile; it slows the run ~2x, so read "
          f"the shares)")
    print(f"{'own ms/sig':>10} {'share':>6} {'calls/sig':>9}  function")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    for (filename, line, name), (_cc, calls, tottime, _ct, _callers) in rows:
        where = _short(filename)
        print(f"{tottime / count * 1000:10.3f} {tottime / total:6.1%} {calls / count:9.1f}  "
              f"{name} ({where}:{line})")
    by_library: Counter[str] = Counter()
    for (filename, _line, _name), (_cc, _calls, tottime, _ct, _callers) in stats.stats.items():
        by_library[library_of(filename)] += tottime
    print("\n## Own time by library (cProfile)")
    for library, seconds in by_library.most_common():
        print(f"{seconds / count * 1000:10.3f} ms/sig {seconds / total:6.1%}  {library}")


def _short(filename: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def measure_serial(app, counter: StatementCounter, count: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) for `count` signatures in one thread, no profiler."""
    sign = signer(app)
    counter.reset()
    wall, cpu = time.perf_counter(), cpu_seconds()
    for i in range(count):
        sign(f"U0SER{i:07d}")
    return time.perf_counter() - wall, cpu_seconds() - cpu


def measure_threads(app, count: int, threads: int, grouped: bool, tag: str) -> tuple[float, float]:
    """(wall, CPU) seconds for `count` signatures from `threads` threads at once."""
    dispatcher = app.dispatcher("slack")
    saved = dispatcher.grouped
    dispatcher.grouped = app.group.run if grouped else None
    sign = signer(app)
    users = [f"U0{tag}{i:07d}" for i in range(count)]
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not users:
                    return
                user = users.pop()
            sign(user)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    wall, cpu = time.perf_counter(), cpu_seconds()
    try:
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    finally:
        dispatcher.grouped = saved
    return time.perf_counter() - wall, cpu_seconds() - cpu


def signatures_stored(app) -> int:
    from sqlalchemy import func
    from sqlmodel import Session, select

    from campaigns.core.models import Signature

    with Session(app.engine) as session:
        return session.exec(select(func.count(Signature.id))).one()


def run(url: str, workdir: Path, args) -> None:
    app = build_app(url, workdir)
    try:
        prepare(app)
        counter = StatementCounter(app.engine)
        sign = signer(app)
        for i in range(args.warmup):
            sign(f"U0WARM{i:07d}")
        floor_cpu = floor(app, args.signatures)
        wall, cpu = measure_serial(app, counter, args.signatures)
        statements, commits = counter.statements, counter.commits
        print(f"\n## One thread, {args.signatures:,} signatures after {args.warmup} warm-up ones")
        print(f"{'baseline: a Core INSERT and a commit':<44} {floor_cpu / args.signatures * 1000:7.3f} "
              f"ms CPU each")
        print(f"{'/pledge sign, command layer + answer':<44} {cpu / args.signatures * 1000:7.3f} "
              f"ms CPU each ({wall / args.signatures * 1000:.3f} ms wall, "
              f"{args.signatures / wall:.0f} signs/s)")
        print(f"{'ratio to the baseline':<44} {cpu / max(floor_cpu, 1e-9):7.1f}x")
        print(f"{'SQL statements per signature':<44} {statements / args.signatures:7.2f} "
              f"(commits {commits / args.signatures:.2f})")
        runs = []  # signatures made after the serial run
        if not args.py_spy_child:
            runs.append(min(args.signatures, 1000))
            profile_serial(app, runs[-1], args.top)
        if args.threads > 1 and getattr(app, "group", None) is None:
            print("\n(no group commit in this code: the threads comparison is left out)")
        elif args.threads > 1:
            print(f"\n## {args.threads} threads at once, {args.signatures:,} signatures a round, "
                  f"{args.rounds} rounds of each, alternating")
            results: dict[bool, list[tuple[float, float, int, int]]] = {False: [], True: []}
            for round_number in range(args.rounds):
                for grouped in (False, True):
                    counter.reset()
                    before = app.group.commits
                    tag = f"{'G' if grouped else 'A'}{round_number}"
                    wall, cpu = measure_threads(app, args.signatures, args.threads, grouped, tag)
                    results[grouped].append((wall, cpu, counter.commits,
                                             app.group.commits - before))
                    runs.append(args.signatures)
            for grouped in (False, True):
                default = grouping_pays(app.engine) == grouped
                label = (("group commit on" if grouped else "group commit off (a commit each)")
                         + (" *" if default else ""))
                rates = [args.signatures / wall for wall, _, _, _ in results[grouped]]
                cpus = [cpu / args.signatures * 1000 for _, cpu, _, _ in results[grouped]]
                commits = [c / args.signatures for _, _, c, _ in results[grouped]]
                print(f"{label:<36} {min(rates):6.0f}–{max(rates):.0f} signs/s   CPU "
                      f"{min(cpus):.2f}–{max(cpus):.2f} ms/sig   commits/sig "
                      f"{min(commits):.2f}–{max(commits):.2f}")
            print("* what `concerted run` does on this database")
        expected = args.warmup + args.signatures + sum(runs)
        print(f"\nsignatures stored: {signatures_stored(app):,} of {expected:,}")
    finally:
        app.close()


def py_spy(args) -> int:
    """Run this benchmark again under py-spy and print where its samples fall."""
    binary = py_spy_binary()
    if binary is None:
        print("py-spy is not installed (pip install py-spy); use the cProfile run instead")
        return 1
    with tempfile.TemporaryDirectory(prefix="concerted-pyspy-") as tmp:
        raw = Path(tmp) / "samples.txt"
        child = [sys.executable, __file__, "--py-spy-child", "--signatures", str(args.signatures),
                 "--threads", "1", "--databases", args.databases]
        if args.postgres:
            child += ["--postgres", args.postgres]
        subprocess.run([binary, "record", "--format", "raw", "--rate", "1000", "--nonblocking",
                        "-o", str(raw), "--", *child], check=True)
        samples: Counter[str] = Counter()
        libraries: Counter[str] = Counter()
        for line in raw.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or "measure_serial" not in stack:
                continue  # only the measured signatures, not setup
            leaf = stack.split(";")[-1]
            samples[leaf] += int(count)
            # py-spy names files relative to site-packages or the project: "sqlalchemy/…".
            filename = "/" + leaf.rsplit("(", 1)[-1].split(":")[0] if "(" in leaf else "<"
            libraries[library_of(filename)] += int(count)
        total = sum(samples.values()) or 1
        print(f"\n## py-spy: top {args.top} functions by samples of their own "
              f"({total:,} samples in the measured signatures)")
        for leaf, count in samples.most_common(args.top):
            print(f"{count / total:6.1%}  {_short(leaf)}")
        print("\n## py-spy: samples by library")
        for library, count in libraries.most_common():
            print(f"{count / total:6.1%}  {library}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signatures", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8,
                        help="threads for the group-commit comparison (1: leave it out)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--databases", default="sqlite", help="sqlite, postgresql or both")
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server URL")
    parser.add_argument("--py-spy", action="store_true", help="sample with py-spy instead")
    parser.add_argument("--py-spy-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--smoke", action="store_true", help="CI: 200 signatures, 2 threads")
    args = parser.parse_args()
    if args.smoke:
        args.signatures, args.warmup, args.threads, args.rounds, args.top = 200, 10, 2, 1, 10
    if args.py_spy_child:
        args.threads = 1
    if not args.py_spy_child:
        header("bench/profile_sign.py: where the time of one /pledge sign goes",
               f"python bench/profile_sign.py --signatures {args.signatures} --threads "
               f"{args.threads} --rounds {args.rounds} --databases {args.databases}"
               f"{' --py-spy' if args.py_spy else ''}{' --smoke' if args.smoke else ''}; "
               f"in-process through the Slack dispatcher, no HTTP; each signer a new member")
    if args.py_spy:
        return py_spy(args)
    server = args.postgres or POSTGRES_SERVER
    for kind in [k.strip() for k in args.databases.split(",") if k.strip()]:
        if kind == "postgresql" and not postgres_reachable(server):
            print(f"\n# PostgreSQL: not reachable at {server}; skipped")
            continue
        print(f"\n# {'SQLite (file, WAL)' if kind == 'sqlite' else 'PostgreSQL (127.0.0.1)'}")
        with tempfile.TemporaryDirectory(prefix="concerted-bench-") as tmp, \
                scratch_database(kind, Path(tmp), server) as url:
            run(url, Path(tmp), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
