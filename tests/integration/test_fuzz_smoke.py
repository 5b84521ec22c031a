"""The fuzzing bench's smoke run (issue 15 §3): `bench/fuzz.py`, the same code as the full run
recorded in docs/reliability.md, with small counts, on the session broker. It starts
`grid-router run` and `grid-router api` as processes, runs schemathesis with every check (as an
operator and without a token), produces generated bad and odd messages to the input topics and
checks random and mutated policy files; it exits 0 only when nothing crashed, no answer was a
5xx or broke the OpenAPI document, and every message was dead-lettered with a reason or routed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grid_router.service.router import DEADLETTER_REASONS

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
KAFKA, POLICY = 400, 10


def test_a_small_fuzzing_run_finds_nothing(kafka_bootstrap: str, tmp_path: Path) -> None:
    figures_file = tmp_path / "fuzz.json"
    command = [
        sys.executable, "bench/fuzz.py", "--api-examples", "1", "--api-phases", "fuzzing",
        "--kafka", str(KAFKA), "--policy", str(POLICY), "--seed", "7",
        "--json", str(figures_file),
    ]  # fmt: skip
    env = {**os.environ, "GRID_KAFKA_BOOTSTRAP": kafka_bootstrap}
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    figures = json.loads(figures_file.read_text("utf-8"))
    total, api, kafka, policy = (figures[k] for k in ("total", "api", "kafka", "policy"))
    assert (total["crashes"], total["server_errors_5xx"], total["lost"]) == (0, 0, 0)
    assert total["contract_mismatches"] == 0
    # Every operation was called as an operator and without a token.
    operations = len(json.loads((ROOT / "docs" / "openapi.json").read_text("utf-8"))["paths"])
    assert api["by_identity"]["operator"] >= operations
    assert api["by_identity"]["anonymous"] >= operations
    # Every message produced is accounted for: dead-lettered with a known reason, or routed.
    assert kafka["inputs"] == KAFKA
    assert set(kafka["deadlettered"]) <= set(DEADLETTER_REASONS)
    assert kafka["deadlettered_total"] + sum(kafka["routed"].values()) == KAFKA
    assert kafka["deadlettered_without_reason"] == 0
    assert policy["inputs"] == POLICY
    assert sum(policy["outcomes"].values()) == POLICY
