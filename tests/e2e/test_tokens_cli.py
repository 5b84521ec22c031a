"""`grid-router tokens create|list|revoke` as an operator runs them, against a SQLite file and
with no Kafka at all: the bootstrap address points at a port nothing listens on."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.tables import api_tokens
from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.entrypoints.relay_process import settings_env
from grid_router.service.auth import Role, hash_token, parse_prefix
from grid_router.settings import Settings

COMMUNITY = "350206002008"
GRID = COMMUNITY + "005"
NO_KAFKA = "127.0.0.1:1"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'tokens.db'}",
        kafka_bootstrap=NO_KAFKA,
        kafka_data_dir=tmp_path / "no-kafka",
    )


@pytest.fixture
def migrated(settings: Settings) -> Settings:
    assert cli(settings, "db", "upgrade").returncode == 0
    return settings


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grid_router.entrypoints.cli", *args],
        capture_output=True,
        text=True,
        env=settings_env(settings),
        timeout=120,
        check=False,
    )


def words(text: str) -> str:
    """The text with its line wrapping undone (rich wraps at the terminal width)."""
    return " ".join(text.split())


def test_create_prints_the_token_once_and_it_authenticates(migrated: Settings) -> None:
    created = cli(
        migrated,
        "tokens", "create", "--name", "高殿社区 张三", "--role", "grid_worker",
        "--grid", GRID, "--grid", "350206002007", "--rate", "120",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    # stdout is the token alone, so that TOKEN=$(grid-router tokens create …) works.
    token = created.stdout.strip()
    prefix = parse_prefix(token)
    assert prefix is not None, created.stdout
    note = words(created.stderr)
    assert f"created token {prefix} for 高殿社区 张三" in note
    assert "it will not be shown again" in note
    assert token not in created.stderr

    engine = make_engine(migrated.database_url)
    who = SqlTokenStore(engine, lambda: datetime.now(UTC)).authenticate(token)
    assert who is not None
    assert who.role is Role.GRID_WORKER
    assert who.grids == frozenset({GRID, "350206002007"})
    assert who.rate_per_minute == 120
    with engine.connect() as conn:
        [row] = conn.execute(select(api_tokens)).all()
    engine.dispose()
    assert row.token_hash == hash_token(token)
    assert token.split("_", 2)[2] not in "|".join(str(v) for v in row)

    listed = cli(migrated, "tokens", "list")
    assert listed.returncode == 0, listed.stderr
    assert prefix in listed.stdout
    assert "高殿社区 张三" in listed.stdout
    assert "grid_worker" in listed.stdout
    assert GRID in listed.stdout
    assert token.split("_", 2)[2] not in listed.stdout
    assert row.token_hash not in listed.stdout


def test_revoke_then_list_shows_when(migrated: Settings) -> None:
    token = cli(
        migrated, "tokens", "create", "--name", "殿前街道指挥中心", "--role", "dispatcher",
        "--unit", "350206002",
    ).stdout.strip()  # fmt: skip
    prefix = parse_prefix(token)
    assert prefix is not None

    revoked = cli(migrated, "tokens", "revoke", prefix)
    assert revoked.returncode == 0, revoked.stderr
    assert f"revoked token {prefix} (殿前街道指挥中心)" in revoked.stdout
    assert "within 5 s" in revoked.stdout
    again = cli(migrated, "tokens", "revoke", prefix)
    assert again.returncode == 0, again.stderr
    assert "was already revoked" in again.stdout

    listed = cli(migrated, "tokens", "list").stdout
    [line] = [ln for ln in listed.splitlines() if prefix in ln]
    assert len(re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d", line)) == 2  # created and revoked

    engine = make_engine(migrated.database_url)
    assert SqlTokenStore(engine, lambda: datetime.now(UTC)).authenticate(token) is None
    engine.dispose()

    unknown = cli(migrated, "tokens", "revoke", "abcdef01")
    assert unknown.returncode == 2
    assert "no API token has prefix 'abcdef01'" in words(unknown.stderr)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--role", "dispatcher", "--unit", "350206999"), "no unit has code '350206999'"),
        (("--role", "dispatcher"), "a dispatcher token acts for a unit"),
        (("--role", "mayor"), "unknown role 'mayor'"),
        (("--role", "grid_worker", "--grid", "350206002999001"), "unknown community"),
        (("--role", "grid_worker", "--grid", "350206002"), "neither a grid code"),
        (("--role", "grid_worker", "--grid", "350206002000"), "community code 350206002000"),
        (("--role", "operator", "--unit", "350200"), "leave out the unit code"),
    ],
)
def test_a_bad_token_request_is_one_error_and_stores_nothing(
    migrated: Settings, args: tuple[str, ...], message: str
) -> None:
    result = cli(migrated, "tokens", "create", "--name", "x", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert words(result.stderr).startswith("error: ")
    assert message in words(result.stderr)
    assert "Traceback" not in result.stderr
    assert "no API tokens" in cli(migrated, "tokens", "list").stdout


def test_without_a_schema_the_commands_say_to_upgrade(settings: Settings) -> None:
    result = cli(settings, "tokens", "list")
    assert result.returncode == 2
    assert "run `grid-router db upgrade`" in words(result.stderr)


def test_tokens_commands_never_load_the_kafka_client(migrated: Settings) -> None:
    """Beyond working with no broker: kafka-python is not even imported."""
    script = (
        "import sys\n"
        "from grid_router.entrypoints.cli import app\n"
        "for args in (['tokens', 'create', '--name', 'ops', '--role', 'operator'],\n"
        "             ['tokens', 'list'], ['tokens', 'revoke', 'abcdef01']):\n"
        "    try:\n"
        "        app(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "    except Exception as exc:\n"
        "        print('raised', type(exc).__name__)\n"
        "print('kafka loaded:', any(m == 'kafka' or m.startswith('kafka.') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=settings_env(migrated),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "raised GridRouterError" in result.stdout  # the unknown prefix, and nothing else
    assert result.stdout.count("raised") == 1
    assert "kafka loaded: False" in result.stdout
