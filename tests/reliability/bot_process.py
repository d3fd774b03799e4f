"""`concerted run` as a real child process serving Slack over HTTP on 127.0.0.1.

It can be killed without warning (SIGKILL: no handler runs, nothing is
flushed) and started again on the same database and key file.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Safety nets for a hung process, not budgets: starting waits for the port to accept,
# stopping for the process to exit, and a machine under load may take a while for either.
START_TIMEOUT = 180.0
STOP_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class BotProcess:
    """One `python -m bots.runtime.cli run`; its log goes to a file so a busy run never blocks on a pipe."""

    def __init__(self, workdir: Path, settings_env: dict[str, str]):
        self.workdir = workdir
        self.port = free_port()
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("CONCERTED_", "SLACK_", "DISCORD_"))}
        env.update(settings_env)
        env.update({"CONCERTED_HTTP_PORT": str(self.port), "PYTHONPATH": str(ROOT)})
        self.env = env
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> str:
        """Everything every run of the process wrote to stderr."""
        return "".join(path.read_text(errors="replace")
                       for path in sorted(self.workdir.glob("bot-*.log")))

    async def start(self) -> None:
        """Start the process and return once it accepts connections."""
        self.starts += 1
        with (self.workdir / f"bot-{self.starts}.log").open("wb") as errors:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bots.runtime.cli", "run", cwd=self.workdir, env=self.env,
                stdout=asyncio.subprocess.DEVNULL, stderr=errors)
        try:
            async with asyncio.timeout(START_TIMEOUT):
                while not await self._accepts():
                    if self.process.returncode is not None:
                        raise AssertionError(f"concerted run exited with {self.process.returncode}"
                                             f" before it listened:\n{self.log}")
                    await asyncio.sleep(0.05)
        except TimeoutError:
            await self.kill()
            raise AssertionError(f"concerted run did not listen within {START_TIMEOUT}s:\n"
                                 f"{self.log}") from None

    async def kill(self) -> None:
        """SIGKILL: the process gets no chance to finish, flush or close anything."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await asyncio.wait_for(self.process.wait(), STOP_TIMEOUT)

    async def stop(self) -> int | None:
        """Ask the process to stop as an operator would (Ctrl-C); kill it if it does not."""
        if self.process is None or self.process.returncode is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGINT)
        try:
            return await asyncio.wait_for(self.process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            await self.kill()
            return None

    async def _accepts(self) -> bool:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        writer.close()
        await writer.wait_closed()
        return True
