"""The local development broker (DESIGN §7, `grid-router kafka start|stop|status`).

Runs Apache Kafka's own jars, resolved once with Maven from `deploy/kafka/pom.xml` into a cache
outside the repository, as a single KRaft node (broker and controller in one JVM) on Java 17+.
The broker is detached: it outlives the process that started it, and any later process finds it
again through the pid file in the data directory.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from grid_router.adapters.kafka.admin import broker_ready, port_accepts
from grid_router.exceptions import GridRouterError
from grid_router.shipped import KAFKA_PROJECT_DIR

log = logging.getLogger(__name__)

#: The Kafka release of deploy/kafka/pom.xml; the jar cache is keyed by it.
KAFKA_VERSION = "4.1.1"
MIN_JAVA_MAJOR = 17
#: Where pom.xml and log4j2.properties live in a source checkout.
DEFAULT_DEPLOY_DIR = KAFKA_PROJECT_DIR

_ALTERNATIVE = "or set GRID_KAFKA_BOOTSTRAP to your own Kafka"
_JAVA_INSTALL = "install it (Debian: apt-get install -y openjdk-17-jre-headless)"
_MAVEN_INSTALL = "install it (Debian: apt-get install -y maven)"
# Only the first resolution downloads (93 jars, about 55 MB); later ones copy from ~/.m2.
_MAVEN_TIMEOUT = 1800.0
_JVM_HEAP = ("-Xms256m", "-Xmx512m")
_LOG_TAIL_LINES = 30


class KafkaLauncherError(GridRouterError):
    """The local broker could not be set up, started or stopped; the message says what to do."""


@dataclass(frozen=True, slots=True)
class KafkaStatus:
    """What `LocalKafka.status()` found."""

    running: bool
    #: The broker's process id, when it was started from this data directory; None when it is
    #: not running, or when another Kafka answers on the port.
    pid: int | None
    bootstrap: str
    data_dir: Path
    log_file: Path
    version: str


@dataclass(frozen=True, slots=True)
class JavaRuntime:
    """A Java installation good enough to run Kafka."""

    executable: str
    major: int


def require_java() -> JavaRuntime:
    """Find Java 17+ (`$JAVA_HOME/bin/java`, else `java` on PATH) or raise KafkaLauncherError."""
    java_home = os.environ.get("JAVA_HOME")
    executable: str | None = None
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        executable = str(Path(java_home) / "bin" / "java")
    else:
        executable = shutil.which("java")
    if executable is None:
        raise KafkaLauncherError(
            f"Java {MIN_JAVA_MAJOR}+ not found: {_JAVA_INSTALL} {_ALTERNATIVE}"
        )
    try:
        probe = subprocess.run(
            [executable, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise KafkaLauncherError(
            f"Java at {executable} does not run ({exc}): {_JAVA_INSTALL}, {_ALTERNATIVE}"
        ) from exc
    output = probe.stderr + probe.stdout
    major = parse_java_major(output)
    if probe.returncode != 0 or major is None:
        first_line = output.strip().splitlines()[0] if output.strip() else "no output"
        raise KafkaLauncherError(
            f"Java at {executable} does not run (`java -version` said: {first_line}): "
            f"{_JAVA_INSTALL}, {_ALTERNATIVE}"
        )
    if major < MIN_JAVA_MAJOR:
        raise KafkaLauncherError(
            f"Java {MIN_JAVA_MAJOR}+ required but {executable} is Java {major}: {_JAVA_INSTALL} "
            f"and put it first on PATH or in JAVA_HOME, {_ALTERNATIVE}"
        )
    return JavaRuntime(executable=executable, major=major)


def parse_java_major(version_output: str) -> int | None:
    """The major version in `java -version` output (`"1.8.0_392"` → 8, `"17.0.15"` → 17)."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if match is None:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2) is not None:
        major = int(match.group(2))
    return major


def require_maven() -> str:
    """Find `mvn` on PATH or raise KafkaLauncherError."""
    executable = shutil.which("mvn")
    if executable is None:
        raise KafkaLauncherError(
            f"Maven not found (needed once, to download Kafka's jars): {_MAVEN_INSTALL} "
            f"{_ALTERNATIVE}"
        )
    return executable


def new_cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (Kafka's Uuid)."""
    while True:
        candidate = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        # Kafka's own generator rejects ids starting with "-" because they read as CLI options.
        if not candidate.startswith("-"):
            return candidate


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock, so parallel test workers don't download or start twice."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _process_alive(pid: int) -> bool:
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass  # not our child: ask the kernel below
    else:
        return reaped == 0
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    # A zombie whose parent has not reaped it yet has already stopped serving.
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        # Kafka binds with SO_REUSEADDR too, so a previous broker's TIME_WAIT is no conflict.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


class LocalKafka:
    """A single-node KRaft Kafka for development and tests, kept in `data_dir`.

    Jars are cached in `cache_dir/<version>/libs` and shared by every data directory.
    """

    def __init__(
        self,
        cache_dir: Path,
        data_dir: Path,
        port: int = 9092,
        controller_port: int | None = None,
        host: str = "127.0.0.1",
        *,
        deploy_dir: Path = DEFAULT_DEPLOY_DIR,
    ) -> None:
        self.cache_dir = Path(cache_dir).expanduser()
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.port = port
        # Kafka's own example config puts the controller right after the broker port.
        self.controller_port = controller_port if controller_port is not None else port + 1
        if self.controller_port == port:
            raise KafkaLauncherError(
                f"the broker and its controller cannot share port {port}: pass another "
                "controller port"
            )
        self.host = host
        self.deploy_dir = deploy_dir
        self._process: subprocess.Popen[bytes] | None = None

    # -- paths ---------------------------------------------------------------------------------

    @property
    def bootstrap(self) -> str:
        """The `host:port` clients connect to."""
        return f"{self.host}:{self.port}"

    @property
    def version_dir(self) -> Path:
        """The jar cache of this Kafka release."""
        return self.cache_dir / KAFKA_VERSION

    @property
    def libs_dir(self) -> Path:
        """The broker's classpath directory."""
        return self.version_dir / "libs"

    @property
    def log_dir(self) -> Path:
        """Where the broker's log4j log (and the JVM's own output) go."""
        return self.data_dir / "logs"

    @property
    def log_file(self) -> Path:
        """The broker's main log."""
        return self.log_dir / "server.log"

    @property
    def stdout_file(self) -> Path:
        """The JVM's stdout/stderr: crashes before logging starts end up here."""
        return self.log_dir / "stdout.log"

    @property
    def pid_file(self) -> Path:
        """Holds the broker's process id while it runs."""
        return self.data_dir / "broker.pid"

    @property
    def properties_file(self) -> Path:
        """The broker config, rewritten on every start."""
        return self.data_dir / "server.properties"

    @property
    def kraft_dir(self) -> Path:
        """Kafka's `log.dirs`: topic partitions and the KRaft metadata log."""
        return self.data_dir / "kraft-combined-logs"

    @property
    def cluster_id_file(self) -> Path:
        """The cluster id the storage was formatted with."""
        return self.data_dir / "cluster.id"

    # -- jars ----------------------------------------------------------------------------------

    def ensure_jars(self) -> Path:
        """Resolve Kafka's jars with Maven into the cache once; return the libs directory.

        A marker written only after a complete resolution makes an interrupted download start
        over, and records the pom's hash so that a changed pom resolves again.
        """
        pom = self.deploy_dir / "pom.xml"
        if not pom.is_file():
            raise KafkaLauncherError(
                f"Kafka's Maven project {pom} is missing: reinstall grid-router (its wheel ships "
                f"the project) or run it from its source checkout, {_ALTERNATIVE}"
            )
        pom_hash = hashlib.sha256(pom.read_bytes()).hexdigest()
        marker = self.version_dir / ".complete"
        if self._jars_complete(marker, pom_hash):
            return self.libs_dir
        with _file_lock(self.version_dir / ".lock"):
            # Another process may have finished the download while this one waited.
            if self._jars_complete(marker, pom_hash):
                return self.libs_dir
            mvn = require_maven()
            marker.unlink(missing_ok=True)
            for leftover in self.version_dir.glob("libs.partial-*"):
                shutil.rmtree(leftover, ignore_errors=True)
            partial = self.version_dir / f"libs.partial-{os.getpid()}"
            log.info("resolving Kafka %s jars with Maven into %s", KAFKA_VERSION, self.libs_dir)
            started = time.monotonic()
            command = [
                mvn,
                "-q",
                "-B",
                "-f",
                str(pom),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={partial}",
            ]
            try:
                result = subprocess.run(
                    command,
                    capture_output=True,
                    text=True,
                    timeout=_MAVEN_TIMEOUT,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                shutil.rmtree(partial, ignore_errors=True)
                raise KafkaLauncherError(
                    f"Maven did not finish resolving Kafka's jars in {_MAVEN_TIMEOUT:g}s: check "
                    f"network access to Maven Central, then retry"
                ) from exc
            if result.returncode != 0:
                shutil.rmtree(partial, ignore_errors=True)
                output = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
                raise KafkaLauncherError(
                    f"Maven failed to resolve Kafka's jars (exit {result.returncode}); check "
                    f"network access to Maven Central. `{' '.join(command)}` said:\n{output}"
                )
            broker_jar = partial / f"kafka_2.13-{KAFKA_VERSION}.jar"
            if not broker_jar.is_file():
                shutil.rmtree(partial, ignore_errors=True)
                raise KafkaLauncherError(
                    f"Maven succeeded but {broker_jar.name} is not among the jars: check that "
                    f"{pom} still depends on kafka_2.13 {KAFKA_VERSION}"
                )
            if self.libs_dir.exists():
                shutil.rmtree(self.libs_dir)
            partial.rename(self.libs_dir)
            marker_tmp = marker.with_suffix(".tmp")
            marker_tmp.write_text(pom_hash + "\n")
            marker_tmp.replace(marker)
            log.info(
                "resolved %d Kafka jars in %.1fs",
                len(list(self.libs_dir.glob("*.jar"))),
                time.monotonic() - started,
            )
        return self.libs_dir

    def _jars_complete(self, marker: Path, pom_hash: str) -> bool:
        try:
            return marker.read_text().strip() == pom_hash and self.libs_dir.is_dir()
        except OSError:
            return False

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self, timeout: float = 90) -> str:
        """Start the broker (or find it already running) and return its bootstrap `host:port`.

        Returns once the broker serves metadata. Reuses a broker already running from this data
        directory, or any Kafka already answering on the port.
        """
        deadline = time.monotonic() + timeout
        with _file_lock(self.data_dir / ".start.lock"):
            pid = self._live_pid()
            if pid is not None:
                running_on = self._configured_bootstrap()
                if running_on != self.bootstrap:
                    raise KafkaLauncherError(
                        f"Kafka from {self.data_dir} already runs on {running_on} (pid {pid}), "
                        f"not {self.bootstrap}: use that address, or stop it first "
                        "(`grid-router kafka stop`) to change its port"
                    )
                log.info("Kafka already running from %s (pid %d)", self.data_dir, pid)
                self._wait_ready(pid, deadline)
                return self.bootstrap
            if port_accepts(self.host, self.port):
                if broker_ready(self.bootstrap, timeout=min(5.0, timeout)):
                    log.info("reusing the Kafka already answering on %s", self.bootstrap)
                    return self.bootstrap
                raise KafkaLauncherError(
                    f"port {self.port} on {self.host} is in use by something that is not a "
                    "ready Kafka broker: stop it, or pick another port (GRID_KAFKA_PORT)"
                )
            if not _port_free(self.host, self.controller_port):
                raise KafkaLauncherError(
                    f"controller port {self.controller_port} on {self.host} is in use: stop "
                    "what uses it, or pick another broker port (the controller uses port + 1)"
                )
            java = require_java()
            libs = self.ensure_jars()
            self._write_properties()
            self._format_storage(java, libs)
            process = self._launch(java, libs)
            try:
                self._wait_ready(process.pid, deadline)
            except BaseException:
                # A broker that never became ready (or a start the user interrupted) must not
                # linger holding the ports and the data directory.
                self._terminate(process.pid, grace=10.0)
                self.pid_file.unlink(missing_ok=True)
                raise
            log.info("Kafka %s ready on %s (pid %d)", KAFKA_VERSION, self.bootstrap, process.pid)
            return self.bootstrap

    def stop(self, timeout: float = 30) -> bool:
        """Stop the broker started from this data directory; return whether one was running.

        Sends SIGTERM (Kafka then shuts down cleanly) and escalates to SIGKILL after `timeout`.
        A Kafka answering on the port that was not started from this data directory is left
        alone.
        """
        pid = self._live_pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        log.info("stopping Kafka (pid %d)", pid)
        self._terminate(pid, grace=timeout)
        self.pid_file.unlink(missing_ok=True)
        self._process = None
        return True

    def status(self) -> KafkaStatus:
        """Whether the broker runs, and where its data and log are."""
        pid = self._live_pid()
        bootstrap = self._configured_bootstrap() if pid is not None else self.bootstrap
        running = pid is not None or (
            port_accepts(self.host, self.port) and broker_ready(self.bootstrap, timeout=3.0)
        )
        return KafkaStatus(
            running=running,
            pid=pid,
            bootstrap=bootstrap,
            data_dir=self.data_dir,
            log_file=self.log_file,
            version=KAFKA_VERSION,
        )

    # -- internals -----------------------------------------------------------------------------

    def _live_pid(self) -> int | None:
        """The pid in the pid file if that process is alive and is this data dir's broker."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if self._process is not None and self._process.pid == pid:
            return pid if self._process.poll() is None else None
        if not _process_alive(pid):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return pid  # no /proc (macOS): trust the live pid
        # After a reboot the pid may belong to an unrelated process.
        if "kafka.Kafka" in cmdline and str(self.properties_file) in cmdline:
            return pid
        return None

    def _configured_bootstrap(self) -> str:
        """The client address in the properties file the running broker was started with."""
        try:
            text = self.properties_file.read_text()
        except OSError:
            return self.bootstrap
        match = re.search(r"^advertised\.listeners=.*?PLAINTEXT://([^,\s]+)", text, re.MULTILINE)
        return match.group(1) if match else self.bootstrap

    def _properties(self) -> dict[str, str]:
        controller = f"{self.host}:{self.controller_port}"
        return {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.bootstrap.servers": controller,
            "listeners": f"PLAINTEXT://{self.bootstrap},CONTROLLER://{controller}",
            "advertised.listeners": f"PLAINTEXT://{self.bootstrap},CONTROLLER://{controller}",
            "inter.broker.listener.name": "PLAINTEXT",
            "controller.listener.names": "CONTROLLER",
            "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs": str(self.kraft_dir),
            "num.partitions": "6",
            "default.replication.factor": "1",
            "min.insync.replicas": "1",
            "offsets.topic.replication.factor": "1",
            # Kafka's default of 50 makes the first consumer group join on a 2-core machine
            # wait seconds for 50 partitions; a single dev node gains nothing from them.
            "offsets.topic.num.partitions": "10",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "10",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            "auto.create.topics.enable": "false",
        }

    def _write_properties(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lines = [
            "# Written by grid_router.adapters.kafka.launcher.LocalKafka on every start;",
            "# edits here are overwritten.",
        ]
        for key, value in self._properties().items():
            # Java properties read a backslash as an escape (Windows-style paths).
            escaped = value.replace("\\", "\\\\")
            lines.append(f"{key}={escaped}")
        tmp = self.properties_file.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n")
        tmp.replace(self.properties_file)

    def _format_storage(self, java: JavaRuntime, libs: Path) -> None:
        if (self.kraft_dir / "meta.properties").is_file():
            return
        if self.cluster_id_file.is_file():
            cluster_id = self.cluster_id_file.read_text().strip()
        else:
            cluster_id = new_cluster_id()
            self.cluster_id_file.write_text(cluster_id + "\n")
        log.info("formatting KRaft storage in %s (cluster %s)", self.kraft_dir, cluster_id)
        command = [
            java.executable,
            *_JVM_HEAP,
            *self._log_options(),
            "-cp",
            f"{libs}/*",
            "kafka.tools.StorageTool",
            "format",
            "--standalone",
            "-t",
            cluster_id,
            "-c",
            str(self.properties_file),
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=180, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise KafkaLauncherError(
                f"formatting Kafka storage in {self.kraft_dir} took over 180s: is the machine "
                "overloaded or the disk full?"
            ) from exc
        if result.returncode != 0:
            output = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
            raise KafkaLauncherError(
                f"formatting Kafka storage in {self.kraft_dir} failed (exit {result.returncode}); "
                f"if the directory holds an old or broken broker, delete {self.data_dir}. "
                f"Kafka said:\n{output}"
            )

    def _log_options(self) -> list[str]:
        config = self.deploy_dir / "log4j2.properties"
        return [f"-Dlog4j2.configurationFile={config}", f"-Dkafka.logs.dir={self.log_dir}"]

    def _launch(self, java: JavaRuntime, libs: Path) -> subprocess.Popen[bytes]:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        command = [
            java.executable,
            *_JVM_HEAP,
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true",
            *self._log_options(),
            "-cp",
            f"{libs}/*",
            "kafka.Kafka",
            str(self.properties_file),
        ]
        log.info("starting Kafka %s on %s", KAFKA_VERSION, self.bootstrap)
        with self.stdout_file.open("ab") as output:
            # A new session: the broker must survive the CLI that started it and must not get
            # the terminal's Ctrl-C meant for a foreground command.
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                start_new_session=True,
            )
        self._process = process
        tmp = self.pid_file.with_suffix(".tmp")
        tmp.write_text(f"{process.pid}\n")
        tmp.replace(self.pid_file)
        return process

    def _alive(self, pid: int) -> bool:
        if self._process is not None and self._process.pid == pid:
            return self._process.poll() is None
        return _process_alive(pid)

    def _wait_ready(self, pid: int, deadline: float) -> None:
        while True:
            if not self._alive(pid):
                self.pid_file.unlink(missing_ok=True)
                raise KafkaLauncherError(
                    f"Kafka (pid {pid}) exited during startup; see {self.log_file} and "
                    f"{self.stdout_file}. Last lines:\n{self._log_tails()}"
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise KafkaLauncherError(
                    f"Kafka (pid {pid}) did not serve metadata on {self.bootstrap} in time; see "
                    f"{self.log_file}. Last lines:\n{self._log_tails()}"
                )
            # The port opens before the broker has caught up with its metadata log, so only a
            # metadata answer with an unfenced broker counts as ready.
            if broker_ready(self.bootstrap, timeout=max(1.0, min(5.0, remaining))):
                return
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))

    def _log_tails(self) -> str:
        parts = [
            f"--- {path.name} ---\n{tail}"
            for path in (self.stdout_file, self.log_file)
            if (tail := _tail(path))
        ]
        return "\n".join(parts) or "(both logs are empty)"

    def _terminate(self, pid: int, grace: float) -> None:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        if self._wait_exit(pid, grace):
            return
        log.warning("Kafka (pid %d) ignored SIGTERM for %.0fs; killing it", pid, grace)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        if not self._wait_exit(pid, 10.0):
            raise KafkaLauncherError(
                f"Kafka (pid {pid}) survived SIGKILL: check the process with `ps -p {pid}`"
            )

    def _wait_exit(self, pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self._alive(pid):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)
        return True
