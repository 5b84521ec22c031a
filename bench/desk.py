"""Benchmark of the dispatch desk's pages: the queue page of a unit with N open orders beside the
JSON queue endpoint of the API, and the supervision board over the whole city (555
communities), server time measured in process (FastAPI's TestClient, no network).

Needs a broker: GRID_KAFKA_BOOTSTRAP (default 127.0.0.1:9092). Files the reports with the
router's own code on a fresh SQLite database, then times each page `--rounds` times.

    .venv/bin/python bench/desk.py --orders 2000 --rounds 200
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from grid_router.adapters.db.migrate import upgrade
from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.adapters.kafka.admin import create_topics
from grid_router.adapters.kafka.clients import to_inbound
from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport, Level, Reporter
from grid_router.service.intake import ReportIntake
from grid_router.settings import Settings
from tests.integration.kafka_helpers import read_all

COMMUNITY = "350206002008"
TEXTS = (
    ("CITY_MGMT", "{}号楼门口垃圾满溢，无人清运"),
    ("DISPUTE", "{}号楼邻居因噪音发生争吵，需要调解"),
    ("LIVELIHOOD", "{}号楼独居老人生活困难，需要帮扶"),
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(client: TestClient, url: str, headers: dict[str, str], rounds: int) -> list[float]:
    took = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = client.get(url, headers=headers)
        took.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (url, answer.status_code, answer.text[:200])
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000, help="open orders in the one unit")
    parser.add_argument("--elsewhere", type=int, default=2000, help="open orders across the city")
    parser.add_argument("--rounds", type=int, default=200)
    o = parser.parse_args()
    bootstrap = os.environ.get("GRID_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    with tempfile.TemporaryDirectory() as tmp:
        prefix = f"bench{uuid.uuid4().hex[:6]}."
        settings = Settings(
            kafka_bootstrap=bootstrap,
            database_url=f"sqlite:///{Path(tmp) / 'desk.db'}",
            topic_prefix=prefix,
            partitions=1,
            photo_dir=Path(tmp) / "photos",
        )
        app = App(settings)
        create_topics(bootstrap, app.topics, 1)
        upgrade(app.engine)
        communities = [u.code for u in app.org.units_at(Level.COMMUNITY)]
        rng = random.Random(7)
        now = datetime.now(UTC)
        intake = ReportIntake(app.producer(), app.codec, app.topics, timeout=60)
        reports = [
            IncidentReport(
                event_id=str(uuid.uuid4()),
                reported_at=now,
                source="GRID_APP",
                reporter=Reporter(id="bench"),
                description=TEXTS[n % 3][1].format(n),
                category_code=TEXTS[n % 3][0],
                grid_code=(COMMUNITY if n < o.orders else rng.choice(communities))
                + f"{n // 3 % 999 + 1:03d}",
            )
            for n in range(o.orders + o.elsewhere)
        ]
        for report in reports:
            intake.submit(report)
        router = app.report_router()
        records = [to_inbound(r) for r in read_all(bootstrap, app.topics.reports, 0.5)]
        for start in range(0, len(records), 500):
            router.write(router.prepare(records[start : start + 500]))
        store = SqlTokenStore(app.engine, app.clock)
        _, dispatcher = store.create("bench dispatcher", "dispatcher", COMMUNITY, ())
        _, city = store.create("bench city", "operator", None, ())
        with TestClient(app.api()) as client:
            bearer = {"Authorization": f"Bearer {dispatcher}"}
            pages = {}
            for who, token in (("dispatcher", dispatcher), ("city", city)):
                client.cookies.clear()
                form = client.get("/desk/signin").text
                nonce = form.split('name="nonce" value="')[1].split('"')[0]
                client.post("/desk/signin", data={"nonce": nonce, "token": token})
                pages[who] = dict(client.cookies)
            runs = {
                "JSON queue (GET /api/v1/units/…/queue)": (
                    f"/api/v1/units/{COMMUNITY}/queue", bearer, None),
                "desk queue page (/desk/queue)": ("/desk/queue", {}, "dispatcher"),
                "supervision board, city (/desk/supervision)": ("/desk/supervision", {}, "city"),
                "supervision board, a street": (
                    f"/desk/supervision?unit={COMMUNITY[:9]}", {}, "city"),
            }  # fmt: skip
            total = client.get(f"/api/v1/units/{COMMUNITY}/queue", headers=bearer).json()["total"]
            print(f"{total} open orders in {COMMUNITY}; {len(reports)} in the city")
            for name, (url, headers, session) in runs.items():
                client.cookies.clear()
                if session:
                    client.cookies.update(pages[session])
                timed(client, url, headers, 10)  # warm up
                took = timed(client, url, headers, o.rounds)
                print(
                    f"{name:48} p50 {statistics.median(took):6.1f} ms  "
                    f"p99 {percentile(took, 99):6.1f} ms  ({o.rounds} requests)"
                )
        app.close()


if __name__ == "__main__":
    main()
