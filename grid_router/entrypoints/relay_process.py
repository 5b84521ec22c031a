"""The outbox relay in a child process of `grid-router run`.

The child builds its own adapters from the same settings (passed as GRID_* variables), polls
the outbox, and stops on SIGTERM or when its parent has died (a SIGKILLed router must not leave
an orphan relay behind). Rows it has not sent stay in the outbox for the next start.

The router wakes the child as soon as a transaction has committed rows to the outbox: one byte
down a pipe (the child's stdin, with `--wake-on-stdin`), so that a work order does not wait for
the next poll. The poll stays, for rows other processes write.

    python -m grid_router.entrypoints.relay_process --parent-pid PID [--wake-on-stdin]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading

from grid_router.settings import Settings

log = logging.getLogger(__name__)

# While the outbox is empty the child looks again this often: the cost is one indexed query.
# The router wakes it at once after its own commits; the poll finds rows that other processes
# wrote. As a sweeper behind the router's own publishing (GRID_PUBLISH_AFTER_COMMIT), it has no
# hurry.
POLL_INTERVAL = 0.05
SWEEP_INTERVAL = 0.5


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes `Settings()` in a child equal to `settings`."""
    env = dict(os.environ)
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"GRID_{name.upper()}"] = str(value)
    return env


def main(argv: list[str] | None = None) -> None:
    from grid_router.adapters.kafka.outage import await_broker
    from grid_router.bootstrap import App

    parser = argparse.ArgumentParser(description="grid_router's outbox relay (child process)")
    parser.add_argument("--parent-pid", type=int, required=True)
    parser.add_argument(
        "--wake-on-stdin", action="store_true", help="a byte on stdin: new rows were committed"
    )
    args = parser.parse_args(argv)
    # Ctrl-C reaches the whole process group; the parent decides when the relay stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s relay: %(message)s")
    # kafka-python's per-connection lines while the broker is away: the outage is said once
    # by the broker notice instead (grid_router.adapters.kafka.outage).
    logging.getLogger("kafka").setLevel(logging.CRITICAL)
    app = App(Settings())
    stop = threading.Event()
    wake = threading.Event()

    def _stop(*_: object) -> None:
        stop.set()
        wake.set()

    signal.signal(signal.SIGTERM, _stop)

    def watch_parent() -> None:
        while not stop.wait(0.2):
            if os.getppid() != args.parent_pid:
                log.warning("router process %d is gone; relay stopping", args.parent_pid)
                _stop()

    threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()
    if args.wake_on_stdin:
        threading.Thread(
            target=watch_wakes, args=(sys.stdin.fileno(), wake), name="wake-watch", daemon=True
        ).start()
    try:
        # Its producer cannot be built while Kafka is away: wait for it (said once), unless
        # the router stops first.
        if not await_broker(app.settings.kafka_bootstrap, stop):
            return
        relay = app.relay(
            idle_wait=SWEEP_INTERVAL if app.settings.publish_after_commit else POLL_INTERVAL
        )
        relay.wake = wake
        relay.run(stop)
    finally:
        app.close()


def watch_wakes(fd: int, wake: threading.Event) -> None:
    """Set `wake` for every read from `fd` (the router's pipe) until it closes."""
    while True:
        try:
            data = os.read(fd, 4096)  # all the wake-ups sent meanwhile: one pass sends their rows
        except OSError:
            return
        if not data:
            return  # the router closed the pipe or is gone: the poll and the parent watch remain
        wake.set()


class ProcessRelayRunner:
    """Runs the relay as a child process; `stop` asks it to drain and waits for it."""

    def __init__(self, settings: Settings) -> None:
        self._env = settings_env(settings)
        self._process: subprocess.Popen[bytes] | None = None
        self._wake_fd: int | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, "--parent-pid", str(os.getpid()), "--wake-on-stdin"],
            env=self._env,
            stdin=subprocess.PIPE,
        )
        assert self._process.stdin is not None
        self._wake_fd = self._process.stdin.fileno()
        # A full pipe means a wake-up is pending already: the router never waits on it.
        os.set_blocking(self._wake_fd, False)

    def wake(self) -> None:
        """Rows were committed: the child sends them now instead of at its next poll."""
        if self._wake_fd is None:
            return
        # A full pipe (a wake-up is pending) or a child gone: the poll remains.
        with contextlib.suppress(OSError):
            os.write(self._wake_fd, b"w")

    def stop(self, timeout: float) -> None:
        if self._process is None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("relay process did not stop in %.0fs; killing it", timeout)
            self._process.kill()
            self._process.wait(5)
        self._wake_fd = None
        if self._process.stdin is not None:
            self._process.stdin.close()


if __name__ == "__main__":
    main()
