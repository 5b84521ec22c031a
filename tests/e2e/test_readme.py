"""The README's "Using it" walkthrough, run as written: each shell block with expected answers
(`# →` lines) is cut into steps, each step's commands run in bash with `grid-router` on PATH,
and each answer must show every part of its `# →` text, in order (`…` stands for anything;
`$NAME` for the value the walkthrough's variable holds). `grid-router run` and `grid-router
api` run as processes, the API with the defaults for metrics (no second port), on the test
broker and a SQLite database; only the ports differ from the defaults, as the machine is
shared.

A line `NAME=value…   # …` takes the first id the previous answer gave, as a reader copies it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from grid_router.adapters.db.views import event_record
from grid_router.bootstrap import App
from grid_router.entrypoints.relay_process import settings_env
from tests.e2e.test_cli import free_port
from tests.integration.kafka_helpers import make_app

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[2] / "README.md"
VARIABLES = ("EVENT", "TOKEN", "REPORTED")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_COPIED = re.compile(r"^([A-Z]+)=\S+…\s*(#.*)?$")
API_IN_BACKGROUND = "grid-router api &"


@dataclass
class Step:
    commands: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)


def walkthrough_steps(text: str) -> list[Step]:
    """The steps of every sh block of "## Using it" that has expected answers."""
    section = text.split("\n## Using it\n", 1)[1].split("\n## ", 1)[0]
    steps: list[Step] = []
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL):
        if "# →" not in block:
            continue
        step = Step()
        for line in block.splitlines():
            if line.startswith("# →"):
                step.expected.append(line.removeprefix("# →").strip())
            elif line.startswith("#   ") and step.expected:
                step.expected[-1] += " " + line[1:].strip()
            elif line.strip():
                if step.expected or _alone(line) or (step.commands and _alone(step.commands[0])):
                    steps.append(step)
                    step = Step()
                step.commands.append(line)
        steps.append(step)
    return [s for s in steps if s.commands]


def _alone(line: str) -> bool:
    """Lines that are steps of their own: starting the API, copying an id from an answer."""
    return line.strip() == API_IN_BACKGROUND or bool(_COPIED.match(line.strip()))


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def shows(answer: str, expected: str) -> bool:
    """Whether `answer` holds every `…`-separated part of `expected`, in order."""
    at = 0
    for part in (p.strip() for p in normal(expected).split("…")):
        found = answer.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


class Shell:
    """bash with `grid-router` on PATH and the walkthrough's variables carried between steps."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env = env
        self.cwd = cwd
        self.values: dict[str, str] = {}
        self.last = ""

    def run(self, script: str) -> str:
        prelude = "".join(f"export {k}='{v}'\n" for k, v in self.values.items())
        report = "echo\n" + "".join(f'echo "@@{k}=${{{k}:-}}"\n' for k in VARIABLES)
        done = subprocess.run(
            ["bash", "-c", prelude + script + "\n" + report],
            env=self.env, cwd=self.cwd, capture_output=True, text=True, timeout=120,
            check=False,
        )  # fmt: skip
        lines = []
        for line in done.stdout.splitlines():
            if line.startswith("@@"):
                name, _, value = line[2:].partition("=")
                if value:
                    self.values[name] = value
            else:
                lines.append(line)
        return "\n".join(lines) + "\n" + done.stderr


@pytest.fixture
def app(kafka_bootstrap: str, tmp_path: Path, topic_prefix: str) -> Iterator[App]:
    from grid_router.adapters.db.engine import make_engine
    from grid_router.adapters.db.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'grid_router.db'}"
    upgrade(make_engine(url))
    a = make_app(kafka_bootstrap, url, topic_prefix, photo_dir=tmp_path / "photos")
    yield a
    a.close()


def test_the_readme_walkthrough_does_what_it_says(app: App, tmp_path: Path) -> None:
    steps = walkthrough_steps(README.read_text("utf-8"))
    assert len(steps) >= 10, "the README's walkthrough was not found"
    api_port = free_port()
    env = settings_env(app.settings)
    env.pop("GRID_METRICS_PORT", None)  # the defaults, as a new operator has them
    env |= {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}",
        "GRID_API_PORT": str(api_port),
        "COLUMNS": "1000",  # one line per message, as wide as it needs
    }
    shell = Shell(env, tmp_path)
    processes: list[subprocess.Popen[str]] = []
    try:
        # The router, with its metrics on a port of its own (9464 may be taken on this host).
        router_env = env | {"GRID_METRICS_PORT": str(free_port())}
        processes.append(_start(["grid-router", "run"], router_env, tmp_path / "run.log"))
        for step in steps:
            answer = _do(step, shell, env, tmp_path, processes, api_port)
            for expected in step.expected:
                wanted = _filled(expected, shell.values, api_port)
                assert shows(normal(answer), wanted), (
                    f"README step {step.commands} answered:\n{answer}\nnot: {wanted}"
                )
            for name in ("EVENT", "REPORTED"):
                if name in shell.values:
                    _wait_filed(app, shell.values[name])
        metrics = httpx.get(f"http://127.0.0.1:{api_port}/metrics", timeout=10)
        assert 'grid_api_requests_total{method="POST",route="/api/v1/reports"' in metrics.text
    finally:
        for process in processes:
            process.terminate()
            assert process.wait(timeout=60) == 0, process.args


def _do(
    step: Step,
    shell: Shell,
    env: dict[str, str],
    cwd: Path,
    processes: list[subprocess.Popen[str]],
    api_port: int,
) -> str:
    """Run one step; `grid-router api &` is started as a process this test stops."""
    script = "\n".join(step.commands).replace("localhost:8080", f"localhost:{api_port}")
    copied = _COPIED.match(script.strip())
    if copied:
        (shell.values[copied.group(1)],) = _UUID.findall(shell.last)[:1]
        return ""
    if script.strip() == API_IN_BACKGROUND:
        log = cwd / "api.log"
        processes.append(_start(["grid-router", "api"], env, log))
        deadline = time.monotonic() + 60
        while "listening on" not in log.read_text("utf-8"):
            assert time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.1)
        _wait_listening(api_port)
        return log.read_text("utf-8")
    shell.last = shell.run(script)
    return shell.last


def _filled(expected: str, values: dict[str, str], api_port: int) -> str:
    """The expected answer with the variables' values; one not set yet stands for anything."""
    for name in VARIABLES:
        expected = expected.replace(f"${name}", values.get(name, "…"))
    return expected.replace("127.0.0.1:8080", f"127.0.0.1:{api_port}")


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    with log.open("w") as out:
        return subprocess.Popen(
            args, env=env, cwd=log.parent, stdout=out, stderr=subprocess.STDOUT, text=True
        )


def _wait_listening(port: int) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the API does not answer"
            time.sleep(0.1)


def _wait_filed(app: App, event_id: str) -> None:
    """As an operator does, wait until the router has filed what was just reported."""
    deadline = time.monotonic() + 60
    while True:
        with app.engine.connect() as conn:
            if event_record(conn, event_id) is not None:
                return
        assert time.monotonic() < deadline, f"{event_id} was never filed"
        time.sleep(0.1)


def test_steps_are_read_as_the_reader_reads_them() -> None:
    text = (
        "\n## Using it\n```sh\nA=$(echo x \\\n  y)\n# → one …\n#   two\nb\n# → c\n"
        "T=$(make)\ngrid-router api &\ncurl a\n# → d\nB=a9a7-…  # copied\ncurl b\n```\n"
    )
    steps = walkthrough_steps(text)
    assert [(s.commands, s.expected) for s in steps] == [
        (["A=$(echo x \\", "  y)"], ["one … two"]),
        (["b"], ["c"]),
        (["T=$(make)"], []),
        (["grid-router api &"], []),
        (["curl a"], ["d"]),
        (["B=a9a7-…  # copied"], []),
        (["curl b"], []),
    ]
    assert shows("one and then two", "one … two")
    assert not shows("two one", "one … two")
