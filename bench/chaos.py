"""Every real part fails, nothing is lost (issue 15 §2): a stream of reports and dispatch actions
while the router is SIGKILLed again and again, the broker is SIGKILLed and restarted,
PostgreSQL (a private cluster this script starts on a port of its own) is stopped and started,
and the 12345/数字城管 far side is down for ten minutes of drill time. At the end: every report
has exactly one lead work order in the database and on Kafka, every action was applied once,
every bridge delivery was received exactly once per idempotency key. The last line printed is
the verdict as JSON; the exit status is 0 only when it is PASS.

    .venv/bin/python bench/chaos.py --db sqlite --kills 20 --reports 5000
    .venv/bin/python bench/chaos.py --db postgres --kills 20 --reports 5000 --seed 7

The drill itself is `tests/chaos/drill.py` (CI runs a short one: tests/integration/test_chaos.py).
"""

from __future__ import annotations

import argparse
import logging
import random
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's tests/ package

from grid_router.adapters.kafka.launcher import LocalKafka
from grid_router.settings import Settings
from tests.chaos.checks import run_drill
from tests.chaos.drill import DrillConfig
from tests.chaos.postgres import PrivatePostgres, free_port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--kills", type=int, default=20, help="router SIGKILLs (default 20)")
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=40.0, help="reports a second")
    parser.add_argument("--seed", type=int, default=None, help="default: a random one, printed")
    parser.add_argument("--scale", type=float, default=60.0, help="drill seconds a real second")
    parser.add_argument("--postgres-outage", type=float, default=30.0, help="seconds")
    parser.add_argument("--kafka-port", type=int, default=0, help="default: a free port")
    parser.add_argument("--keep", type=Path, default=None, help="keep logs in this directory")
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so that the drill's processes, broker and cluster are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("kafka").setLevel(logging.CRITICAL)  # the drill's own clients, while it
    # kills the broker; the processes under test log to their files
    print(f"chaos drill on {args.db}, seed {seed} (--seed {seed} replays the schedule)", flush=True)
    with tempfile.TemporaryDirectory(prefix="grid-chaos-") as tmp:
        work = args.keep or Path(tmp)
        kafka = LocalKafka(
            Settings().kafka_cache_dir, work / "kafka", port=args.kafka_port or free_port(),
            controller_port=free_port(),
        )  # fmt: skip
        kafka.start(timeout=240)
        postgres = PrivatePostgres(work / "postgres") if args.db == "postgres" else None
        try:
            if postgres is not None:
                postgres.init().start()
            config = DrillConfig(
                db=args.db, reports=args.reports, kills=args.kills, seed=seed,
                workdir=work / "drill", rate=args.rate, scale=args.scale,
                postgres_outage=args.postgres_outage,
            )  # fmt: skip
            result = run_drill(config, kafka, postgres, lambda line: print(line, flush=True))
        finally:
            if postgres is not None:
                postgres.close()
            kafka.stop()
    for name, value in result.figures.items():
        print(f"  {name:32} {value}")
    for problem in result.problems:
        print(f"  PROBLEM: {problem}")
    print(result.line())
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
