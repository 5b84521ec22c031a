"""The live feed of one API process: reads what the router sends to the dispatch topics and the
state topic, from their ends, and publishes each as a `Notice` to the desk's pages. No consumer
group: every API process reads everything (the pages it serves may see anything), and a
restarted process starts from the end (its pages reload what they show when they reconnect).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Final

from kafka import KafkaConsumer, TopicPartition

from grid_router.adapters.avro import AvroCodec
from grid_router.adapters.kafka.topics import Topics
from grid_router.domain.model import Level
from grid_router.service.live import FeedThread, LiveHub, Notice

log = logging.getLogger(__name__)

RETRY_SECONDS: Final = 2.0


class KafkaLiveFeed(FeedThread):
    """A daemon thread from `start` to `stop`."""

    thread_name = "desk-live-feed"

    def __init__(self, bootstrap: str, topics: Topics, codec: AvroCodec, hub: LiveHub) -> None:
        super().__init__()
        self._bootstrap = bootstrap
        self._topics = topics
        self._codec = codec
        self._hub = hub
        self.ready = threading.Event()  # set once positioned at the topics' ends

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._follow()
            except Exception:  # a broker away: keep trying, pages keep their content
                log.warning("live feed: Kafka unavailable, retrying", exc_info=True)
                self._stop.wait(RETRY_SECONDS)

    def _follow(self) -> None:
        dispatch = {self._topics.dispatch(level) for level in Level}
        wanted = [*sorted(dispatch), self._topics.state]
        consumer = KafkaConsumer(
            bootstrap_servers=self._bootstrap,
            enable_auto_commit=False,
            fetch_max_wait_ms=50,
            client_id="grid-router-desk-live",
        )
        try:
            partitions: list[TopicPartition] = []
            while not self._stop.is_set():
                partitions = [
                    TopicPartition(topic, p)
                    for topic in wanted
                    for p in consumer.partitions_for_topic(topic) or ()
                ]
                if {tp.topic for tp in partitions} == set(wanted):
                    break
                self._stop.wait(RETRY_SECONDS)
            consumer.assign(partitions)
            consumer.seek_to_end(*partitions)
            for tp in partitions:
                consumer.position(tp)
            self.ready.set()
            while not self._stop.is_set():
                for tp, records in consumer.poll(timeout_ms=200).items():
                    for record in records:
                        notice = self._notice(tp.topic in dispatch, record.value, record.timestamp)
                        if notice is not None:
                            self._hub.publish(notice)
        finally:
            consumer.close()

    def _notice(self, is_order: bool, value: bytes, timestamp_ms: int) -> Notice | None:
        sent = timestamp_ms / 1000 if timestamp_ms and timestamp_ms > 0 else time.time()
        try:
            if is_order:
                order = self._codec.decode_work_order(value)
                return Notice("order", order.event_id, order.unit_code, order.version,
                              order.kind, sent)  # fmt: skip
            change = self._codec.decode_state_change(value)
        except Exception:  # not ours to judge: the router dead-letters what it cannot read
            return None
        return Notice("state", change.event_id, change.unit_code, change.version,
                      str(change.state), sent)  # fmt: skip
