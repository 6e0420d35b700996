"""The service as the stack runs it: `python -m notification` in its own process, so it can be killed -9."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session

from tests.integration.broker import BOOTSTRAP, wait_for
from tests.smtp_sink.handler import MaildirSink


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServiceProcess:
    """One instance of notification-service; `data_dir` is its own, `shared_dir` the group's database."""

    def __init__(
        self,
        *,
        instance: str,
        topics: dict[str, str],
        group: str,
        data_dir: Path,
        shared_dir: Path,
        smtp_port: int,
        log: Path,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.instance = instance
        self.port = free_port()
        self.log = log
        self.env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": BOOTSTRAP,
            "HTTP_PORT": str(self.port),
            "DATA_DIR": str(data_dir),
            "SHARED_DATA_DIR": str(shared_dir),
            "POLYGLOT_INSTANCE": instance,
            "CONSUMER_GROUP": group,
            "USER_EVENTS_TOPIC": topics["user-events"],
            "ORDER_EVENTS_TOPIC": topics["order-events"],
            "NOTIFICATION_EVENTS_TOPIC": topics["notification-events"],
            "SMTP_PORT": str(smtp_port),
            # A send held by the test sink must not time out before the test kills the process.
            "SMTP_TIMEOUT_SECONDS": "60",
            "PYTHONUNBUFFERED": "1",
            # Never the stack's Zipkin: these spans are the test's.
            "ZIPKIN_ENDPOINT": "off",
            **(extra_env or {}),
        }
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServiceProcess:
        with self.log.open("ab") as out:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "notification"], env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        wait_for(f"{self.instance} healthy (log: {self.log})", self._healthy, timeout=60)
        return self

    def _healthy(self) -> bool:
        assert self._process is not None
        if self._process.poll() is not None:
            raise AssertionError(f"{self.instance} exited with {self._process.returncode}: {self.log.read_text()}")
        return self.get("/health")[0] == 200

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as answer:
                return int(answer.status), answer.read().decode()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read().decode()
        except OSError:
            return 0, ""

    def metric(self, sample: str) -> float:
        """The value of one sample line of /metrics (0 when absent)."""
        for line in self.get("/metrics")[1].splitlines():
            if line.startswith(sample + " "):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    def kill9(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, as `./polyglot down` does; the consumer leaves the group at once."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)


class HoldingSink(MaildirSink):
    """The real sink's handler, holding the first SMTP session at one step until `release` is set:
    - `rcpt`: before the mail is handed over (a crash there loses nothing: nothing reached the server);
    - `data`: after the mail is stored in the Maildir, before the 250 reply (a crash there is the
      window: the server has the mail, the client never heard so and wrote nothing)."""

    def __init__(self, maildir: Path, step: str) -> None:
        super().__init__(maildir)
        self.step = step
        self.holding = threading.Event()
        self.release = threading.Event()
        self._held = False

    async def _hold(self, step: str) -> None:
        if self.step != step or self._held:
            return
        self._held = True
        self.holding.set()
        await asyncio.to_thread(self.release.wait, 120)

    async def handle_RCPT(
        self, server: SMTPServer, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        await self._hold("rcpt")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        self.handle_message(self.prepare_message(session, envelope))
        await self._hold("data")
        return "250 OK"
