"""A release installs anywhere: `python -m build` makes the sdist and the wheel without a
warning, the wheel installs into a fresh virtual environment, and its `grid-router` works from a
directory outside the checkout: the version, the bundled policy, a copy of it edited elsewhere
(naming the bundled taxonomy without a path), the pure classifier, and the schemas and the
broker's Maven project it ships."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, stdin: str = "") -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
        timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def test_the_wheel_installs_in_a_fresh_venv_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # Byte-compiling disabled (as in some shells) makes setuptools warn; a release build has it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    built = run(sys.executable, "-m", "build", "--outdir", dist, ROOT, cwd=ROOT, env=env)
    warnings = [line for line in built.splitlines() if "warning" in line.lower()]
    assert warnings == [], warnings
    (wheel,) = dist.glob(f"grid_router-{VERSION}-py3-none-any.whl")
    assert (dist / f"grid_router-{VERSION}.tar.gz").is_file()
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"grid_router-{VERSION}.dist-info/METADATA").decode()
    assert "License-Expression: Apache-2.0" in metadata
    shipped = {
        "grid_router/_shipped/kafka/pom.xml",
        "grid_router/_shipped/schemas/IncidentReport.v1.avsc",
        "grid_router/policy/xiamen.yaml",
        "grid_router/policy/taxonomy.yaml",
        "grid_router/data/xiamen-divisions.csv",
        "grid_router/adapters/db/migrations/versions/0001_initial.py",
    }
    assert shipped <= names, shipped - names
    schemas = {p.name for p in (ROOT / "schemas").glob("*.avsc")}
    assert {n.rsplit("/", 1)[-1] for n in names if n.endswith(".avsc")} == schemas

    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=True)
    run(fresh / "bin" / "pip", "install", "-q", wheel, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    grid_router = fresh / "bin" / "grid-router"
    plain = {k: v for k, v in os.environ.items() if not k.startswith("GRID_")}

    assert run(grid_router, "--version", cwd=elsewhere, env=plain).strip() == (
        f"grid-router {VERSION}"
    )
    assert run(grid_router, "policy", "check", cwd=elsewhere, env=plain).strip().endswith(": OK")
    installed = fresh / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    policy = installed / "site-packages" / "grid_router" / "policy" / "xiamen.yaml"
    copy = elsewhere / "my-policy.yaml"
    copy.write_text(policy.read_text("utf-8").replace('version: "', 'version: "mine-'), "utf-8")
    checked = run(grid_router, "policy", "check", copy.name, cwd=elsewhere, env=plain)
    assert checked.strip() == "my-policy.yaml: OK"

    report = {"description": "中山路一家便利店在卖过期牛奶", "grid_code": "350203003001002"}
    answer = run(
        grid_router, "classify", cwd=elsewhere, env=plain | {"GRID_POLICY": str(copy)},
        stdin=json.dumps(report, ensure_ascii=False) + "\n",
    )  # fmt: skip
    decision = json.loads(answer.splitlines()[0])
    assert (decision["category_code"], decision["level"], decision["unit_code"]) == (
        "FOOD_DRUG",
        "street",
        "350203003",
    )
    # The codec reads the schemas the wheel ships, and the launcher finds its Maven project.
    probe = (
        "from grid_router.adapters.avro import AvroCodec, DEFAULT_SCHEMAS_DIR\n"
        "from grid_router.adapters.kafka.launcher import DEFAULT_DEPLOY_DIR\n"
        "AvroCodec.from_directory(DEFAULT_SCHEMAS_DIR)\n"
        "print(DEFAULT_SCHEMAS_DIR, (DEFAULT_DEPLOY_DIR / 'pom.xml').is_file())\n"
    )
    where, found = run(fresh / "bin" / "python", "-c", probe, cwd=elsewhere).split()
    assert Path(where).is_relative_to(installed)
    assert found == "True"
