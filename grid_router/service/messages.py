"""The Kafka messages one recorded change sends: its work orders and its new state.

Every message carries the event id and version in its headers as well as in its value, so that
a consumer can drop a duplicate without decoding (DESIGN.md §5).
"""

from __future__ import annotations

from collections.abc import Iterable

from grid_router.adapters.avro import AvroCodec
from grid_router.adapters.kafka.topics import Topics
from grid_router.domain.model import StateChange, WorkOrder
from grid_router.service.ports import OutboxMessage


def change_messages(
    codec: AvroCodec,
    topics: Topics,
    work_orders: Iterable[WorkOrder],
    state_change: StateChange,
    extra_headers: tuple[tuple[str, bytes], ...] = (),
) -> tuple[OutboxMessage, ...]:
    """The work orders (each to its level's dispatch topic, keyed by unit), then the state."""
    sc = state_change
    headers = (
        ("event_id", sc.event_id.encode()),
        ("version", str(sc.version).encode()),
        *extra_headers,
    )
    orders = tuple(
        OutboxMessage(
            topic=topics.dispatch(wo.level),
            key=wo.unit_code.encode(),
            value=codec.encode_work_order(wo),
            headers=headers,
            event_id=wo.event_id,
        )
        for wo in work_orders
    )
    state = OutboxMessage(
        topic=topics.state,
        key=sc.event_id.encode(),
        value=codec.encode_state_change(sc),
        headers=headers,
        event_id=sc.event_id,
    )
    return (*orders, state)
