"""The local development broker's own lifecycle, on the session's broker (one per test run)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grid_router.adapters.kafka.admin import (
    KafkaAdminError,
    admin_client,
    create_topics,
    delete_topics,
    describe_topics,
    existing_topics,
    port_accepts,
)
from grid_router.adapters.kafka.launcher import (
    KAFKA_VERSION,
    LocalKafka,
)
from grid_router.adapters.kafka.topics import Topics

pytestmark = pytest.mark.integration


@pytest.fixture
def broker(local_kafka: LocalKafka) -> LocalKafka:
    """The session's broker (tests/conftest.py): these tests stop and restart it, and leave it
    running for the tests after them."""
    return local_kafka


def _cluster(bootstrap: str) -> dict[str, Any]:
    with admin_client(bootstrap, timeout=10) as admin:
        cluster: dict[str, Any] = admin.describe_cluster()
    return cluster


def _topic_configs(bootstrap: str, names: list[str]) -> dict[str, dict[str, str]]:
    """Every config value of each topic, defaults included, straight from describe_configs."""
    from kafka.admin import ConfigResource, ConfigResourceType

    with admin_client(bootstrap, timeout=10) as admin:
        described = admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, name) for name in names],
            config_filter="all",
        )
    return {
        name: {key: entry["value"] for key, entry in configs.items()}
        for name, configs in described["topic"].items()
    }


def test_start_returns_a_working_bootstrap(broker: LocalKafka) -> None:
    bootstrap = broker.start()
    assert bootstrap == f"127.0.0.1:{broker.port}"
    cluster = _cluster(bootstrap)
    assert [(b["host"], b["port"]) for b in cluster["brokers"]] == [("127.0.0.1", broker.port)]
    assert broker.log_file.is_file()
    assert broker.log_file.is_relative_to(broker.data_dir)


def test_start_again_reuses_the_running_broker(broker: LocalKafka) -> None:
    pid = broker.status().pid
    assert broker.start() == broker.bootstrap
    # A second launcher, as a later `grid-router kafka start` would build, finds it too.
    again = LocalKafka(
        broker.cache_dir,
        broker.data_dir,
        port=broker.port,
        controller_port=broker.controller_port,
    )
    assert again.start() == broker.bootstrap
    assert broker.status().pid == pid
    assert again.status().pid == pid


def test_status_says_running(broker: LocalKafka) -> None:
    status = broker.status()
    assert status.running
    assert status.pid is not None
    assert status.bootstrap == broker.bootstrap
    assert status.data_dir == broker.data_dir
    assert status.log_file == broker.log_file
    assert status.version == KAFKA_VERSION


def test_topics_are_created_once_and_the_state_topic_is_compacted(broker: LocalKafka) -> None:
    topics = Topics(prefix="idempotent.")
    created = create_topics(broker.bootstrap, topics)
    assert created == topics.all()
    assert create_topics(broker.bootstrap, topics) == []

    described = describe_topics(broker.bootstrap, topics.all())
    assert {name: d.partitions for name, d in described.items()} == dict.fromkeys(topics.all(), 6)
    assert {d.replication_factor for d in described.values()} == {1}

    configs = _topic_configs(broker.bootstrap, [topics.state, topics.reports])
    assert configs[topics.state]["cleanup.policy"] == "compact"
    assert configs[topics.reports]["cleanup.policy"] == "delete"


def test_stop_then_restart_keeps_storage_and_topics(broker: LocalKafka) -> None:
    topics = Topics(prefix="survivor.")
    create_topics(broker.bootstrap, topics, partitions=2)
    cluster_id = _cluster(broker.bootstrap)["cluster_id"]
    meta = broker.kraft_dir / "meta.properties"
    formatted_at = meta.stat().st_mtime_ns

    assert broker.stop() is True
    status = broker.status()
    assert not status.running
    assert status.pid is None
    assert not broker.pid_file.exists()
    assert not port_accepts("127.0.0.1", broker.port)
    assert broker.stop() is False

    assert broker.start(timeout=120) == broker.bootstrap
    assert broker.status().running
    assert _cluster(broker.bootstrap)["cluster_id"] == cluster_id
    assert meta.stat().st_mtime_ns == formatted_at
    assert set(topics.all()) <= existing_topics(broker.bootstrap)
    assert describe_topics(broker.bootstrap, [topics.state])[topics.state].configs == {
        "cleanup.policy": "compact"
    }


def test_broker_data_stays_in_the_data_dir(broker: LocalKafka) -> None:
    data_dir: Path = broker.data_dir
    for path in (broker.kraft_dir, broker.log_file, broker.properties_file, broker.pid_file):
        assert path.is_relative_to(data_dir)
    assert not broker.libs_dir.is_relative_to(data_dir)


def test_impossible_replication_factor_is_refused_clearly(broker: LocalKafka) -> None:
    topics = Topics(prefix="unreplicable.")
    with pytest.raises(KafkaAdminError, match="refused to create topics") as error:
        create_topics(broker.bootstrap, topics, replication_factor=3)
    assert topics.reports in str(error.value)
    assert not set(topics.all()) & existing_topics(broker.bootstrap)


def test_delete_topics_removes_only_what_exists(broker: LocalKafka) -> None:
    topics = Topics(prefix="doomed.")
    create_topics(broker.bootstrap, topics, partitions=1)
    assert delete_topics(broker.bootstrap, [topics.reports, "doomed.never-created"]) == [
        topics.reports
    ]
    remaining = existing_topics(broker.bootstrap)
    assert topics.reports not in remaining
    assert topics.actions in remaining
    assert delete_topics(broker.bootstrap, [topics.reports]) == []
    # Recreating right after deletion works, because deletion waited for the broker.
    assert create_topics(broker.bootstrap, topics, partitions=1) == [topics.reports]
