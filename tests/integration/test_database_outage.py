"""PostgreSQL goes away and comes back (issue 15 §2), on a private cluster this test stops and
starts: the router (a `grid-router run` process, relay child included) waits and says so once,
one line when it notices and one when the database is back, with no traceback and no exit; the
API answers 503 with Retry-After in its usual error shape and `/readyz` is not ready; both
recover by themselves, and the reports sent meanwhile are all filed once.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.migrate import upgrade
from grid_router.adapters.db.outage import RETRY_AFTER_SECONDS
from grid_router.adapters.db.tables import incidents
from grid_router.bootstrap import App
from grid_router.entrypoints.relay_process import settings_env
from grid_router.service.auth import Role
from grid_router.service.intake import ReportIntake
from tests.chaos.checks import OUTAGE_BEGIN, OUTAGE_END
from tests.chaos.drill import wait_for
from tests.chaos.postgres import PrivatePostgres
from tests.integration.api_helpers import Api, api_for, bearer
from tests.integration.kafka_helpers import garbage_reports


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    with PrivatePostgres() as pg:
        yield pg


@pytest.fixture
def outage_db(private_postgres: PrivatePostgres) -> Iterator[str]:
    if not private_postgres.running():
        private_postgres.start()
    url = private_postgres.create_database(f"outage_{uuid.uuid4().hex[:8]}")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    if not private_postgres.running():
        private_postgres.start()


def _filed(app: App) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(incidents)).scalar_one())


def _lines(text: str, marker: str) -> list[str]:
    return [line for line in text.splitlines() if marker in line]


def _all_back(text: str) -> bool:
    """Whether the log says the database was away, and is back as often as it said so."""
    begins = len(_lines(text, OUTAGE_BEGIN))
    return begins > 0 and len(_lines(text, OUTAGE_END)) == begins


def test_postgres_away_the_router_waits_and_says_so_once_and_the_api_answers_503(
    private_postgres: PrivatePostgres,
    outage_db: str,
    kafka_bootstrap: str,
    topic_prefix: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="grid_router.database")
    log = tmp_path / "router.log"
    with api_for(kafka_bootstrap, outage_db, topic_prefix, tmp_path) as api:
        token = api.token(Role.OPERATOR)
        env = {**os.environ, **settings_env(api.app.settings)}
        with log.open("wb") as out:
            router = subprocess.Popen(
                [sys.executable, "-m", "grid_router.entrypoints.cli", "run"],
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        try:
            _outage(api, token, private_postgres, router, log, caplog)
        finally:
            if router.poll() is None:
                os.killpg(router.pid, signal.SIGTERM)
            code = router.wait(60)
    assert code == 0, log.read_text()[-3000:]


def _outage(
    api: Api,
    token: str,
    pg: PrivatePostgres,
    router: subprocess.Popen[bytes],
    log: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    intake = ReportIntake(api.app.producer(), api.app.codec, api.app.topics)
    before = garbage_reports(20, 1, "GW-outage")
    intake.submit_all(before)
    wait_for("the first reports filed", lambda: _filed(api.app) == len(before), 60)
    assert api.client.get("/readyz").status_code == 200

    pg.stop("immediate")
    during = garbage_reports(20, 100, "GW-outage")
    intake.submit_all(during)  # Kafka takes them; the router must hold them until it can file
    wait_for("the router to notice", lambda: OUTAGE_BEGIN in log.read_text(), 30)
    for _ in range(3):  # every request answers 503, the API says so once
        ready = api.client.get("/readyz")
        status = api.client.get(f"/api/v1/events/{uuid.uuid4()}", headers=bearer(token))
        for answer in (ready, status):
            assert answer.status_code == 503, answer.text
            assert answer.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
            error = answer.json()["error"]
            assert error["code"] == "UNAVAILABLE"
            assert set(error) == {"code", "message", "fields"}
    assert api.client.get("/healthz").status_code == 200  # alive, only not ready
    assert router.poll() is None, "the router exited while the database was away"

    pg.start()
    wait_for("the API ready again", lambda: api.client.get("/readyz").status_code == 200, 30)
    assert (
        api.client.get(f"/api/v1/events/{before[0].event_id}", headers=bearer(token)).json()[
            "state"
        ]
        == "DISPATCHED"
    )
    wait_for("the reports of the outage filed", lambda: _filed(api.app) == 40, 60)
    # Each process that said the database was away (the router, and its relay child if it
    # looked while it was) says it is back once it has used it again: the relay sweeps on its
    # own beat, so its line may come after the router's.
    wait_for(
        "every process that said it was away to say it is back",
        lambda: _all_back(log.read_text()),
        30,
    )
    assert router.poll() is None

    text = log.read_text()
    # One line each way per process (the router and its relay child), nothing else about it.
    begins, ends = _lines(text, OUTAGE_BEGIN), _lines(text, OUTAGE_END)
    assert 1 <= len(begins) <= 2, begins
    assert len(ends) == len(begins), ends
    assert "Traceback" not in text, text[-3000:]
    said = [r.getMessage() for r in caplog.records if r.name == "grid_router.database"]
    assert len(_lines("\n".join(said), OUTAGE_BEGIN)) == 1, said  # the API's process
    assert len(_lines("\n".join(said), OUTAGE_END)) == 1, said
