"""Running a reference server: in the foreground (`grid-router bridges serve-reference`), or on a
thread of this process for a test or a harness (`ReferenceServer`)."""

from __future__ import annotations

import logging
import threading
import time
from types import TracebackType

import uvicorn
from fastapi import FastAPI

log = logging.getLogger(__name__)


def serve(app: FastAPI, host: str = "127.0.0.1", port: int = 18300, verbose: bool = False) -> None:
    """Serve `app` on uvicorn until Ctrl-C or SIGTERM."""
    uvicorn.run(app, host=host, port=port, log_level="info" if verbose else "warning")


class ReferenceServer:
    """`app` on uvicorn on a thread of this process; port 0 takes a free port. Use it as a
    context manager, or `start()` and `stop()`; `url` is its base URL once started."""

    def __init__(self, app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._host = host
        self._thread = threading.Thread(target=self._server.run, name="reference", daemon=True)
        self.port = port

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}"

    def start(self, timeout: float = 10.0) -> ReferenceServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the reference server did not start on {self._host}")
            time.sleep(0.01)
        sockets = [s for server in self._server.servers for s in server.sockets]
        self.port = int(sockets[0].getsockname()[1])
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> ReferenceServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
