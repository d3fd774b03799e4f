"""`concerted key rotate`: a new master key wraps every campaign key, and stopping it anywhere,
by an exception or by SIGKILL, leaves one key file that opens every row."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bots.runtime.bootstrap import build
from bots.runtime.preflight import StartProblem
from bots.runtime.rotation import rotate_master_key
from campaigns.core.errors import KeyFileProblem
from campaigns.core.privacy import pending_key_path
from tests.support import ask, next_snapshot

STEPS = ("written", "rewrapped", "committed", "swapped")
# What people can read: each line a command whose answer opens sealed rows of a different kind.
READS = [
    ("maya", "/campaign info ethics"),       # title, description; the workspace's pseudonym
    ("maya", "/pledge status ethics"),       # pledge text
    ("ana", "/pledge signers ethics"),       # a sealed name
    ("ana", "/grievance status"),            # grievance text and the liaisons' reply
    ("jon", "/liaison queue ethics"),        # the queue as liaisons read it
    ("maya", "/campaign list"),              # several campaigns, one archived
]


def _start(settings, clock, notifier):
    return build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)


def _reads(app) -> list[str]:
    return [ask(app, who, text)[0] for who, text in READS]


@pytest.fixture
def populated(settings, clock, notifier):
    """A database with sealed rows of every kind, and what its people read from it."""
    app = _start(settings, clock, notifier)
    try:
        for who, text in [
            ("maya", '/campaign create ethics --headcount 40 --title "Stop the rota" '
                     '--description "Rest between shifts."'),
            ("maya", "/campaign liaison add ethics @jon"),
            ("maya", '/pledge create ethics --text "I will sign the rota letter."'),
            ("ana", "/pledge sign ethics --named"),
            ("ana", "/campaign team ethics Payments risk"),
            ("ana", '/grievance ethics --solve --text "The rota leaves no rest."'),
            ("maya", "/campaign create second --private"),
            ("maya", "/campaign create gone"),
            ("maya", "/campaign archive gone --confirm"),
        ]:
            ask(app, who, text)
        next_snapshot(app, clock)
        ask(app, "jon", "/liaison reply 1 Which weeks were the worst?")
        before = _reads(app)
        refs = (app.keys.workspace_ref("console", "console"), app.keys.access_ref("token"))
    finally:
        app.close()
    assert "Stop the rota" in before[0] and "Which weeks were the worst?" in before[3]
    return before, refs


def _key(settings) -> bytes:
    return Path(settings.key_file).read_bytes()


def test_a_rotation_changes_the_key_and_every_row_reads_as_before(
        settings, clock, notifier, populated):
    before, refs = populated
    old = _key(settings)

    rotated = rotate_master_key(settings)

    assert rotated.campaigns == 2  # the archived campaign has no key left to wrap
    assert _key(settings) != old and not pending_key_path(settings.key_file).exists()
    app = _start(settings, clock, notifier)
    try:
        assert _reads(app) == before
        assert (app.keys.workspace_ref("console", "console"), app.keys.access_ref("token")) == refs
    finally:
        app.close()
    Path(settings.key_file).write_bytes(old)
    with pytest.raises(KeyFileProblem):
        _start(settings, clock, notifier)


def test_rotating_twice_still_reads_every_row(settings, clock, notifier, populated):
    before, _ = populated
    rotate_master_key(settings)
    rotate_master_key(settings)
    app = _start(settings, clock, notifier)
    try:
        assert _reads(app) == before
    finally:
        app.close()


class Stopped(Exception):
    pass


@pytest.mark.parametrize("step", STEPS)
def test_a_rotation_stopped_after_any_step_loses_nothing(settings, clock, notifier, populated,
                                                         step):
    before, _ = populated
    old = _key(settings)

    def stop(reached):
        if reached == step:
            raise Stopped(reached)

    with pytest.raises(Stopped):
        rotate_master_key(settings, after=stop)

    app = _start(settings, clock, notifier)
    try:
        assert _reads(app) == before
    finally:
        app.close()
    switched = STEPS.index(step) >= STEPS.index("committed")
    assert (_key(settings) != old) == switched
    assert not pending_key_path(settings.key_file).exists() or not switched


def test_a_rotation_that_stopped_before_its_switch_can_simply_be_run_again(
        settings, clock, notifier, populated):
    before, _ = populated

    def stop(reached):
        if reached == "rewrapped":
            raise Stopped(reached)

    with pytest.raises(Stopped):
        rotate_master_key(settings, after=stop)
    rotate_master_key(settings)

    app = _start(settings, clock, notifier)
    try:
        assert _reads(app) == before
    finally:
        app.close()


_KILLED = textwrap.dedent("""
    import os, signal, sys
    from bots.runtime.rotation import rotate_master_key
    from settings import load_settings

    def kill(step):
        if step == sys.argv[1]:
            os.kill(os.getpid(), signal.SIGKILL)

    rotate_master_key(load_settings(), after=kill)
""")


@pytest.mark.parametrize("step", ["written", "rewrapped", "committed"])
def test_a_rotation_killed_midway_leaves_a_key_that_opens_every_row(
        settings, clock, notifier, populated, step):
    before, _ = populated
    env = {**os.environ, "CONCERTED_DATABASE_URL": settings.database_url,
           "CONCERTED_KEY_FILE": str(settings.key_file)}
    killed = subprocess.run([sys.executable, "-c", _KILLED, step], env=env, timeout=120,
                            capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    app = _start(settings, clock, notifier)
    try:
        assert _reads(app) == before
    finally:
        app.close()


def test_there_is_nothing_to_rotate_before_a_first_start(settings):
    with pytest.raises(StartProblem) as refused:
        rotate_master_key(settings)
    assert refused.value.template == "operator/key_nothing_to_rotate.j2"
    assert not Path(settings.key_file).exists()
