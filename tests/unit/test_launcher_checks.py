"""The local broker's prerequisite checks and jar cache, without Java, Maven, network or broker.

Java and Maven are stood in for by tiny shell scripts on a PATH the test controls.
"""

from __future__ import annotations

import os
import re
import socket
import stat
import sys
from pathlib import Path

import pytest

from grid_router.adapters.kafka import launcher
from grid_router.adapters.kafka.admin import KafkaAdminError, parse_bootstrap
from grid_router.adapters.kafka.launcher import (
    KAFKA_VERSION,
    KafkaLauncherError,
    LocalKafka,
    new_cluster_id,
    parse_java_major,
    require_java,
    require_maven,
)
from grid_router.exceptions import GridRouterError


def _script(directory: Path, name: str, body: str) -> Path:
    path = directory / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def empty_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH with nothing on it, and no JAVA_HOME to fall back on."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    return bin_dir


def _free_port() -> int:
    """A broker port free together with the one after it (the controller's port), so that the
    launcher's own check does not refuse it while other brokers run on the machine."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        with socket.socket() as controller:
            try:
                controller.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


def _one_line(error: pytest.ExceptionInfo[KafkaLauncherError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def test_launcher_error_is_a_grid_router_error() -> None:
    assert issubclass(KafkaLauncherError, GridRouterError)


def test_missing_java_says_what_to_install(empty_path: Path) -> None:
    with pytest.raises(KafkaLauncherError) as error:
        require_java()
    assert _one_line(error) == (
        "Java 17+ not found: install it (Debian: apt-get install -y openjdk-17-jre-headless) "
        "or set GRID_KAFKA_BOOTSTRAP to your own Kafka"
    )


def test_old_java_is_refused_with_its_version(empty_path: Path) -> None:
    _script(empty_path, "java", "echo 'openjdk version \"11.0.22\" 2024-01-16' >&2\n")
    with pytest.raises(KafkaLauncherError) as error:
        require_java()
    message = _one_line(error)
    assert "Java 17+ required" in message
    assert "is Java 11" in message
    assert "openjdk-17-jre-headless" in message


def test_java_that_does_not_run_is_reported(empty_path: Path) -> None:
    # What macOS's /usr/bin/java stub does when no JDK is installed.
    _script(empty_path, "java", "echo 'Unable to locate a Java Runtime.' >&2\nexit 1\n")
    with pytest.raises(KafkaLauncherError) as error:
        require_java()
    message = _one_line(error)
    assert "does not run" in message
    assert "Unable to locate a Java Runtime." in message


def test_java_17_on_path_is_accepted(empty_path: Path) -> None:
    java = _script(empty_path, "java", "echo 'openjdk version \"17.0.15\" 2025-04-15' >&2\n")
    assert require_java() == launcher.JavaRuntime(executable=str(java), major=17)


def test_java_home_wins_over_path(
    empty_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _script(empty_path, "java", "echo 'openjdk version \"11.0.22\"' >&2\n")
    home_bin = tmp_path / "jdk21" / "bin"
    home_bin.mkdir(parents=True)
    java = _script(home_bin, "java", "echo 'openjdk version \"21.0.3\" 2024-04-16' >&2\n")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk21"))
    assert require_java() == launcher.JavaRuntime(executable=str(java), major=21)


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "21" 2023-09-19', 21),
        ('java version "1.8.0_392"', 8),
        ('openjdk version "25-ea" 2025-09-16', 25),
        ("no version here", None),
    ],
)
def test_parse_java_major(output: str, major: int | None) -> None:
    assert parse_java_major(output) == major


def test_missing_maven_says_what_to_install(empty_path: Path) -> None:
    with pytest.raises(KafkaLauncherError) as error:
        require_maven()
    assert _one_line(error) == (
        "Maven not found (needed once, to download Kafka's jars): install it "
        "(Debian: apt-get install -y maven) or set GRID_KAFKA_BOOTSTRAP to your own Kafka"
    )


def test_start_without_java_fails_before_touching_anything(
    empty_path: Path, tmp_path: Path
) -> None:
    broker = LocalKafka(tmp_path / "cache", tmp_path / "data", port=_free_port())
    with pytest.raises(KafkaLauncherError, match=r"^Java 17\+ not found: install it"):
        broker.start(timeout=10)
    assert not broker.pid_file.exists()
    assert not (tmp_path / "cache").exists()
    assert not broker.status().running


def test_start_refuses_a_port_held_by_something_else(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = int(squatter.getsockname()[1])
        broker = LocalKafka(tmp_path / "cache", tmp_path / "data", port=port)
        with pytest.raises(KafkaLauncherError, match=rf"port {port} .* not a ready Kafka"):
            broker.start(timeout=2)


def test_stop_without_a_broker_is_a_no_op(tmp_path: Path) -> None:
    broker = LocalKafka(tmp_path / "cache", tmp_path / "data", port=_free_port())
    assert broker.stop() is False
    # A pid file left by a crashed broker (or a reboot) is not a running broker.
    broker.data_dir.mkdir(parents=True)
    broker.pid_file.write_text("999999999\n")
    assert broker.status().pid is None
    assert broker.stop() is False
    assert not broker.pid_file.exists()


def test_broker_and_controller_ports_must_differ(tmp_path: Path) -> None:
    with pytest.raises(KafkaLauncherError, match="cannot share port"):
        LocalKafka(tmp_path, tmp_path, port=19092, controller_port=19092)


def test_pom_pins_the_launcher_version() -> None:
    pom = (launcher.DEFAULT_DEPLOY_DIR / "pom.xml").read_text()
    assert f"<kafka.version>{KAFKA_VERSION}</kafka.version>" in pom
    assert (launcher.DEFAULT_DEPLOY_DIR / "log4j2.properties").is_file()


def test_cluster_ids_look_like_kafka_uuids() -> None:
    ids = {new_cluster_id() for _ in range(200)}
    assert len(ids) == 200
    for cluster_id in ids:
        assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_-]{21}", cluster_id)


def test_properties_make_a_single_kraft_node(tmp_path: Path) -> None:
    broker = LocalKafka(tmp_path / "cache", tmp_path / "data", port=29092, controller_port=29500)
    broker._write_properties()
    lines = broker.properties_file.read_text().splitlines()
    properties = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert properties["process.roles"] == "broker,controller"
    assert properties["node.id"] == "1"
    assert properties["listeners"] == "PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29500"
    assert properties["controller.quorum.bootstrap.servers"] == "127.0.0.1:29500"
    assert properties["log.dirs"] == str(broker.kraft_dir)
    assert broker.kraft_dir.is_relative_to(broker.data_dir)
    for key, value in {
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
        "auto.create.topics.enable": "false",
        "num.partitions": "6",
    }.items():
        assert properties[key] == value, key


# -- the jar cache, with a stand-in for Maven ------------------------------------------------------


@pytest.fixture
def fake_maven(empty_path: Path, tmp_path: Path) -> Path:
    """A `mvn` that "downloads" the broker jar into -DoutputDirectory and counts its runs.

    Creating FAIL next to the counter makes it fail like an offline Maven.
    """
    runs = tmp_path / "mvn-runs"
    mvn = empty_path / "mvn"
    # Python rather than sh: the empty PATH has no mkdir or touch.
    mvn.write_text(
        f"""#!{sys.executable}
import pathlib, sys
with open({str(runs)!r}, "a") as runs:
    runs.write("run\\n")
if pathlib.Path({str(tmp_path / "FAIL")!r}).exists():
    print("[ERROR] Could not transfer artifact from/to central: Network is unreachable")
    sys.exit(1)
prefix = "-DoutputDirectory="
out = pathlib.Path(next(arg for arg in sys.argv if arg.startswith(prefix))[len(prefix):])
out.mkdir(parents=True)
for jar in ("kafka_2.13-{KAFKA_VERSION}.jar", "kafka-clients-{KAFKA_VERSION}.jar"):
    (out / jar).touch()
"""
    )
    mvn.chmod(0o755)
    return runs


def _runs(counter: Path) -> int:
    return len(counter.read_text().splitlines()) if counter.exists() else 0


def _deploy_copy(tmp_path: Path) -> Path:
    deploy = tmp_path / "deploy"
    deploy.mkdir()
    (deploy / "pom.xml").write_text((launcher.DEFAULT_DEPLOY_DIR / "pom.xml").read_text())
    return deploy


def test_jars_are_resolved_once_and_reused(fake_maven: Path, tmp_path: Path) -> None:
    deploy = _deploy_copy(tmp_path)
    cache = tmp_path / "cache"
    broker = LocalKafka(cache, tmp_path / "data", deploy_dir=deploy)

    libs = broker.ensure_jars()
    assert libs == cache / KAFKA_VERSION / "libs"
    assert (libs / f"kafka_2.13-{KAFKA_VERSION}.jar").is_file()
    assert _runs(fake_maven) == 1

    # Another data directory shares the same cache.
    assert LocalKafka(cache, tmp_path / "other", deploy_dir=deploy).ensure_jars() == libs
    assert _runs(fake_maven) == 1
    assert not list(libs.parent.glob("libs.partial-*"))


def test_changed_pom_resolves_again(fake_maven: Path, tmp_path: Path) -> None:
    deploy = _deploy_copy(tmp_path)
    broker = LocalKafka(tmp_path / "cache", tmp_path / "data", deploy_dir=deploy)
    broker.ensure_jars()
    (deploy / "pom.xml").write_text((deploy / "pom.xml").read_text() + "<!-- changed -->\n")
    broker.ensure_jars()
    assert _runs(fake_maven) == 2


def test_failed_resolution_leaves_no_marker_and_is_retried(
    fake_maven: Path, tmp_path: Path
) -> None:
    deploy = _deploy_copy(tmp_path)
    broker = LocalKafka(tmp_path / "cache", tmp_path / "data", deploy_dir=deploy)
    (tmp_path / "FAIL").touch()
    with pytest.raises(KafkaLauncherError) as error:
        broker.ensure_jars()
    assert "Maven failed to resolve Kafka's jars (exit 1)" in str(error.value)
    assert "Network is unreachable" in str(error.value)
    assert not (broker.version_dir / ".complete").exists()
    assert not broker.libs_dir.exists()
    assert not list(broker.version_dir.glob("libs.partial-*"))

    (tmp_path / "FAIL").unlink()
    assert (broker.ensure_jars() / f"kafka_2.13-{KAFKA_VERSION}.jar").is_file()
    assert _runs(fake_maven) == 2


def test_interrupted_download_is_redone(fake_maven: Path, tmp_path: Path) -> None:
    deploy = _deploy_copy(tmp_path)
    broker = LocalKafka(tmp_path / "cache", tmp_path / "data", deploy_dir=deploy)
    # What a killed Maven run leaves: jars in place, but no completion marker.
    broker.libs_dir.mkdir(parents=True)
    (broker.libs_dir / "half-downloaded.jar").touch()
    (broker.version_dir / "libs.partial-12345").mkdir()

    broker.ensure_jars()
    assert _runs(fake_maven) == 1
    assert not (broker.libs_dir / "half-downloaded.jar").exists()
    assert not (broker.version_dir / "libs.partial-12345").exists()


def test_missing_pom_is_reported(empty_path: Path, tmp_path: Path) -> None:
    broker = LocalKafka(tmp_path / "cache", tmp_path / "data", deploy_dir=tmp_path / "nowhere")
    with pytest.raises(KafkaLauncherError, match=r"pom\.xml is missing"):
        broker.ensure_jars()


# -- startup failures, with a stand-in for the JVM ---------------------------------------------


def _fake_java(bin_dir: Path, broker_behaviour: str) -> None:
    """A `java` that reports version 17, "formats" storage, and runs `broker_behaviour` as the
    broker: "crash" prints an error and exits, "hang" never answers on the port."""
    java = bin_dir / "java"
    java.write_text(
        f"""#!{sys.executable}
import sys, time
if "-version" in sys.argv:
    sys.stderr.write('openjdk version "17.0.15" 2025-04-15\\n')
elif "kafka.tools.StorageTool" in sys.argv:
    print("Formatting metadata directory")
elif {broker_behaviour!r} == "crash":
    print("ERROR Exiting Kafka due to fatal exception: boom")
    sys.exit(1)
else:
    time.sleep(600)
"""
    )
    java.chmod(0o755)


def test_broker_dying_during_startup_is_reported_with_its_log(
    fake_maven: Path, tmp_path: Path
) -> None:
    _fake_java(tmp_path / "bin", "crash")
    broker = LocalKafka(
        tmp_path / "cache", tmp_path / "data", port=_free_port(), deploy_dir=_deploy_copy(tmp_path)
    )
    with pytest.raises(KafkaLauncherError) as error:
        broker.start(timeout=30)
    message = str(error.value)
    assert "exited during startup" in message
    assert "Exiting Kafka due to fatal exception: boom" in message
    assert not broker.pid_file.exists()
    assert not broker.status().running


def test_broker_that_never_gets_ready_is_stopped_at_the_deadline(
    fake_maven: Path, tmp_path: Path
) -> None:
    _fake_java(tmp_path / "bin", "hang")
    broker = LocalKafka(
        tmp_path / "cache", tmp_path / "data", port=_free_port(), deploy_dir=_deploy_copy(tmp_path)
    )
    with pytest.raises(KafkaLauncherError, match="did not serve metadata") as error:
        broker.start(timeout=1.5)
    match = re.search(r"pid (\d+)", str(error.value))
    assert match is not None
    with pytest.raises(ProcessLookupError):
        os.kill(int(match.group(1)), 0)
    assert not broker.pid_file.exists()
    assert broker.status().pid is None


@pytest.mark.parametrize(
    ("bootstrap", "servers"),
    [
        ("127.0.0.1:9092", [("127.0.0.1", 9092)]),
        ("kafka-1:19092, kafka-2:19092", [("kafka-1", 19092), ("kafka-2", 19092)]),
        ("localhost", [("localhost", 9092)]),
        ("[::1]:9092", [("::1", 9092)]),
    ],
)
def test_parse_bootstrap(bootstrap: str, servers: list[tuple[str, int]]) -> None:
    assert parse_bootstrap(bootstrap) == servers


@pytest.mark.parametrize("bootstrap", ["", " , ", "127.0.0.1:kafka"])
def test_bad_bootstrap_is_refused(bootstrap: str) -> None:
    with pytest.raises(KafkaAdminError, match="GRID_KAFKA_BOOTSTRAP"):
        parse_bootstrap(bootstrap)
