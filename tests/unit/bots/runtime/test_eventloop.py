"""`concerted run` serves on uvloop where it is installed (uvicorn[standard] brings it)."""

import asyncio

import pytest

from bots.runtime import eventloop


def test_the_bot_runs_on_uvloop_when_it_is_installed():
    uvloop = pytest.importorskip("uvloop")

    async def which_loop() -> type:
        return type(asyncio.get_running_loop())

    assert eventloop.run(which_loop()) is uvloop.Loop
