"""Fuzzing `grid-router policy check`: random and mutated policy files, in process.

Every file goes through the command itself (`grid-router policy check FILE`, run by Typer's
test runner in this process), so what is printed is checked too. A file passes when the command
exits 0 or 1 with its own words: no exception escapes, no traceback is printed, every problem
line names what is wrong. A file the check calls OK must also load (`load_policy`), or `run`
would fail on a policy that `check` passed.

The files are drawn by Hypothesis: random text and bytes, random YAML documents, the bundled
Xiamen policy with keys deleted, values replaced by random ones, list items doubled and keys
renamed, and its text with lines deleted or doubled, characters inserted and the end cut off.
"""

from __future__ import annotations

import copy
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from grid_router.adapters.org_data import load_default_organisation
from grid_router.entrypoints.cli import app
from grid_router.policy.load import default_policy_path, load_policy

PathKey = tuple[str | int, ...]

SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["IV", "III", "II", "I", "community", "street", "district", "city", "2h",
                     "-1h", "0m", "99999d", "08:30-12:00", "25:00-26:00", "CITY_MGMT", "[/b]",
                     # files beside the bundled policy, named where another kind is expected
                     "taxonomy.yaml", "xiamen.yaml", "category-model.npz", "missing.yaml"]),
)  # fmt: skip
VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(node: Any, prefix: PathKey = ()) -> list[PathKey]:
    """Every path into a parsed YAML tree (mapping keys and list indexes)."""
    out: list[PathKey] = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_paths(value, (*prefix, i)))
    return out


def _parent(tree: Any, path: PathKey) -> Any:
    node = tree
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _mutate(tree: Any, path: PathKey, op: str, value: Any) -> None:
    """Apply one structural mutation in place (nothing when the path no longer exists)."""
    parent, last = _parent(tree, path), path[-1]
    if isinstance(parent, dict) and last in parent:
        if op == "delete":
            del parent[last]
        elif op == "replace":
            parent[last] = value
        elif op == "rename":
            parent[str(value)] = parent.pop(last)
        elif op == "double" and isinstance(parent[last], list) and parent[last]:
            parent[last].append(copy.deepcopy(parent[last][0]))
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        if op == "delete":
            del parent[last]
        elif op in ("replace", "rename"):
            parent[last] = value
        elif op == "double":
            parent.insert(last, copy.deepcopy(parent[last]))


@dataclass(frozen=True, slots=True)
class PolicyInput:
    kind: str
    data: bytes


@dataclass(slots=True)
class PolicyFuzz:
    """What the policy part found."""

    tried: int = 0
    crashes: list[dict[str, str]] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)  # refused/accepted
    kinds: Counter[str] = field(default_factory=Counter)
    first_problem: Counter[str] = field(default_factory=Counter)  # top-level key of the 1st one

    def summary(self) -> dict[str, Any]:
        return {
            "inputs": self.tried,
            "crashes": len(self.crashes),
            "by_kind": dict(self.kinds),
            "outcomes": dict(self.outcomes),
            "first_problem_at": dict(self.first_problem.most_common(15)),
            "crash_examples": self.crashes[:10],
        }


def policy_inputs() -> st.SearchStrategy[PolicyInput]:
    """Random and mutated policy files."""
    base_text = default_policy_path().read_text("utf-8")
    base = yaml.safe_load(base_text)
    paths = _paths(base)

    @st.composite
    def structural(draw: st.DrawFn) -> PolicyInput:
        tree = copy.deepcopy(base)
        for _ in range(draw(st.integers(1, 4))):
            path = draw(st.sampled_from(paths))
            op = draw(st.sampled_from(["delete", "replace", "rename", "double"]))
            _mutate(tree, path, op, draw(VALUES))
        text = yaml.dump(tree, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
        return PolicyInput("mutated_tree", text.encode())

    @st.composite
    def textual(draw: st.DrawFn) -> PolicyInput:
        lines = base_text.splitlines(keepends=True)
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, max(len(lines) - 1, 0)))
            op = draw(st.sampled_from(["delete", "double", "insert", "truncate"]))
            if not lines:
                break
            if op == "delete":
                del lines[at : at + draw(st.integers(1, 5))]
            elif op == "double":
                lines.insert(at, lines[at])
            elif op == "insert":
                line = lines[at]
                cut = draw(st.integers(0, len(line)))
                lines[at] = line[:cut] + draw(st.text(max_size=8)) + line[cut:]
            else:
                lines = lines[:at]
        return PolicyInput("mutated_text", "".join(lines).encode())

    random_yaml = VALUES.map(
        lambda v: PolicyInput(
            "random_yaml", yaml.dump(v, Dumper=yaml.CSafeDumper, allow_unicode=True).encode()
        )
    )
    random_text = st.text(max_size=300).map(lambda t: PolicyInput("random_text", t.encode()))
    random_bytes = st.binary(max_size=300).map(lambda b: PolicyInput("random_bytes", b))
    return st.one_of(structural(), structural(), textual(), random_yaml, random_text, random_bytes)


def run_policy_fuzz(
    n: int, workdir: Path, fuzz_seed: int, progress: Callable[[str], None]
) -> PolicyFuzz:
    """Throw `n` generated policy files at `grid-router policy check`."""
    result = PolicyFuzz()
    org = load_default_organisation()
    runner = CliRunner()
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / "policy.yaml"
    crash_dir = workdir / "crashes"

    def crashed(inp: PolicyInput, what: str) -> None:
        crash_dir.mkdir(exist_ok=True)
        saved = crash_dir / f"{len(result.crashes):03d}-{inp.kind}.yaml"
        saved.write_bytes(inp.data)
        result.crashes.append({"kind": inp.kind, "file": str(saved), "error": what[-2000:]})

    @seed(fuzz_seed)
    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(policy_inputs())
    def one(inp: PolicyInput) -> None:
        result.tried += 1
        result.kinds[inp.kind] += 1
        target.write_bytes(inp.data)
        outcome = runner.invoke(app, ["policy", "check", str(target)])
        printed = outcome.output
        if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
            trace = "".join(traceback.format_exception(outcome.exception))
            crashed(inp, trace)
        elif outcome.exit_code not in (0, 1) or "Traceback" in printed:
            crashed(inp, f"exit {outcome.exit_code}: {printed}")
        elif outcome.exit_code == 1:
            problems = [ln for ln in printed.splitlines() if ln.startswith(f"{target}: ")]
            if not problems or any(not ln[len(f"{target}: ") :].strip() for ln in problems):
                crashed(inp, f"refused without a problem named: {printed}")
            else:
                result.outcomes["refused"] += 1
                where = problems[0][len(f"{target}: ") :].split(":", 1)[0]
                if where.startswith(str(target)):
                    where = "(the file)"
                result.first_problem[where.split(".", 1)[0].split("[", 1)[0][:40]] += 1
        else:
            try:
                load_policy(target, org)
            except Exception:
                crashed(inp, "check said OK, load failed:\n" + traceback.format_exc())
            else:
                result.outcomes["accepted"] += 1
        if result.tried % 1000 == 0:
            progress(f"policy: {result.tried}/{n} files, {len(result.crashes)} crashes")

    one()
    return result
