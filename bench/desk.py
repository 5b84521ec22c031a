"""Benchmark of the dispatch desk: server time of its pages, and how fast a change reaches open
pages.

1. Pages: the queue page of a unit with N open orders beside the JSON queue endpoint of the API,
   and the supervision board over the whole city (555 communities) and over a street; server
   time measured in process (FastAPI's TestClient, no network), `--rounds` requests each.
2. Live: `grid-router run` (router, timers, relay) and `grid-router api` as processes of their
   own on the same database; `--pages` server-sent-event streams (httpx, no browser) open on
   `/desk/live` as the unit's dispatcher; `--changes` signings (签收) posted to
   `POST /api/v1/events/{id}/actions` at `--rate` a second. Each latency runs from the
   router's record of the change (the time of its transition row, written in the committing
   transaction) to one stream receiving it.

Needs a broker: GRID_KAFKA_BOOTSTRAP (default 127.0.0.1:9092). Files the reports with the
router's own code on a fresh SQLite database. Run from the repository root:

    PYTHONPATH=. .venv/bin/python bench/desk.py --orders 2000 --rounds 200 --pages 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grid_router.adapters.db.migrate import upgrade
from grid_router.adapters.db.tables import incident_transitions, incidents
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
    parser.add_argument("--pages", type=int, default=50, help="open live pages (SSE streams)")
    parser.add_argument("--changes", type=int, default=100, help="signings made while open")
    parser.add_argument("--rate", type=float, default=10.0, help="signings a second")
    parser.add_argument("--api-port", type=int, default=38180)
    parser.add_argument("--metrics-port", type=int, default=39564, help="and the next one")
    o = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
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
        env = {
            **os.environ,
            "GRID_KAFKA_BOOTSTRAP": bootstrap,
            "GRID_DATABASE_URL": settings.database_url,
            "GRID_TOPIC_PREFIX": prefix,
            "GRID_PHOTO_DIR": str(settings.photo_dir),
        }
        took, missing = live_latency(o, env, app.engine, dispatcher, Path(tmp))
        print(
            f"{'a change reaching open pages (/desk/live)':48} "
            f"p50 {statistics.median(took):6.1f} ms  p99 {percentile(took, 99):6.1f} ms  "
            f"({o.changes} changes x {o.pages} pages, "
            f"{missing} not received)"
        )
        app.close()
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def live_latency(
    o: argparse.Namespace, env: dict[str, str], engine: Engine, token: str, logs: Path
) -> tuple[list[float], int]:
    """Milliseconds from each change's record to each page receiving it; and how many of
    (changes x pages) never arrived. The two processes log into `logs`."""
    grid = Path(sys.executable).with_name("grid-router")
    mp = o.metrics_port
    procs = [
        subprocess.Popen(
            [grid, *command],
            env={**env, "GRID_METRICS_PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=(logs / f"{command[0]}.log").open("wb"),
        )
        for command, port in ((["run"], mp), (["api", "--port", str(o.api_port)], mp + 1))
    ]
    try:
        with engine.connect() as conn:
            events = list(
                conn.scalars(
                    select(incidents.c.event_id)
                    .where(incidents.c.unit_code == COMMUNITY, incidents.c.state == "DISPATCHED")
                    .limit(o.changes + 1)
                )
            )
        received = asyncio.run(_watch(o, token, events))
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(30)
    t = incident_transitions.c
    with engine.connect() as conn:
        made = {
            (e, v): at.timestamp()
            for e, v, at in conn.execute(
                select(t.event_id, t.version, t.at).where(
                    t.action == "SIGN", t.event_id.in_(events[1:])
                )
            )
        }
    took = [(seen - at) * 1000 for key, at in made.items() for seen in received.get(key, [])]
    return took, len(made) * o.pages - len(took)


async def _watch(
    o: argparse.Namespace, token: str, events: list[str]
) -> dict[tuple[str, int], list[float]]:
    base = f"http://127.0.0.1:{o.api_port}"
    bearer = {"Authorization": f"Bearer {token}"}
    received: dict[tuple[str, int], list[float]] = defaultdict(list)
    async with httpx.AsyncClient(base_url=base, timeout=30) as poster:
        for _ in range(600):  # the API process starting
            try:
                if (await poster.get("/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        form = (await poster.get("/desk/signin")).text
        nonce = form.split('name="nonce" value="')[1].split('"')[0]
        await poster.post("/desk/signin", data={"nonce": nonce, "token": token})
        cookies = dict(poster.cookies)
        poster.cookies.clear()

        connected = asyncio.Semaphore(0)
        streams = httpx.AsyncClient(
            base_url=base, cookies=cookies, timeout=None,
            limits=httpx.Limits(max_connections=o.pages, max_keepalive_connections=0),
        )  # fmt: skip

        async def page() -> None:
            async with streams.stream("GET", "/desk/live") as stream:
                connected.release()
                async for line in stream.aiter_lines():
                    if line.startswith("data: "):
                        notice = json.loads(line[6:])
                        key = (notice["event_id"], notice["version"])
                        received[key].append(time.time())

        pages = [asyncio.create_task(page()) for _ in range(o.pages)]
        for _ in pages:
            await asyncio.wait_for(connected.acquire(), 60)
        # Warm-up: the router first relays the backlog of filed reports; one signing that
        # reaches a page says that it is through.
        await poster.post(f"/api/v1/events/{events[0]}/actions", json={"action": "SIGN"},
                          headers=bearer)  # fmt: skip
        for _ in range(3000):
            if any(event == events[0] for event, _ in received):
                break
            await asyncio.sleep(0.1)
        else:
            raise SystemExit("the warm-up signing never reached a page")
        received.clear()
        for event_id in events[1:]:
            answer = await poster.post(
                f"/api/v1/events/{event_id}/actions", json={"action": "SIGN"}, headers=bearer
            )
            assert answer.status_code == 202, answer.text
            await asyncio.sleep(1 / o.rate)
        await asyncio.sleep(3)
        for task in pages:
            task.cancel()
        await asyncio.gather(*pages, return_exceptions=True)
        await streams.aclose()
    return received


if __name__ == "__main__":
    main()
