"""Avro values of the Kafka topics (DESIGN §5): schema store, single-object codec, domain mapping.

Every value on a `grid.*` topic is Avro single-object encoding::

    C3 01 | 8-byte CRC-64-AVRO fingerprint of the writer schema (little-endian) | Avro binary body

The fingerprint is taken over the schema's Parsing Canonical Form, so `doc`, `default` and
`logicalType` do not change it; field names, types and order do. A reader looks the fingerprint
up among every stored version of the schema and resolves the body to the current version, so
old messages stay readable after a schema grows.

The hot path (`AvroCodec.encode` / `AvroCodec.decode`) does no parsing and no lookups beyond
one dict access: everything is prepared when the store is loaded.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from io import BytesIO
from pathlib import Path
from typing import Any, Final, TypeVar

from fastavro import parse_schema, schemaless_reader, schemaless_writer
from fastavro.schema import fingerprint as fastavro_fingerprint
from fastavro.schema import to_parsing_canonical_form

from grid_router.domain.model import (
    EVENT_ID_PATTERN,
    Deadlines,
    GeoPoint,
    IncidentReport,
    Level,
    Photo,
    Reporter,
    Severity,
    State,
    StateChange,
    WorkOrder,
)
from grid_router.exceptions import ConfigurationError, GridRouterError
from grid_router.shipped import SCHEMAS_DIR

__all__ = [
    "DEFAULT_SCHEMAS_DIR",
    "FINGERPRINT_SIZE",
    "HEADER_SIZE",
    "MARKER",
    "NAMESPACE",
    "AvroCodec",
    "AvroDecodeError",
    "AvroEncodeError",
    "DecodeFailure",
    "SchemaStore",
    "StoredSchema",
    "parsing_fingerprint",
    "report_from_avro",
    "report_to_avro",
    "state_change_from_avro",
    "state_change_to_avro",
    "work_order_from_avro",
    "work_order_to_avro",
]

MARKER: Final = b"\xc3\x01"
"""The two marker bytes that open every single-object-encoded message (Avro spec)."""
FINGERPRINT_SIZE: Final = 8
HEADER_SIZE: Final = len(MARKER) + FINGERPRINT_SIZE
NAMESPACE: Final = "cn.xiamen.grid"
DEFAULT_SCHEMAS_DIR: Final = SCHEMAS_DIR

INCIDENT_REPORT: Final = "IncidentReport"
DISPOSITION_ACTION: Final = "DispositionAction"
WORK_ORDER: Final = "WorkOrder"
EVENT_STATE_CHANGE: Final = "EventStateChange"

_FILE_NAME = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.avsc$")
_INT_RANGE = (-(2**31), 2**31 - 1)
_LONG_RANGE = (-(2**63), 2**63 - 1)


# ---------------------------------------------------------------------------------------------
# Errors


class DecodeFailure(StrEnum):
    """Why a message could not be decoded; short enough for a metric label or a DLQ header."""

    TOO_SHORT = "too_short"
    BAD_MARKER = "bad_marker"
    UNKNOWN_FINGERPRINT = "unknown_fingerprint"
    WRONG_SCHEMA = "wrong_schema"
    CORRUPT_BODY = "corrupt_body"
    INVALID_VALUE = "invalid_value"
    """The body decoded, but a value cannot be represented in the domain (e.g. an unknown level)."""


class AvroDecodeError(GridRouterError):
    """A message cannot be read as the schema the caller expected."""

    def __init__(
        self,
        reason: DecodeFailure,
        detail: str,
        *,
        schema_name: str | None = None,
        fingerprint: bytes | None = None,
    ) -> None:
        self.reason = reason
        self.detail = detail
        self.schema_name = schema_name
        self.fingerprint = fingerprint
        what = f"an Avro {schema_name}" if schema_name else "an Avro message"
        super().__init__(f"cannot decode {what} ({reason.value}): {detail}")


class AvroEncodeError(GridRouterError):
    """A record does not fit the schema it is written with; `path` names the offending field."""

    def __init__(self, schema_name: str, path: str, detail: str) -> None:
        self.schema_name = schema_name
        self.path = path
        self.detail = detail
        where = f" at {path}" if path else ""
        super().__init__(f"cannot encode {schema_name}{where}: {detail}")


# ---------------------------------------------------------------------------------------------
# Schema store


def parsing_fingerprint(schema: Any) -> bytes:
    """The 8-byte CRC-64-AVRO fingerprint of `schema`'s Parsing Canonical Form, in wire order.

    The bytes are little-endian, as the single-object encoding puts them on the wire and as Java's
    `SchemaNormalization.parsingFingerprint64` numbers them (`int.from_bytes(fp, "little",
    signed=True)` gives Java's long).
    """
    canonical = to_parsing_canonical_form(schema)
    # fastavro returns the hex of the little-endian bytes, which is already the wire order.
    return bytes.fromhex(fastavro_fingerprint(canonical, "CRC-64-AVRO"))


@dataclass(frozen=True, slots=True, eq=False)
class StoredSchema:
    """One version of one schema, parsed and fingerprinted."""

    name: str
    """Short record name, e.g. `IncidentReport`."""
    version: int
    fullname: str
    fingerprint: bytes
    canonical_form: str
    definition: Mapping[str, Any]
    """The schema as written in its file (with docs and defaults); do not mutate."""
    parsed: Any
    """The fastavro-parsed schema, ready for `schemaless_writer` / `schemaless_reader`."""
    path: Path

    @property
    def header(self) -> bytes:
        """`C3 01` + fingerprint: the first ten bytes of every message written with this version."""
        return MARKER + self.fingerprint

    @property
    def fingerprint_int(self) -> int:
        """The fingerprint as Java's `SchemaNormalization.parsingFingerprint64` returns it."""
        return int.from_bytes(self.fingerprint, "little", signed=True)


class SchemaStore:
    """Every `<Name>.v<N>.avsc` of a directory, indexed by name and version and by fingerprint.

    Loading refuses (with `ConfigurationError`) anything that would make messages ambiguous or
    unreadable: a file name that does not match the record it holds, a namespace other than
    `cn.xiamen.grid`, a gap in the version numbers (a deleted old version leaves old messages
    unreadable) and two files with the same fingerprint (a version that changes nothing on the
    wire).
    """

    def __init__(self, directory: Path | str | None = None) -> None:
        self._directory = Path(directory) if directory is not None else DEFAULT_SCHEMAS_DIR
        self._by_name: dict[str, tuple[StoredSchema, ...]] = {}
        self._by_fingerprint: dict[bytes, StoredSchema] = {}
        self._load()

    @property
    def directory(self) -> Path:
        """The directory the schemas were loaded from."""
        return self._directory

    def names(self) -> tuple[str, ...]:
        """Short names of every schema, sorted."""
        return tuple(sorted(self._by_name))

    def versions(self, name: str) -> tuple[StoredSchema, ...]:
        """Every stored version of `name`, oldest first."""
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(self._unknown_name(name)) from None

    def get(self, name: str, version: int | None = None) -> StoredSchema:
        """Version `version` of `name`, or the current (highest) version when it is None."""
        versions = self.versions(name)
        if version is None:
            return versions[-1]
        for stored in versions:
            if stored.version == version:
                return stored
        known = ", ".join(f"v{s.version}" for s in versions)
        raise KeyError(f"{name} has no version {version} (known: {known})")

    def current(self, name: str) -> StoredSchema:
        """The version of `name` that writers use and readers resolve to."""
        return self.versions(name)[-1]

    def by_fingerprint(self, fingerprint: bytes) -> StoredSchema | None:
        """The stored schema with this 8-byte wire fingerprint, if any."""
        return self._by_fingerprint.get(fingerprint)

    def __iter__(self) -> Iterator[StoredSchema]:
        for name in self.names():
            yield from self._by_name[name]

    def __len__(self) -> int:
        return len(self._by_fingerprint)

    def _unknown_name(self, name: str) -> str:
        return f"no schema named {name!r} in {self._directory} (known: {', '.join(self.names())})"

    def _load(self) -> None:
        if not self._directory.is_dir():
            raise ConfigurationError(
                f"schema directory {self._directory} does not exist; "
                "set GRID_SCHEMAS_DIR to the directory holding the .avsc files"
            )
        found: dict[str, list[StoredSchema]] = {}
        for path in sorted(self._directory.glob("*.avsc")):
            stored = _load_schema_file(path)
            previous = self._by_fingerprint.get(stored.fingerprint)
            if previous is not None:
                raise ConfigurationError(
                    f"{path.name} and {previous.path.name} have the same fingerprint "
                    f"{stored.fingerprint.hex()}: they are the same schema on the wire. A new "
                    "version must add a field; a doc change belongs in the existing file"
                )
            self._by_fingerprint[stored.fingerprint] = stored
            found.setdefault(stored.name, []).append(stored)
        if not found:
            raise ConfigurationError(f"no *.avsc schema files in {self._directory}")
        for name, versions in found.items():
            versions.sort(key=lambda s: s.version)
            numbers = [s.version for s in versions]
            if numbers != list(range(1, len(numbers) + 1)):
                raise ConfigurationError(
                    f"{name} versions in {self._directory} are {numbers}; they must run "
                    "1, 2, … without gaps (old versions are needed to read old messages)"
                )
            self._by_name[name] = tuple(versions)


def _load_schema_file(path: Path) -> StoredSchema:
    match = _FILE_NAME.match(path.name)
    if match is None:
        raise ConfigurationError(
            f"schema file {path} is not named <Name>.v<N>.avsc (e.g. IncidentReport.v2.avsc)"
        )
    name, version = match["name"], int(match["version"])
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigurationError(f"cannot read schema file {path}: {exc}") from exc
    if not isinstance(definition, dict) or definition.get("type") != "record":
        raise ConfigurationError(f"{path}: the top-level schema must be a record")
    expected = f"{NAMESPACE}.{name}"
    namespace = definition.get("namespace")
    declared = definition.get("name", "")
    fullname = declared if "." in declared else f"{namespace}.{declared}"
    if fullname != expected:
        raise ConfigurationError(
            f"{path} declares {fullname!r}; its file name says it must be {expected!r}"
        )
    try:
        # fastavro keeps bookkeeping keys in the parsed schema; parse a copy so `definition`
        # stays the file's JSON.
        parsed = parse_schema(copy.deepcopy(definition))
        canonical = to_parsing_canonical_form(parsed)
    except Exception as exc:  # fastavro raises several unrelated types for a bad schema
        raise ConfigurationError(f"{path} is not a valid Avro schema: {exc}") from exc
    return StoredSchema(
        name=name,
        version=version,
        fullname=fullname,
        fingerprint=parsing_fingerprint(parsed),
        canonical_form=canonical,
        definition=definition,
        parsed=parsed,
        path=path,
    )


# ---------------------------------------------------------------------------------------------
# Codec


@dataclass(frozen=True, slots=True)
class _ReadPlan:
    name: str
    version: int
    writer: Any
    reader: Any  # None when the writer is the current version: fastavro then skips resolution


@dataclass(frozen=True, slots=True)
class _WritePlan:
    header: bytes
    schema: Any
    integer_fields: tuple[tuple[str, int, int], ...]
    """Top-level plain `int`/`long` fields with their range. fastavro truncates a float written
    there and writes any Python int into an `int` (which Java readers then refuse), so these few
    are checked before writing."""


def _integer_fields(parsed: Any) -> tuple[tuple[str, int, int], ...]:
    found = []
    for f in parsed["fields"]:
        branches = f["type"] if isinstance(f["type"], list) else [f["type"]]
        for b in branches:
            kind = b if isinstance(b, str) else b.get("type") if isinstance(b, dict) else None
            if kind in ("int", "long") and not (isinstance(b, dict) and "logicalType" in b):
                low, high = _INT_RANGE if kind == "int" else _LONG_RANGE
                found.append((f["name"], low, high))
    return tuple(found)


class AvroCodec:
    """Single-object encoding of the `grid.*` topic values, resolving old versions on read."""

    def __init__(self, store: SchemaStore | None = None) -> None:
        self.store = store if store is not None else SchemaStore()
        self._write_plans: dict[str, _WritePlan] = {}
        self._read_plans: dict[bytes, _ReadPlan] = {}
        for name in self.store.names():
            current = self.store.current(name)
            self._write_plans[name] = _WritePlan(
                current.header, current.parsed, _integer_fields(current.parsed)
            )
            for stored in self.store.versions(name):
                reader = None if stored is current else current.parsed
                self._read_plans[stored.fingerprint] = _ReadPlan(
                    name, stored.version, stored.parsed, reader
                )

    @classmethod
    def from_directory(cls, directory: Path | str) -> AvroCodec:
        """A codec over the schemas of `directory` (e.g. `Settings().schemas_dir`)."""
        return cls(SchemaStore(directory))

    # -- generic -------------------------------------------------------------------------------

    def encode(self, name: str, record: Mapping[str, Any]) -> bytes:
        """Write `record` with the current version of schema `name`, single-object encoded.

        Optional fields (those with a default) may be left out; unknown keys are refused so a
        misspelt field is not dropped silently. Datetimes must be timezone-aware: fastavro
        would take a naive one as the host's local time. Raises `AvroEncodeError` naming the
        offending field's path (`reporter.id`, `photos[1].url`, `attributes['k']`).
        """
        plan = self._write_plans.get(name)
        if plan is None:
            known = ", ".join(self._write_plans)
            raise AvroEncodeError(name, "", f"no schema named {name!r} (known: {known})")
        buf = BytesIO()
        buf.write(plan.header)
        try:
            for field_name, low, high in plan.integer_fields:
                value = record.get(field_name)
                if value is not None and (type(value) is not int or not low <= value <= high):
                    raise TypeError(f"{field_name}={value!r} is not an integer in range")
            schemaless_writer(buf, plan.schema, record, strict_allow_default=True)
        except Exception as exc:  # fastavro raises TypeError/ValueError/… per bad datum
            path, detail = _explain(plan.schema, record)
            raise AvroEncodeError(name, path, detail or f"{type(exc).__name__}: {exc}") from exc
        return buf.getvalue()

    def decode(self, name: str, data: bytes) -> dict[str, Any]:
        """Read a single-object-encoded message that must be a `name`, as `name`'s current version.

        Messages written with any stored version of `name` are resolved to the current version
        (fields added since get their defaults). Timestamps come back as aware UTC datetimes.
        """
        if len(data) < HEADER_SIZE:
            raise AvroDecodeError(
                DecodeFailure.TOO_SHORT,
                f"{len(data)} bytes; a single-object message has at least {HEADER_SIZE} "
                "(2 marker bytes C3 01 and an 8-byte schema fingerprint)",
                schema_name=name,
            )
        if data[:2] != MARKER:
            raise AvroDecodeError(
                DecodeFailure.BAD_MARKER,
                f"starts with {bytes(data[:2]).hex(' ')}, not c3 01: not Avro single-object "
                "encoding (a JSON or Confluent-framed message?)",
                schema_name=name,
            )
        fingerprint = bytes(data[2:HEADER_SIZE])
        plan = self._read_plans.get(fingerprint)
        if plan is None:
            raise AvroDecodeError(
                DecodeFailure.UNKNOWN_FINGERPRINT,
                f"writer schema fingerprint {fingerprint.hex()} is not among the "
                f"{len(self._read_plans)} schemas in {self.store.directory} (written by a newer "
                "schema version this process does not have?)",
                schema_name=name,
                fingerprint=fingerprint,
            )
        if plan.name != name:
            raise AvroDecodeError(
                DecodeFailure.WRONG_SCHEMA,
                f"the message is a {plan.name} v{plan.version}, not a {name}",
                schema_name=name,
                fingerprint=fingerprint,
            )
        buf = BytesIO(data)
        buf.seek(HEADER_SIZE)
        try:
            record = schemaless_reader(buf, plan.writer, plan.reader)
        except Exception as exc:  # EOFError, UnicodeDecodeError, IndexError, … on bad bytes
            raise AvroDecodeError(
                DecodeFailure.CORRUPT_BODY,
                f"body does not parse as {plan.name} v{plan.version}: {type(exc).__name__}: {exc}",
                schema_name=name,
                fingerprint=fingerprint,
            ) from exc
        trailing = len(data) - buf.tell()
        if trailing:
            raise AvroDecodeError(
                DecodeFailure.CORRUPT_BODY,
                f"{trailing} byte(s) left over after a complete {plan.name} v{plan.version}",
                schema_name=name,
                fingerprint=fingerprint,
            )
        if not isinstance(record, dict):  # pragma: no cover - every stored schema is a record
            raise AvroDecodeError(
                DecodeFailure.CORRUPT_BODY, "body is not a record", schema_name=name
            )
        return record

    def writer_schema(self, data: bytes) -> StoredSchema | None:
        """The stored schema a message says it was written with, or None if it names none.

        For tooling (dead-letter listings) that must describe a message of unknown type.
        """
        if len(data) < HEADER_SIZE or data[:2] != MARKER:
            return None
        return self.store.by_fingerprint(bytes(data[2:HEADER_SIZE]))

    # -- typed conveniences ----------------------------------------------------------------

    def encode_report(self, report: IncidentReport) -> bytes:
        """An `IncidentReport` for `grid.reports`."""
        return self.encode(INCIDENT_REPORT, report_to_avro(report))

    def decode_report(self, data: bytes) -> IncidentReport:
        """An `IncidentReport` from `grid.reports` (any stored version)."""
        return report_from_avro(self.decode(INCIDENT_REPORT, data))

    def encode_work_order(self, order: WorkOrder) -> bytes:
        """A `WorkOrder` for `grid.dispatch.<level>`."""
        return self.encode(WORK_ORDER, work_order_to_avro(order))

    def decode_work_order(self, data: bytes) -> WorkOrder:
        """A `WorkOrder` from `grid.dispatch.<level>` (any stored version)."""
        return work_order_from_avro(self.decode(WORK_ORDER, data))

    def encode_state_change(self, change: StateChange) -> bytes:
        """A `StateChange` for `grid.events.state` (schema `EventStateChange`)."""
        return self.encode(EVENT_STATE_CHANGE, state_change_to_avro(change))

    def decode_state_change(self, data: bytes) -> StateChange:
        """A `StateChange` from `grid.events.state` (any stored version)."""
        return state_change_from_avro(self.decode(EVENT_STATE_CHANGE, data))

    def encode_action(self, action: Mapping[str, Any]) -> bytes:
        """A `DispositionAction` dict (fields as in the schema) for `grid.actions`."""
        return self.encode(DISPOSITION_ACTION, action)

    def decode_action(self, data: bytes) -> dict[str, Any]:
        """A `DispositionAction` dict from `grid.actions` (any stored version)."""
        return self.decode(DISPOSITION_ACTION, data)


# ---------------------------------------------------------------------------------------------
# Explaining encode failures (slow path only: runs after fastavro has refused a record)

_MISSING: Final = object()


def _explain(schema: Any, datum: Any) -> tuple[str, str | None]:
    """The path and reason of the first part of `datum` that does not fit `schema`."""
    named: dict[str, Any] = {}
    _collect_named(schema, named)
    found = _first_problem(schema, datum, "", named)
    return found if found is not None else ("", None)


def _collect_named(schema: Any, named: dict[str, Any]) -> None:
    if isinstance(schema, list):
        for branch in schema:
            _collect_named(branch, named)
    elif isinstance(schema, dict):
        kind = schema.get("type")
        if kind in ("record", "error", "enum", "fixed") and "name" in schema:
            named[schema["name"]] = schema
        for f in schema.get("fields", ()):
            _collect_named(f["type"], named)
        for key in ("items", "values"):
            if key in schema:
                _collect_named(schema[key], named)


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _first_problem(
    schema: Any, datum: Any, path: str, named: dict[str, Any]
) -> tuple[str, str] | None:
    if isinstance(schema, list):
        return _union_problem(schema, datum, path, named)
    if isinstance(schema, str):
        if schema in named:
            return _first_problem(named[schema], datum, path, named)
        return _primitive_problem(schema, datum, path)
    kind = schema["type"]
    if kind in ("record", "error"):
        if not isinstance(datum, Mapping):
            return path, f"expected a record (a mapping), got {type(datum).__name__}"
        fields = schema["fields"]
        known = {f["name"] for f in fields}
        for f in fields:
            value = datum.get(f["name"], _MISSING)
            if value is _MISSING:
                if "default" in f:
                    continue
                return _child(path, f["name"]), "required field is missing"
            found = _first_problem(f["type"], value, _child(path, f["name"]), named)
            if found is not None:
                return found
        extra = sorted(str(k) for k in datum if k not in known)
        if extra:
            return _child(path, extra[0]), "no such field in the schema"
        return None
    if kind == "array":
        if not isinstance(datum, list | tuple):
            return path, f"expected an array (list), got {type(datum).__name__}"
        for i, item in enumerate(datum):
            found = _first_problem(schema["items"], item, f"{path}[{i}]", named)
            if found is not None:
                return found
        return None
    if kind == "map":
        if not isinstance(datum, Mapping):
            return path, f"expected a map (a mapping), got {type(datum).__name__}"
        for key, value in datum.items():
            if not isinstance(key, str):
                return f"{path}[{key!r}]", f"map keys must be strings, got {type(key).__name__}"
            found = _first_problem(schema["values"], value, f"{path}[{key!r}]", named)
            if found is not None:
                return found
        return None
    if kind == "enum":
        if datum not in schema["symbols"]:
            return path, f"{datum!r} is not one of {schema['symbols']}"
        return None
    if kind == "fixed":
        if not isinstance(datum, bytes) or len(datum) != schema["size"]:
            return path, f"expected {schema['size']} bytes"
        return None
    logical = schema.get("logicalType")
    if logical in ("timestamp-millis", "timestamp-micros") and isinstance(datum, datetime):
        return None
    return _primitive_problem(kind, datum, path)


def _union_problem(
    branches: list[Any], datum: Any, path: str, named: dict[str, Any]
) -> tuple[str, str] | None:
    problems = [_first_problem(b, datum, path, named) for b in branches]
    if any(p is None for p in problems):
        return None
    non_null = [p for b, p in zip(branches, problems, strict=True) if b != "null"]
    if len(non_null) == 1:
        # An optional field: the interesting problem is the one inside its only real type.
        return non_null[0]
    return path, f"{type(datum).__name__} value matches none of the union's types"


def _primitive_problem(kind: str, datum: Any, path: str) -> tuple[str, str] | None:
    ok: bool
    if kind == "null":
        ok = datum is None
    elif kind == "boolean":
        ok = isinstance(datum, bool)
    elif kind in ("int", "long"):
        low, high = _INT_RANGE if kind == "int" else _LONG_RANGE
        if isinstance(datum, int) and not isinstance(datum, bool) and not low <= datum <= high:
            return path, f"{datum} is out of range for an Avro {kind}"
        ok = isinstance(datum, int) and not isinstance(datum, bool)
    elif kind in ("float", "double"):
        ok = isinstance(datum, int | float) and not isinstance(datum, bool)
    elif kind == "string":
        if isinstance(datum, str):
            try:
                datum.encode("utf-8")
            except UnicodeEncodeError as exc:
                return path, f"not encodable as UTF-8: {exc.reason} at {exc.start}"
            return None
        ok = False
    elif kind == "bytes":
        ok = isinstance(datum, bytes | bytearray)
    else:
        return path, f"unsupported schema type {kind!r}"
    if ok:
        return None
    if datum is None:
        return path, f"must not be null (expected {kind})"
    return path, f"expected {kind}, got {type(datum).__name__}"


# ---------------------------------------------------------------------------------------------
# Domain <-> Avro dicts

_E = TypeVar("_E", bound=StrEnum)
_MEMBERS: Final[dict[type[StrEnum], dict[str, StrEnum]]] = {
    enum: {m.value: m for m in enum} for enum in (Level, Severity, State)
}


def _utc(value: datetime, path: str, schema_name: str) -> datetime:
    # fastavro reads a naive datetime as the host's local time; refuse it rather than shift it.
    if value.tzinfo is None or value.utcoffset() is None:
        raise AvroEncodeError(
            schema_name, path, "naive datetime; grid_router uses timezone-aware UTC datetimes"
        )
    return value


def _opt_utc(value: datetime | None, path: str, schema_name: str) -> datetime | None:
    return None if value is None else _utc(value, path, schema_name)


def _code(enum: type[_E], value: str, path: str, schema_name: str) -> _E:
    # A dict lookup: calling the enum class costs ~10x more, and this runs per decoded message.
    member = _MEMBERS[enum].get(value)
    if member is None:
        known = ", ".join(m.value for m in enum)
        raise AvroDecodeError(
            DecodeFailure.INVALID_VALUE,
            f"{path}={value!r} is not a known {enum.__name__} ({known})",
            schema_name=schema_name,
        )
    return member  # type: ignore[return-value]


def _opt_code(enum: type[_E], value: str | None, path: str, schema_name: str) -> _E | None:
    return None if value is None else _code(enum, value, path, schema_name)


def _malformed(schema_name: str, exc: Exception) -> AvroDecodeError:
    return AvroDecodeError(
        DecodeFailure.INVALID_VALUE,
        f"record does not map onto the domain: {type(exc).__name__}: {exc}",
        schema_name=schema_name,
    )


def _event_id(value: str) -> str:
    if not _EVENT_ID.match(value):
        raise AvroDecodeError(
            DecodeFailure.INVALID_VALUE,
            f"event_id={value[:80]!r} is not an event id (letters, digits and _.:-, at most 64)",
            schema_name=INCIDENT_REPORT,
        )
    return value


_EVENT_ID: Final = re.compile(EVENT_ID_PATTERN)


def _point(lat: float, lon: float) -> GeoPoint:
    # A point off the globe (or NaN) would fail the distance arithmetic of a whole batch later.
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise AvroDecodeError(
            DecodeFailure.INVALID_VALUE,
            f"location=({lat!r}, {lon!r}) is not a WGS-84 point (lat -90..90, lon -180..180)",
            schema_name=INCIDENT_REPORT,
        )
    return GeoPoint(lat=lat, lon=lon)


def report_to_avro(report: IncidentReport) -> dict[str, Any]:
    """The Avro `IncidentReport` dict of a domain report. Sub-millisecond time is dropped."""
    r = report.reporter
    loc = report.location
    return {
        "event_id": report.event_id,
        "reported_at": _utc(report.reported_at, "reported_at", INCIDENT_REPORT),
        "source": str(report.source),
        "reporter": {"id": r.id, "role": r.role, "name": r.name, "phone": r.phone},
        "description": report.description,
        "title": report.title,
        "category_code": report.category_code,
        "subcategory_code": report.subcategory_code,
        "severity_hint": report.severity_hint,
        "grid_code": report.grid_code,
        "community_code": report.community_code,
        "address": report.address,
        "photos": [{"url": p.url, "sha256": p.sha256} for p in report.photos],
        "external_ref": report.external_ref,
        "attributes": dict(report.attributes),
        "location": None if loc is None else {"lat": loc.lat, "lon": loc.lon},
    }


def report_from_avro(record: Mapping[str, Any]) -> IncidentReport:
    """The domain report of an Avro `IncidentReport` dict (as `AvroCodec.decode` returns it)."""
    try:
        r = record["reporter"]
        loc = record.get("location")
        return IncidentReport(
            event_id=_event_id(record["event_id"]),
            reported_at=record["reported_at"],
            source=record["source"],
            reporter=Reporter(id=r["id"], role=r["role"], name=r.get("name"), phone=r.get("phone")),
            description=record["description"],
            title=record.get("title"),
            category_code=record.get("category_code"),
            subcategory_code=record.get("subcategory_code"),
            severity_hint=record.get("severity_hint"),
            grid_code=record.get("grid_code"),
            community_code=record.get("community_code"),
            address=record.get("address"),
            location=None if loc is None else _point(loc["lat"], loc["lon"]),
            photos=tuple(Photo(url=p["url"], sha256=p.get("sha256")) for p in record["photos"]),
            external_ref=record.get("external_ref"),
            attributes=dict(record.get("attributes") or {}),
        )
    except (KeyError, TypeError) as exc:
        raise _malformed(INCIDENT_REPORT, exc) from exc


def work_order_to_avro(order: WorkOrder) -> dict[str, Any]:
    """The Avro `WorkOrder` dict of a domain work order. Sub-millisecond time is dropped."""
    d = order.deadlines
    return {
        "work_order_id": order.work_order_id,
        "event_id": order.event_id,
        "version": order.version,
        "level": order.level.value,
        "unit_code": order.unit_code,
        "unit_name": order.unit_name,
        "department": order.department,
        "category_code": order.category_code,
        "category_name": order.category_name,
        "subcategory_code": order.subcategory_code,
        "severity": order.severity.value,
        "reason": order.reason,
        "kind": order.kind,
        "description": order.description,
        "title": order.title,
        "address": order.address,
        "grid_code": order.grid_code,
        "community_code": order.community_code,
        "street_code": order.street_code,
        "district_code": order.district_code,
        "source": str(order.source),
        "external_ref": order.external_ref,
        "created_at": _utc(order.created_at, "created_at", WORK_ORDER),
        "deadlines": {
            "sign_by": _opt_utc(d.sign_by, "deadlines.sign_by", WORK_ORDER),
            "handle_by": _opt_utc(d.handle_by, "deadlines.handle_by", WORK_ORDER),
            "verify_by": _opt_utc(d.verify_by, "deadlines.verify_by", WORK_ORDER),
        },
        "escalated_from_level": (
            None if order.escalated_from_level is None else order.escalated_from_level.value
        ),
        "escalated_from_unit": order.escalated_from_unit,
        "report_count": order.report_count,
        "needs_triage": order.needs_triage,
    }


def work_order_from_avro(record: Mapping[str, Any]) -> WorkOrder:
    """The domain work order of an Avro `WorkOrder` dict.

    Raises `AvroDecodeError` (`invalid_value`) for a level or grade this version of the domain
    does not know: the schema carries them as open strings, the domain as closed enums.
    """
    try:
        d = record["deadlines"]
        return WorkOrder(
            work_order_id=record["work_order_id"],
            event_id=record["event_id"],
            version=record["version"],
            level=_code(Level, record["level"], "level", WORK_ORDER),
            unit_code=record["unit_code"],
            unit_name=record["unit_name"],
            department=record.get("department"),
            category_code=record["category_code"],
            category_name=record["category_name"],
            subcategory_code=record.get("subcategory_code"),
            severity=_code(Severity, record["severity"], "severity", WORK_ORDER),
            reason=record["reason"],
            kind=record["kind"],
            description=record["description"],
            title=record.get("title"),
            address=record.get("address"),
            grid_code=record.get("grid_code"),
            community_code=record.get("community_code"),
            street_code=record.get("street_code"),
            district_code=record.get("district_code"),
            source=record["source"],
            external_ref=record.get("external_ref"),
            created_at=record["created_at"],
            deadlines=Deadlines(
                sign_by=d.get("sign_by"),
                handle_by=d.get("handle_by"),
                verify_by=d.get("verify_by"),
            ),
            escalated_from_level=_opt_code(
                Level, record.get("escalated_from_level"), "escalated_from_level", WORK_ORDER
            ),
            escalated_from_unit=record.get("escalated_from_unit"),
            report_count=record["report_count"],
            needs_triage=record.get("needs_triage", False),
        )
    except (KeyError, TypeError) as exc:
        raise _malformed(WORK_ORDER, exc) from exc


def state_change_to_avro(change: StateChange) -> dict[str, Any]:
    """The Avro `EventStateChange` dict of a domain state change."""
    return {
        "event_id": change.event_id,
        "version": change.version,
        "state": change.state.value,
        "previous_state": None if change.previous_state is None else change.previous_state.value,
        "action": change.action,
        "actor": change.actor,
        "level": change.level.value,
        "unit_code": change.unit_code,
        "category_code": change.category_code,
        "severity": change.severity.value,
        "at": _utc(change.at, "at", EVENT_STATE_CHANGE),
        "reason": change.reason,
    }


def state_change_from_avro(record: Mapping[str, Any]) -> StateChange:
    """The domain state change of an Avro `EventStateChange` dict.

    Raises `AvroDecodeError` (`invalid_value`) for a state, level or grade the domain does not
    know.
    """
    name = EVENT_STATE_CHANGE
    try:
        return StateChange(
            event_id=record["event_id"],
            version=record["version"],
            state=_code(State, record["state"], "state", name),
            previous_state=_opt_code(State, record.get("previous_state"), "previous_state", name),
            action=record["action"],
            actor=record["actor"],
            level=_code(Level, record["level"], "level", name),
            unit_code=record["unit_code"],
            category_code=record["category_code"],
            severity=_code(Severity, record["severity"], "severity", name),
            at=record["at"],
            reason=record.get("reason"),
        )
    except (KeyError, TypeError) as exc:
        raise _malformed(name, exc) from exc
