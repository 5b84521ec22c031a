"""Fuzzing the router's input topics: bad and odd messages on `grid.reports` and `grid.actions`.

Hypothesis draws every message: random bytes, tombstones, the Avro marker followed by garbage,
valid records cut short, valid bodies behind a wrong or unknown schema fingerprint, a message of
the other topic's (or an output topic's) schema, valid records with bytes overwritten or bytes
appended, records of an old schema version, and valid records with odd contents (any text, codes
that exist and codes that do not, far dates, NaN coordinates, actions on incidents that exist
and on ones that do not). Valid records come from a strategy built from the Avro schemas.

They are produced to a per-run prefix's topics with `grid-router run` consuming them. Then each
produced position is accounted for: dead-lettered (on `grid.deadletter`, with a reason header,
its source position in the headers) or routed (recorded APPLIED in the router's inbox, and its
event or action on `grid.events.state`). Anything else is lost.
"""

from __future__ import annotations

import contextlib
import re
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, Phase, assume, given, seed, settings
from hypothesis import strategies as st
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from grid_router.adapters.avro import MARKER, AvroCodec, AvroEncodeError
from grid_router.adapters.db.tables import inbox
from grid_router.adapters.kafka.topics import Topics
from grid_router.domain.model import Level
from grid_router.domain.org import Organisation
from grid_router.domain.taxonomy import CATEGORIES
from grid_router.domain.workflow import Action
from grid_router.service.router import (
    ACTION_ID_HEADER,
    DLQ_ERROR,
    DLQ_OFFSET,
    DLQ_PARTITION,
    DLQ_REASON,
    DLQ_TOPIC,
)

REPORT, ACTION = "IncidentReport", "DispositionAction"
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_CODEC_REASON = re.compile(r"\((too_short|bad_marker|unknown_fingerprint|wrong_schema|"
                           r"corrupt_body|invalid_value)\)")  # fmt: skip


@dataclass(frozen=True, slots=True)
class KafkaInput:
    kind: str
    to_actions: bool
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...] = ()


def avro_strategy(
    schema: Any, hints: Mapping[str, st.SearchStrategy[Any]], named: dict[str, Any]
) -> st.SearchStrategy[Any]:
    """Values that fit the Avro schema `schema` (as written in its .avsc file). A field named in
    `hints` draws from its hint half of the time, so that codes that exist are drawn too."""
    if isinstance(schema, list):
        return st.one_of([avro_strategy(s, hints, named) for s in schema])
    if isinstance(schema, str):
        if schema in named:
            return avro_strategy(named[schema], hints, named)
        return _PRIMITIVES[schema]
    kind = schema["type"]
    if kind == "record":
        named[schema["name"]] = schema
        fields = {}
        for f in schema["fields"]:
            plain = avro_strategy(f["type"], hints, named)
            hint = hints.get(f["name"])
            fields[f["name"]] = plain if hint is None else st.one_of(hint, plain)
        return st.fixed_dictionaries(fields)
    if kind == "array":
        return st.lists(avro_strategy(schema["items"], hints, named), max_size=3)
    if kind == "map":
        return st.dictionaries(st.text(max_size=10), avro_strategy(schema["values"], hints, named),
                               max_size=3)  # fmt: skip
    if kind == "enum":
        return st.sampled_from(schema["symbols"])
    if kind == "long" and schema.get("logicalType") == "timestamp-millis":
        return st.one_of(
            st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                         timezones=st.just(UTC)),
            st.just(datetime.now(UTC)),
        )  # fmt: skip
    return avro_strategy(kind, hints, named)


_PRIMITIVES: dict[str, st.SearchStrategy[Any]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "int": st.integers(-(2**31), 2**31 - 1),
    "long": st.integers(-(2**63), 2**63 - 1),
    "float": st.floats(width=32),
    "double": st.floats(),
    "bytes": st.binary(max_size=20),
    "string": st.text(max_size=60),
}


def _hints(org: Organisation, known_events: list[str]) -> dict[str, st.SearchStrategy[Any]]:
    communities = [u.code for u in org.units_at(Level.COMMUNITY)][:200]
    units = [u.code for lv in Level for u in org.units_at(lv)][:300]
    return {
        "event_id": st.sampled_from(known_events) if known_events else st.uuids().map(str),
        "action_id": st.uuids().map(str),
        "source": st.sampled_from(["GRID_APP", "HOTLINE_12345", "CITY_MGMT", "OPEN311", "CLI"]),
        "category_code": st.sampled_from(list(CATEGORIES)),
        "severity_hint": st.sampled_from(["IV", "III", "II", "I"]),
        "severity": st.sampled_from(["IV", "III", "II", "I"]),
        "community_code": st.sampled_from(communities),
        "grid_code": st.sampled_from(communities).flatmap(
            lambda c: st.integers(0, 1000).map(lambda g: f"{c}{g:03d}")
        ),
        "unit_code": st.sampled_from(units),
        "target_unit_code": st.sampled_from(units),
        "action": st.sampled_from([a.value for a in Action]),
        "role": st.sampled_from(["dispatcher", "verifier", "operator", "grid_worker", "system"]),
        "description": st.sampled_from(
            [
                "5号楼门口垃圾满溢",
                "中山路一家便利店在卖过期牛奶",
                "路口井盖缺失有人掉落",
                "小区内发生火灾，有人被困",
                "有人在楼道里吵架打架",
            ]
        ),
        "lat": st.floats(24.3, 24.7),
        "lon": st.floats(117.9, 118.3),
        "extend_minutes": st.integers(-10, 100_000),
    }


def kafka_inputs(
    codec: AvroCodec, org: Organisation, known_events: list[str]
) -> st.SearchStrategy[list[KafkaInput]]:
    """Every kind of message the part throws, drawn by Hypothesis a family at a time."""
    hints = _hints(org, known_events)
    records = {
        name: avro_strategy(dict(codec.store.current(name).definition), hints, {})
        for name in (REPORT, ACTION)
    }
    old = {name: codec.store.versions(name)[0] for name in (REPORT, ACTION)}
    headers_of = {s.fingerprint for s in codec.store}
    keys = st.one_of(st.none(), st.binary(max_size=24))
    extra_headers = st.lists(st.tuples(st.text(max_size=12), st.binary(max_size=24)), max_size=2)

    def encode(name: str, record: dict[str, Any]) -> bytes:
        # Ids of their own, so that no two inputs are one message repeated (the router would
        # rightly drop the second as a duplicate, and it would count as lost here).
        record = {**record, "event_id" if name == REPORT else "action_id": str(uuid.uuid4())}
        return codec.encode(name, record)

    @st.composite
    def family(draw: st.DrawFn) -> list[KafkaInput]:
        """One generated record and the messages made from it: every truncation of it, its
        body behind unknown fingerprints and behind each other schema's, copies with bytes
        overwritten, with bytes appended, written with the schema's first version, and as it
        is; and random bytes, the marker followed by garbage and a tombstone besides."""
        to_actions = draw(st.booleans())
        name = ACTION if to_actions else REPORT
        record = draw(records[name])
        try:
            data = encode(name, record)
        except AvroEncodeError:
            assume(False)
            raise
        key = draw(keys)
        headers = tuple(draw(extra_headers)) if draw(st.integers(0, 9)) == 0 else ()

        def out(kind: str, value: bytes | None) -> KafkaInput:
            # Kafka refuses a message with neither key nor value: a tombstone gets a key.
            return KafkaInput(kind, to_actions, key or b"k" if value is None else key, value,
                              headers)  # fmt: skip

        made = []
        for _ in range(2):
            fingerprint = draw(st.binary(min_size=8, max_size=8))
            if fingerprint not in headers_of:
                made.append(out("unknown_fingerprint", MARKER + fingerprint + data[10:]))
        made += [
            out("other_schema", codec.store.current(other).header + data[10:])
            for other in sorted(set(codec.store.names()) - {name})
        ]
        for _ in range(8):
            mutable = bytearray(encode(name, record))
            for _ in range(draw(st.integers(1, 4))):
                mutable[draw(st.integers(0, len(mutable) - 1))] = draw(st.integers(0, 255))
            made.append(out("mutated", bytes(mutable)))
        made += [
            out("trailing_bytes", encode(name, record) + draw(st.binary(min_size=1, max_size=20))),
            out("old_version", old[name].header + _old_body(codec, name, encode(name, record))),
            out("valid_odd", encode(name, record)),
            out("random_bytes", draw(st.binary(max_size=300))),
            out("marker_then_garbage", MARKER + draw(st.binary(max_size=300))),
            out("tombstone", None),
        ]
        # The truncations last, so that a small run (a smoke test) gets every other kind too.
        return made + [out("truncated", data[:cut]) for cut in range(len(data))]

    return family()


def _old_body(codec: AvroCodec, name: str, current: bytes) -> bytes:
    """The body of `current` rewritten with the schema's first version (fields added since
    dropped), as a producer that was never upgraded would write it."""
    from io import BytesIO

    from fastavro import schemaless_writer

    record = codec.decode(name, current)
    first = codec.store.versions(name)[0]
    keep = {f["name"] for f in first.definition["fields"]}
    buf = BytesIO()
    schemaless_writer(buf, first.parsed, {k: v for k, v in record.items() if k in keep})
    return buf.getvalue()


class _QuotaReachedError(Exception):
    """`n` messages have been produced."""


@dataclass(slots=True)
class KafkaFuzz:
    """What the Kafka part found."""

    tried: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    deadlettered: dict[str, Counter[str]] = field(default_factory=dict)  # reason → detail → n
    routed: Counter[str] = field(default_factory=Counter)  # report filed / action recorded
    no_reason: int = 0
    lost: list[str] = field(default_factory=list)
    outcome_by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    router_crashed: str | None = None
    waited_s: float = 0.0

    @property
    def crashes(self) -> int:
        return int(self.router_crashed is not None)

    def summary(self) -> dict[str, Any]:
        return {
            "inputs": self.tried,
            "crashes": self.crashes,
            "router_crash": self.router_crashed,
            "by_kind": dict(self.by_kind),
            "deadlettered": {r: dict(d) for r, d in sorted(self.deadlettered.items())},
            "deadlettered_total": sum(sum(d.values()) for d in self.deadlettered.values()),
            "deadlettered_without_reason": self.no_reason,
            "routed": dict(self.routed),
            "lost": len(self.lost),
            "lost_examples": self.lost[:10],
            "outcome_by_kind": {k: dict(v) for k, v in sorted(self.outcome_by_kind.items())},
            "drain_s": round(self.waited_s, 1),
        }


def _read_topic(
    bootstrap: str, topic: str, enough: Callable[[int], bool], stall_s: float
) -> list[Any]:
    """Every record of `topic` from its start, read until `enough(count)` holds and nothing new
    came for a second, or nothing new came for `stall_s`."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
    consumer.assign(parts)
    consumer.seek_to_beginning(*parts)
    records: list[Any] = []
    last = time.monotonic()
    try:
        while True:
            polled = consumer.poll(timeout_ms=500)
            got = [r for batch in polled.values() for r in batch]
            records.extend(got)
            now = time.monotonic()
            if got:
                last = now
            elif now - last > (1.0 if enough(len(records)) else stall_s):
                return records
    finally:
        consumer.close()


def _wait_consumed(
    bootstrap: str, group: str, topics: list[str], alive: Callable[[], str | None],
    stall_s: float, progress: Callable[[str], None],
) -> str | None:  # fmt: skip
    """Wait until the router's group has committed every input message (so every one is
    recorded in the database); the router's crash, or None."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    probe = KafkaConsumer(bootstrap_servers=bootstrap)
    parts = [TopicPartition(t, p) for t in topics for p in sorted(probe.partitions_for_topic(t))]
    ends = probe.end_offsets(parts)
    total = sum(ends.values())
    best, last, shown = -1, time.monotonic(), 0.0
    try:
        while True:
            crash = alive()
            if crash is not None:
                return crash
            committed = admin.list_group_offsets({group: parts}).get(group, {})
            done = sum(
                min(committed[tp].offset, ends[tp]) if tp in committed else 0 for tp in parts
            )
            now = time.monotonic()
            if done >= total:
                return None
            if done > best:
                best, last = done, now
            elif now - last > stall_s:
                return f"the router stopped consuming at {done} of {total} messages"
            if now - shown > 10:
                progress(f"kafka: router has recorded {done}/{total} messages")
                shown = now
            time.sleep(0.5)
    finally:
        admin.close()
        probe.close()


def run_kafka_fuzz(
    n: int,
    *,
    bootstrap: str,
    topics: Topics,
    group: str,
    engine: Engine,
    codec: AvroCodec,
    org: Organisation,
    known_events: list[str],
    alive: Callable[[], str | None],
    fuzz_seed: int,
    progress: Callable[[str], None],
    stall_s: float = 180.0,
) -> KafkaFuzz:
    """Produce `n` generated messages to the input topics and account for every one."""
    result = KafkaFuzz()
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=20
    )
    sent: list[tuple[KafkaInput, Any]] = []

    @seed(fuzz_seed)
    @settings(
        max_examples=n,  # families: far more than needed; `_QuotaReachedError` stops at n messages
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(kafka_inputs(codec, org, known_events))
    def one(inputs: list[KafkaInput]) -> None:
        if len(sent) >= n:
            raise _QuotaReachedError
        for inp in inputs[: n - len(sent)]:
            topic = topics.actions if inp.to_actions else topics.reports
            future = producer.send(
                topic, key=inp.key, value=inp.value, headers=list(inp.headers) or None
            )
            sent.append((inp, future))
            if len(sent) % 5000 == 0:
                progress(f"kafka: {len(sent)}/{n} messages produced")

    with contextlib.suppress(_QuotaReachedError), warnings.catch_warnings():
        # Hypothesis shows the example that raised `_QuotaReachedError`: a long list of bytes.
        warnings.filterwarnings("ignore", "Generating overly large repr")
        one()
    producer.flush()
    positions: dict[tuple[str, int, int], KafkaInput] = {}
    for inp, future in sent:
        meta = future.get(timeout=60)
        positions[(meta.topic, meta.partition, meta.offset)] = inp
    producer.close()
    result.tried = len(positions)
    result.by_kind.update(inp.kind for inp in positions.values())
    progress(f"kafka: {result.tried} messages produced; waiting for the router")

    started = time.monotonic()
    result.router_crashed = _wait_consumed(
        bootstrap, group, [topics.reports, topics.actions], alive, stall_s, progress
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(inbox.c.topic, inbox.c.partition, inbox.c.offset, inbox.c.message_id,
                   inbox.c.outcome).where(inbox.c.topic.in_([topics.reports, topics.actions]))
        ).all()  # fmt: skip
    recorded = {(r.topic, r.partition, r.offset): (r.message_id, r.outcome) for r in rows}
    expected_dlq = sum(1 for p in positions if recorded.get(p, ("", ""))[1] == "DEADLETTER")
    dead = _read_topic(bootstrap, topics.deadletter, lambda c: c >= expected_dlq, stall_s)
    letters: dict[tuple[str, int, int], tuple[str, str]] = {}
    for r in dead:
        h = {k: v.decode(errors="replace") for k, v in (r.headers or ())}
        source = (h.get(DLQ_TOPIC, ""), int(h.get(DLQ_PARTITION, -1)), int(h.get(DLQ_OFFSET, -1)))
        letters[source] = (h.get(DLQ_REASON, ""), h.get(DLQ_ERROR, ""))
    applied = {m for m, outcome in recorded.values() if outcome == "APPLIED"}
    state = _read_topic(
        bootstrap, topics.state, lambda c: c >= len(applied) - len(known_events), stall_s
    )
    on_state = {r.key.decode() for r in state if r.key} | {
        "action:" + v.decode() for r in state for k, v in (r.headers or ()) if k == ACTION_ID_HEADER
    }
    result.waited_s = time.monotonic() - started

    for position, inp in positions.items():
        outcome = _outcome(position, letters, recorded, on_state, result)
        result.outcome_by_kind.setdefault(inp.kind, Counter())[outcome] += 1
        if outcome == "lost":
            result.lost.append(f"{'/'.join(map(str, position))} ({inp.kind})")
    return result


def _outcome(
    position: tuple[str, int, int],
    letters: Mapping[tuple[str, int, int], tuple[str, str]],
    recorded: Mapping[tuple[str, int, int], tuple[str, str]],
    on_state: set[str],
    result: KafkaFuzz,
) -> str:
    if position in letters:
        reason, error = letters[position]
        if not reason:
            result.no_reason += 1
            return "dead-lettered without a reason"
        match = _CODEC_REASON.search(error)
        # The codec's reason, else the error's first words without the generated values.
        detail = match.group(1) if match else _QUOTED.sub("…", error).split(":", 1)[0][:50]
        result.deadlettered.setdefault(reason, Counter())[detail] += 1
        return f"dead-lettered {reason}"
    message_id, outcome = recorded.get(position, ("", ""))
    if outcome == "APPLIED" and message_id in on_state:
        what = "action recorded" if message_id.startswith("action:") else "report filed"
        result.routed[what] += 1
        return what
    return "lost"
