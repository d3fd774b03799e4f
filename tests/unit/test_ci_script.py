"""CI runs the README's own test command, says how long the SQLite run took, and fails with it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_test_command() -> str:
    [line] = [line for line in (ROOT / "README.md").read_text().splitlines()
              if line.startswith("python3 -m venv .venv") and line.rstrip().endswith("pytest")]
    return line.strip()


def test_ci_runs_the_readme_test_command_exactly_and_keeps_its_exit_status():
    script = (ROOT / ".ci" / "run").read_text()
    command = _readme_test_command()
    [used] = [line for line in script.splitlines() if command in line]
    assert re.fullmatch(re.escape(command) + r" \|\| status=\$\?", used.strip())
    assert 'exit "$status"' in script


def test_ci_prints_the_sqlite_suite_wall_time():
    assert re.search(r'echo "== SQLite suite took \$\(\(SECONDS - started\)\)', (ROOT / ".ci" / "run").read_text())


def test_the_readme_describes_what_ci_does_in_the_order_it_does_it():
    # The README says: this command on SQLite, then ruff, the layering contracts, the suite on
    # PostgreSQL, and a smoke run of every benchmark; .ci/run must do them in that order.
    readme = " ".join((ROOT / "README.md").read_text().split())
    said = readme[readme.index("CI (`bash .ci/run`)"):]
    said = said[:said.index("`bench/`")]
    in_readme = ["SQLite", "`ruff`", "`lint-imports`", "PostgreSQL", "benchmark"]
    assert [said.index(step) for step in in_readme] == sorted(said.index(s) for s in in_readme)

    script = (ROOT / ".ci" / "run").read_text()
    done = [_readme_test_command(), "ruff check", "lint-imports", "CONCERTED_TEST_DATABASE_URL=",
            "--smoke"]
    assert [script.index(step) for step in done] == sorted(script.index(s) for s in done)
