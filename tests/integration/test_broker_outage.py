"""The broker goes away and comes back (issue 15 §2): a `grid-router run` process (relay child
included) on a broker of this test's own, which the test SIGKILLs under it and starts again.
The router waits and says so once, one line when it notices and one when Kafka answers again,
with no traceback and no exit; every report sent before and during the outage then has exactly
one lead work order.

The broker is this test's own (as the chaos drill's is: `tests/chaos/`), never the test
session's, which other tests share. The outage lasts until the router has said it noticed and
the outage's reports are handed to a producer (which holds them until the broker is back): no
fixed pause.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.migrate import upgrade
from grid_router.adapters.db.tables import work_orders
from grid_router.adapters.kafka.launcher import LocalKafka
from grid_router.adapters.kafka.outage import BrokerNotice
from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport
from grid_router.entrypoints.relay_process import settings_env
from grid_router.service.intake import ReportIntake
from grid_router.settings import Settings
from tests.chaos.drill import wait_for
from tests.chaos.postgres import free_port
from tests.integration.kafka_helpers import garbage_reports, make_app

BEGIN = BrokerNotice.BEGIN.split("%s", 1)[1].split("(", 1)[0].strip()  # "is unreachable; …"
END = BrokerNotice.END.split("%s", 1)[1].split("%", 1)[0].strip()  # "answers again after"


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[LocalKafka]:
    """A broker for this test alone (it is SIGKILLed), stopped at the end."""
    kafka = LocalKafka(
        Settings().kafka_cache_dir, tmp_path / "kafka", port=free_port(),
        controller_port=free_port(),
    )  # fmt: skip
    kafka.start(timeout=120)
    try:
        yield kafka
    finally:
        kafka.stop()


def _leads(app: App) -> Counter[str]:
    with app.engine.connect() as conn:
        rows = conn.execute(select(work_orders.c.event_id).where(work_orders.c.kind == "ACTION"))
        return Counter(r.event_id for r in rows)


def _said(text: str, marker: str, who: str) -> list[str]:
    return [line for line in text.splitlines() if marker in line and who in line]


@pytest.mark.timeout(180)
def test_broker_away_the_router_waits_and_says_so_once_and_files_everything_once(
    own_broker: LocalKafka, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'grid.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    app = make_app(own_broker.bootstrap, url, f"b{uuid.uuid4().hex[:8]}.")
    log = tmp_path / "router.log"
    with log.open("wb") as out:
        router = subprocess.Popen(
            [sys.executable, "-m", "grid_router.entrypoints.cli", "run"],
            env={**os.environ, **settings_env(app.settings)},
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        before, during = garbage_reports(15, 1, "GW-broker"), garbage_reports(15, 100, "GW-broker")
        _outage(app, own_broker, router, log, before, during)
        leads = _leads(app)
        assert {e: leads[e] for e in (r.event_id for r in before + during)} == {
            r.event_id: 1 for r in before + during
        }
        assert router.poll() is None, "the router exited"
    finally:
        if router.poll() is None:
            os.killpg(router.pid, signal.SIGTERM)
        code = router.wait(60)
        app.close()
    text = log.read_text()
    assert code == 0, text[-3000:]
    # One line each way from the router; its relay child says so too if it had rows to send
    # meanwhile (once each way as well). Nothing else about it, and no traceback.
    router_begins = _said(text, BEGIN, "grid_router.kafka:")
    assert len(router_begins) == 1, text[-3000:]
    assert len(_said(text, END, "grid_router.kafka:")) == 1, text[-3000:]
    relay_begins = _said(text, BEGIN, "relay:")
    assert len(relay_begins) <= 1, relay_begins
    assert len(_said(text, END, "relay:")) == len(relay_begins), text[-3000:]
    assert "Traceback" not in text, text[-3000:]


def _outage(
    app: App,
    kafka: LocalKafka,
    router: subprocess.Popen[bytes],
    log: Path,
    before: list[IncidentReport],
    during: list[IncidentReport],
) -> None:
    # Its metadata known before the broker goes: a producer cannot be built without one.
    intake = ReportIntake(app.producer(), app.codec, app.topics, timeout=120)
    intake.submit_all(before)
    wait_for("the first reports filed", lambda: set(_leads(app)) >= _ids(before), 60)

    pid = kafka.status().pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    wait_for("the broker to die", lambda: kafka.status().pid is None, 30)
    # Handed to the producer while the broker is away: it holds them until the broker is back.
    sent: list[BaseException | None] = []
    sender = threading.Thread(target=lambda: sent.append(_send(intake, during)), daemon=True)
    sender.start()
    wait_for("the router to notice", lambda: BEGIN in log.read_text(), 30)
    assert router.poll() is None, "the router exited while the broker was away"

    kafka.start(timeout=120)
    sender.join(120)
    assert sent == [None], sent
    wait_for("the outage's reports filed", lambda: set(_leads(app)) >= _ids(during), 60)
    wait_for("the router to say Kafka is back", lambda: END in log.read_text(), 30)


def _send(intake: ReportIntake, reports: list[IncidentReport]) -> BaseException | None:
    try:
        intake.submit_all(reports)
    except BaseException as exc:
        return exc
    return None


def _ids(reports: list[IncidentReport]) -> set[str]:
    return {r.event_id for r in reports}
