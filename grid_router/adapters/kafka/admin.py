"""Topic administration (DESIGN §5) and broker readiness checks, on kafka-python's admin client."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, cast

from grid_router.adapters.kafka.topics import Topics
from grid_router.exceptions import GridRouterError

log = logging.getLogger(__name__)

#: Kafka's error code for "topic already exists" (TOPIC_ALREADY_EXISTS).
_TOPIC_ALREADY_EXISTS = 36
#: Kafka's error code for "unknown topic or partition" (UNKNOWN_TOPIC_OR_PARTITION).
_UNKNOWN_TOPIC = 3


class KafkaAdminError(GridRouterError):
    """Kafka could not be reached, or refused a topic operation; the message says which and why."""


@dataclass(frozen=True, slots=True)
class TopicDescription:
    """What the broker reports about one topic."""

    name: str
    partitions: int
    replication_factor: int
    #: Topic configs that differ from the broker defaults (e.g. `cleanup.policy`).
    configs: dict[str, str] = field(default_factory=dict)


def parse_bootstrap(bootstrap: str) -> list[tuple[str, int]]:
    """Split `host:port[,host:port...]` into pairs; a missing port means Kafka's 9092."""
    servers: list[tuple[str, int]] = []
    for raw in bootstrap.split(","):
        entry = raw.strip()
        if not entry:
            continue
        host, sep, port = entry.rpartition(":")
        if not sep or "]" in port:
            host, port = entry, "9092"
        host = host.strip("[]")
        try:
            servers.append((host, int(port)))
        except ValueError:
            raise KafkaAdminError(
                f"bad Kafka bootstrap address {entry!r}: expected host:port, "
                "for example 127.0.0.1:9092 (check GRID_KAFKA_BOOTSTRAP)"
            ) from None
    if not servers:
        raise KafkaAdminError(
            "empty Kafka bootstrap address: set GRID_KAFKA_BOOTSTRAP to host:port"
        )
    return servers


def port_accepts(host: str, port: int, timeout: float = 1.0) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _any_server_accepts(bootstrap: str, timeout: float) -> bool:
    return any(port_accepts(host, port, timeout) for host, port in parse_bootstrap(bootstrap))


def _close_half_built(client: Any) -> None:
    # close() returns early unless __init__ got as far as setting `_closed`.
    with suppress(Exception):
        client._closed = False
        client.close()


def require_a_listener(bootstrap: str, *, timeout: float = 2.0) -> None:
    """Refuse at once when no port of `bootstrap` accepts connections: a client would otherwise
    wait out its bootstrap timeout (half a minute) before saying the same."""
    if not _any_server_accepts(bootstrap, timeout=timeout):
        raise KafkaAdminError(
            f"no Kafka broker at {bootstrap}: start one with `grid-router kafka start`, "
            "or set GRID_KAFKA_BOOTSTRAP to your Kafka"
        )


@contextmanager
def admin_client(bootstrap: str, *, timeout: float = 30.0) -> Iterator[Any]:
    """A kafka-python `KafkaAdminClient` for `bootstrap`, closed on exit.

    Raises `KafkaAdminError` when no broker answers within `timeout` seconds.
    """
    from kafka import KafkaAdminClient
    from kafka.errors import KafkaError

    require_a_listener(bootstrap, timeout=min(timeout, 2.0))
    timeout_ms = max(int(timeout * 1000), 1000)
    # kafka-python's constructor starts an IO thread, and when the bootstrap then fails it
    # raises without closing it: the thread keeps reconnecting forever. Building the object
    # first keeps a handle to close, so polling a starting broker leaks nothing.
    client = KafkaAdminClient.__new__(KafkaAdminClient)
    try:
        client.__init__(
            bootstrap_servers=bootstrap,
            client_id="grid-router-admin",
            bootstrap_timeout_ms=timeout_ms,
            request_timeout_ms=timeout_ms,
        )
    except BaseException as exc:
        _close_half_built(client)
        if not isinstance(exc, KafkaError):
            raise
        raise KafkaAdminError(
            f"Kafka at {bootstrap} accepted a connection but did not answer within "
            f"{timeout:g}s ({exc}): is it a Kafka broker, and has it finished starting?"
        ) from exc
    try:
        yield client
    finally:
        client.close()


def broker_ready(bootstrap: str, *, timeout: float = 5.0) -> bool:
    """Whether a Kafka broker at `bootstrap` serves metadata and has an unfenced broker.

    Never raises for an unreachable or half-started broker; returns False instead, so it can be
    polled while a broker starts.
    """
    from kafka.errors import KafkaError

    try:
        with admin_client(bootstrap, timeout=timeout) as admin:
            cluster = cast(dict[str, Any], admin.describe_cluster())
    except (KafkaAdminError, KafkaError, OSError) as exc:
        log.debug("Kafka at %s not ready: %s", bootstrap, exc)
        return False
    brokers = cast(list[dict[str, Any]], cluster.get("brokers") or [])
    return any(not broker.get("is_fenced", False) for broker in brokers)


def existing_topics(bootstrap: str, *, timeout: float = 30.0) -> set[str]:
    """Names of every topic on the cluster, internal ones (`__consumer_offsets`) included."""
    with admin_client(bootstrap, timeout=timeout) as admin:
        return set(cast(list[str], admin.list_topics()))


def create_topics(
    bootstrap: str,
    topics: Topics,
    partitions: int = 6,
    replication_factor: int = 1,
    *,
    timeout: float = 30.0,
) -> list[str]:
    """Create every topic of `topics.all()` that does not exist yet; return the names created.

    Compacted topics (`topics.compacted()`) get `cleanup.policy=compact`. With more than one
    replica, `min.insync.replicas` is 2, so that an acknowledged message (the producers use
    acks=all) is on two brokers before anyone is told it is safe. Existing topics are
    left exactly as they are, even when their partition count differs, so running this twice
    changes nothing. Returns once every created topic has a leader for each partition.
    """
    if partitions < 1 or replication_factor < 1:
        raise KafkaAdminError(
            f"cannot create topics with {partitions} partitions and replication factor "
            f"{replication_factor}: both must be at least 1 (check GRID_PARTITIONS)"
        )
    from kafka.errors import KafkaError

    wanted = topics.all()
    compacted = topics.compacted()
    with admin_client(bootstrap, timeout=timeout) as admin:
        try:
            present = set(cast(list[str], admin.list_topics()))
            missing = [name for name in wanted if name not in present]
            if not missing:
                return []
            spec = {
                name: {
                    "num_partitions": partitions,
                    "replication_factor": replication_factor,
                    "configs": {
                        **({"cleanup.policy": "compact"} if name in compacted else {}),
                        **({"min.insync.replicas": "2"} if replication_factor > 1 else {}),
                    },
                }
                for name in missing
            }
            result = cast(
                dict[str, Any],
                admin.create_topics(spec, timeout_ms=int(timeout * 1000), raise_errors=False),
            )
            created: list[str] = []
            failures: list[str] = []
            for entry in cast(list[dict[str, Any]], result["topics"]):
                code = int(entry.get("error_code", 0))
                if code == 0:
                    created.append(str(entry["name"]))
                elif code != _TOPIC_ALREADY_EXISTS:
                    # Another process creating the same topics at the same time is fine; any
                    # other refusal (bad replication factor, policy violation) is not.
                    failures.append(f"{entry['name']}: {entry.get('error_message') or code}")
            if failures:
                raise KafkaAdminError(
                    f"Kafka at {bootstrap} refused to create topics ({'; '.join(failures)}): "
                    "check the partition count and replication factor against the cluster"
                )
            admin.wait_for_topics(created, timeout_ms=int(timeout * 1000))
        except KafkaError as exc:
            raise KafkaAdminError(f"creating topics on Kafka at {bootstrap} failed: {exc}") from exc
    order = {name: index for index, name in enumerate(wanted)}
    created.sort(key=order.__getitem__)
    log.info("created Kafka topics %s on %s", ", ".join(created), bootstrap)
    return created


def describe_topics(
    bootstrap: str, names: Iterable[str], *, timeout: float = 30.0
) -> dict[str, TopicDescription]:
    """Partition count, replication factor and non-default configs of each named topic.

    Topics that do not exist are absent from the result.
    """
    from kafka.admin import ConfigResource, ConfigResourceType
    from kafka.errors import KafkaError

    wanted = list(names)
    if not wanted:
        return {}
    with admin_client(bootstrap, timeout=timeout) as admin:
        try:
            metadata = cast(list[dict[str, Any]], admin.describe_topics(wanted))
            found = [
                topic
                for topic in metadata
                if int(topic.get("error_code", 0)) == 0 and topic.get("name") in wanted
            ]
            if not found:
                return {}
            configs = cast(
                dict[str, dict[str, dict[str, dict[str, Any]]]],
                admin.describe_configs(
                    [ConfigResource(ConfigResourceType.TOPIC, topic["name"]) for topic in found]
                ),
            ).get("topic", {})
        except KafkaError as exc:
            raise KafkaAdminError(
                f"describing topics on Kafka at {bootstrap} failed: {exc}"
            ) from exc
    described: dict[str, TopicDescription] = {}
    for topic in sorted(found, key=lambda topic: wanted.index(topic["name"])):
        name = str(topic["name"])
        partitions = cast(list[dict[str, Any]], topic.get("partitions") or [])
        replicas = [len(partition.get("replica_nodes") or []) for partition in partitions]
        described[name] = TopicDescription(
            name=name,
            partitions=len(partitions),
            replication_factor=max(replicas, default=0),
            configs={
                key: str(entry.get("value"))
                for key, entry in configs.get(name, {}).items()
                if entry.get("value") is not None
            },
        )
    return described


def delete_topics(bootstrap: str, names: Iterable[str], *, timeout: float = 30.0) -> list[str]:
    """Delete the named topics that exist and wait until the broker no longer lists them.

    Returns the names deleted. Meant for tests and for resetting a development broker.
    """
    from kafka.errors import KafkaError

    wanted = list(dict.fromkeys(names))
    with admin_client(bootstrap, timeout=timeout) as admin:
        try:
            present = set(cast(list[str], admin.list_topics()))
            doomed = [name for name in wanted if name in present]
            if not doomed:
                return []
            result = cast(
                dict[str, Any],
                admin.delete_topics(doomed, timeout_ms=int(timeout * 1000), raise_errors=False),
            )
            failures = [
                f"{entry.get('name')}: {entry.get('error_message') or entry.get('error_code')}"
                for entry in cast(list[dict[str, Any]], result["topics"])
                if int(entry.get("error_code", 0)) not in (0, _UNKNOWN_TOPIC)
            ]
            if failures:
                raise KafkaAdminError(
                    f"Kafka at {bootstrap} refused to delete topics: {'; '.join(failures)}"
                )
            # Deletion is asynchronous on the broker; a test that recreates the topic right
            # away would otherwise race it.
            deadline = time.monotonic() + timeout
            while set(doomed) & set(cast(list[str], admin.list_topics())):
                if time.monotonic() >= deadline:
                    raise KafkaAdminError(
                        f"topics {', '.join(doomed)} still listed on {bootstrap} "
                        f"{timeout:g}s after deletion"
                    )
                time.sleep(0.1)
        except KafkaError as exc:
            raise KafkaAdminError(f"deleting topics on Kafka at {bootstrap} failed: {exc}") from exc
    return doomed
