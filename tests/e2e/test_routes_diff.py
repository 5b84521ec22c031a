"""`grid-router routes diff`: what a policy change would change, before it is deployed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.migrate import upgrade
from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport, Reporter
from grid_router.policy.load import default_policy_path
from grid_router.service.ports import InboundMessage
from grid_router.settings import Settings


def _file_reports(url: str) -> dict[str, str]:
    """File three reports straight through the router's transaction; returns id → kind."""
    app = App(Settings(database_url=url))
    now = datetime.now(UTC)
    reports = {
        "garbage": ("小区门口垃圾满溢，无人清运", "CITY_MGMT"),
        "stalls": ("商铺在人行道上摆摊占道经营", "CITY_MGMT"),
        "dispute": ("两户邻居因为楼上漏水吵了起来，需要调解", "DISPUTE"),
    }
    ids: dict[str, str] = {}
    messages = []
    for offset, (kind, (text, category)) in enumerate(reports.items()):
        event_id = str(uuid.uuid4())
        ids[event_id] = kind
        report = IncidentReport(
            event_id=event_id,
            reported_at=now,
            source="GRID_APP",
            reporter=Reporter(id="GW-1"),
            description=text,
            category_code=category,
            grid_code="350206002008005",
        )
        messages.append(
            InboundMessage("grid.reports", 0, offset, None, app.codec.encode_report(report))
        )
    assert app.report_router().handle_batch(messages).applied == 3
    app.close()
    return ids


def _diff(url: str, policy: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "grid_router.entrypoints.cli",
            "routes",
            "diff",
            "--policy",
            str(policy),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "GRID_DATABASE_URL": url},
        timeout=120,
        check=False,
    )


def test_routes_diff_lists_exactly_the_incidents_a_new_policy_moves(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'diff.db'}"
    upgrade(make_engine(url))
    ids = _file_reports(url)

    same = _diff(url, default_policy_path())
    assert same.returncode == 0, same.stderr
    assert "0 of 3 incidents would route differently" in same.stdout

    # The new policy starts city management at the street.
    new_dir = tmp_path / "policy"
    shutil.copytree(default_policy_path().parent, new_dir, ignore=shutil.ignore_patterns("*.py"))
    new_policy = new_dir / default_policy_path().name
    text = new_policy.read_text(encoding="utf-8")
    new_policy.write_text(
        text.replace("category_floors:\n", "category_floors:\n  CITY_MGMT: street\n", 1),
        encoding="utf-8",
    )
    changed = _diff(url, new_policy)
    assert changed.returncode == 0, changed.stderr
    assert "2 of 3 incidents would route differently" in changed.stdout
    moved = {ids[line.split()[0]] for line in changed.stdout.splitlines() if line.split()[0] in ids}
    assert moved == {"garbage", "stalls"}
    assert "community 350206002008" in changed.stdout
    assert "street 350206002" in changed.stdout
