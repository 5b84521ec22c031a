"""Every schema under `schemas/` stays readable across versions (DESIGN §5, schemas/README.md).

Generic over the directory: a new `<Name>.v<N>.avsc` is checked without touching this file,
except that its fingerprint should be added to RELEASED once it is published.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import pytest
from fastavro import parse_schema, schemaless_reader, schemaless_writer

from grid_router.adapters.avro import AvroCodec, SchemaStore, StoredSchema

STORE = SchemaStore()
CODEC = AvroCodec(STORE)

PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})

# Fingerprints (wire order, hex) of published versions. Messages in Kafka name their schema by
# these; a released file whose structure changes would make them unreadable.
RELEASED = {
    ("DispositionAction", 1): "b72a5bb051ea5d65",
    ("DispositionAction", 2): "b958563c9977e80f",
    ("DispositionAction", 3): "56a3c2c7d30247b2",
    ("EventStateChange", 1): "522e24f77b7d98f9",
    ("IncidentReport", 1): "dc3937ce73515ab8",
    ("IncidentReport", 2): "41506d125dd79d46",
    ("WorkOrder", 1): "9929af6150ca822d",
}


def _pairs() -> list[tuple[StoredSchema, StoredSchema]]:
    """Every (older, newer) pair of versions of one name."""
    pairs: list[tuple[StoredSchema, StoredSchema]] = []
    for name in STORE.names():
        pairs.extend(itertools.combinations(STORE.versions(name), 2))
    return pairs


def _pair_id(pair: tuple[StoredSchema, StoredSchema]) -> str:
    old, new = pair
    return f"{old.name}.v{old.version}-v{new.version}"


ALL = list(STORE)
PAIRS = _pairs()


# --- sample records generated from a schema ---------------------------------------------------


def sample(schema: Any, *, fill: bool, path: str = "", named: dict[str, Any] | None = None) -> Any:
    """A valid datum for `schema`: optional values set (`fill`) or left null/empty."""
    named = {} if named is None else named
    if isinstance(schema, list):
        branches = [b for b in schema if b != "null"]
        if not fill and len(branches) < len(schema):
            return None
        return sample(branches[0], fill=fill, path=path, named=named)
    if isinstance(schema, str):
        if schema in named:
            return sample(named[schema], fill=fill, path=path, named=named)
        return _primitive_sample(schema, path)
    kind = schema["type"]
    if kind == "record":
        named[schema["name"]] = schema
        return {
            f["name"]: sample(f["type"], fill=fill, path=f"{path}.{f['name']}", named=named)
            for f in schema["fields"]
        }
    if kind == "array":
        return [sample(schema["items"], fill=fill, path=f"{path}[0]", named=named)] if fill else []
    if kind == "map":
        return (
            {"键": sample(schema["values"], fill=fill, path=f"{path}[键]", named=named)}
            if fill
            else {}
        )
    if kind == "enum":
        return schema["symbols"][0]
    if schema.get("logicalType") == "timestamp-millis":
        return datetime(2025, 5, 1, 8, 30, 15, 250000, tzinfo=UTC)
    return _primitive_sample(kind, path)


def _primitive_sample(kind: str, path: str) -> Any:
    return {
        "null": None,
        "boolean": True,
        "int": 7,
        "long": 2**40 + 3,
        "float": 1.5,
        "double": 24.4547,
        "bytes": path.encode(),
        "string": f"{path}·网格",
    }[kind]


def _write(stored: StoredSchema, datum: Any) -> bytes:
    buf = BytesIO()
    schemaless_writer(buf, stored.parsed, datum)
    return buf.getvalue()


def _read(data: bytes, writer: StoredSchema, reader: StoredSchema) -> Any:
    return schemaless_reader(BytesIO(data), writer.parsed, reader.parsed)


def _expected(datum: Any, writer_type: Any, reader_type: Any) -> Any:
    """What a reader with `reader_type` should get for `datum` written with `writer_type`:
    the common fields unchanged, fields only the reader has at their default."""
    if isinstance(reader_type, list) and isinstance(writer_type, list):
        if datum is None:
            return None
        w = next(b for b in writer_type if b != "null")
        r = next(b for b in reader_type if b != "null")
        return _expected(datum, w, r)
    if isinstance(reader_type, dict) and reader_type.get("type") == "record":
        writer_fields = {f["name"]: f for f in writer_type["fields"]}
        out = {}
        for f in reader_type["fields"]:
            source = writer_fields.get(f["name"]) or next(
                (writer_fields[a] for a in f.get("aliases", []) if a in writer_fields), None
            )
            if source is None:
                out[f["name"]] = f["default"]
            else:
                out[f["name"]] = _expected(datum[source["name"]], source["type"], f["type"])
        return out
    if isinstance(reader_type, dict) and reader_type.get("type") == "array":
        return [_expected(x, writer_type["items"], reader_type["items"]) for x in datum]
    if isinstance(reader_type, dict) and reader_type.get("type") == "map":
        return {
            k: _expected(v, writer_type["values"], reader_type["values"]) for k, v in datum.items()
        }
    return datum


@pytest.mark.parametrize("fill", [True, False], ids=["optional-set", "optional-null"])
@pytest.mark.parametrize("pair", PAIRS, ids=_pair_id)
def test_new_version_reads_data_of_every_older_version(
    pair: tuple[StoredSchema, StoredSchema], fill: bool
) -> None:
    old, new = pair
    datum = sample(old.definition, fill=fill)
    expected = _expected(datum, old.definition, new.definition)
    assert _read(_write(old, datum), old, new) == expected
    if new is STORE.current(new.name):
        # The codec itself resolves old messages to the current version.
        assert CODEC.decode(new.name, old.header + _write(old, datum)) == expected


@pytest.mark.parametrize("fill", [True, False], ids=["optional-set", "optional-null"])
@pytest.mark.parametrize("pair", PAIRS, ids=_pair_id)
def test_old_version_reads_data_of_every_newer_version(
    pair: tuple[StoredSchema, StoredSchema], fill: bool
) -> None:
    # Dispatch centres upgrade on their own schedule: an old reader must skip new fields.
    old, new = pair
    datum = sample(new.definition, fill=fill)
    assert _read(_write(new, datum), new, old) == _expected(datum, new.definition, old.definition)


@pytest.mark.parametrize("fill", [True, False], ids=["optional-set", "optional-null"])
@pytest.mark.parametrize("stored", ALL, ids=lambda s: f"{s.name}.v{s.version}")
def test_every_version_round_trips_its_own_sample(stored: StoredSchema, fill: bool) -> None:
    datum = sample(stored.definition, fill=fill)
    assert _read(_write(stored, datum), stored, stored) == datum


# --- structural rule: a new version only adds fields with defaults ----------------------------


def compatibility_problems(old: Any, new: Any, path: str = "") -> list[str]:
    """Why `new` is not `old` plus defaulted fields; empty when it is."""
    old, new = _simplify(old), _simplify(new)
    if isinstance(old, str) or isinstance(new, str):
        return [] if old == new else [f"{path or '<root>'}: type changed from {old} to {new}"]
    if isinstance(old, list) or isinstance(new, list):
        if not (isinstance(old, list) and isinstance(new, list)) or len(old) != len(new):
            return [f"{path}: type changed from {_show(old)} to {_show(new)}"]
        return [
            p for o, n in zip(old, new, strict=True) for p in compatibility_problems(o, n, path)
        ]
    kind = old["type"]
    if kind != new["type"]:
        return [f"{path}: type changed from {_show(old)} to {_show(new)}"]
    if kind == "record":
        if old["name"] != new["name"]:
            return [f"{path}: record renamed from {old['name']} to {new['name']}"]
        return _field_problems(old, new, path)
    if kind == "array":
        return compatibility_problems(old["items"], new["items"], f"{path}[]")
    if kind == "map":
        return compatibility_problems(old["values"], new["values"], f"{path}{{}}")
    if kind == "enum" and old["symbols"] != new["symbols"]:
        return [f"{path}: enum symbols changed"]
    if kind == "fixed" and old["size"] != new["size"]:
        return [f"{path}: fixed size changed"]
    if old.get("logicalType") != new.get("logicalType"):
        return [f"{path}: logicalType changed from {_show(old)} to {_show(new)}"]
    return []


def _field_problems(old: dict[str, Any], new: dict[str, Any], path: str) -> list[str]:
    problems = []
    by_name = {f["name"]: f for f in new["fields"]}
    by_alias = {a: f for f in new["fields"] for a in f.get("aliases", ())}
    carried = set()
    for of in old["fields"]:
        where = f"{path}.{of['name']}" if path else of["name"]
        nf = by_name.get(of["name"]) or by_alias.get(of["name"])
        if nf is None:
            problems.append(f"{where}: removed (keep it, or rename it with an alias)")
            continue
        carried.add(nf["name"])
        problems.extend(compatibility_problems(of["type"], nf["type"], where))
    for nf in new["fields"]:
        if nf["name"] not in carried and "default" not in nf:
            where = f"{path}.{nf['name']}" if path else nf["name"]
            problems.append(f"{where}: added without a default")
    return problems


def _simplify(t: Any) -> Any:
    """`{"type": "string"}` is `"string"`; docs and defaults are not part of a type."""
    if isinstance(t, dict) and t.get("type") in PRIMITIVES and "logicalType" not in t:
        return t["type"]
    return t


def _show(t: Any) -> str:
    if isinstance(t, dict):
        return str({k: v for k, v in t.items() if k in ("type", "name", "logicalType")})
    return str(t)


@pytest.mark.parametrize("pair", PAIRS, ids=_pair_id)
def test_new_version_only_adds_fields_with_defaults(
    pair: tuple[StoredSchema, StoredSchema],
) -> None:
    old, new = pair
    assert compatibility_problems(old.definition, new.definition) == []


def _record(*fields: dict[str, Any], name: str = "R") -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields)}


def _nested(*fields: dict[str, Any]) -> dict[str, Any]:
    return _record({"name": "inner", "type": _record(*fields, name="Inner")})


A = {"name": "a", "type": "string"}
OPT_B = {"name": "b", "type": ["null", "string"], "default": None}


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (_record(A), _record(A, OPT_B), None),
        (_record(A), _record(A, {"name": "b", "type": "string"}), "b: added without a default"),
        (_record(A), _record({"name": "a", "type": "long"}), "a: type changed"),
        (_record(A), _record({"name": "a", "type": ["null", "string"]}), "a: type changed"),
        (_record(A, OPT_B), _record(A), "b: removed"),
        (_record(A), _record({"name": "a2", "type": "string", "aliases": ["a"]}), None),
        (_record(A), _record({"name": "a", "type": {"type": "string"}, "doc": "x"}), None),
        (_nested(A), _nested(A, {"name": "c", "type": "int"}), "inner.c: added without"),
        (_nested(A), _nested({"name": "a", "type": "bytes"}), "inner.a: type changed"),
        (
            _record({"name": "t", "type": {"type": "long", "logicalType": "timestamp-millis"}}),
            _record({"name": "t", "type": {"type": "long", "logicalType": "timestamp-micros"}}),
            "t: logicalType changed",
        ),
    ],
)
def test_the_structural_check_catches_what_it_must(old: Any, new: Any, problem: str | None) -> None:
    # The checker is itself code: prove it fails on each kind of incompatible change.
    problems = compatibility_problems(old, new)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1
        assert problems[0].startswith(problem)
    if problem is None:
        # A change the checker accepts must also be accepted by Avro resolution.
        buf = BytesIO()
        schemaless_writer(buf, parse_schema(old), sample(old, fill=True))
        schemaless_reader(BytesIO(buf.getvalue()), parse_schema(old), parse_schema(new))


# --- conventions ---------------------------------------------------------------------------


def _walk(schema: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (path, schema node) in a schema, records' fields included."""
    yield path, schema
    if isinstance(schema, list):
        for branch in schema:
            yield from _walk(branch, path)
    elif isinstance(schema, dict):
        for f in schema.get("fields", ()):
            yield from _walk(f["type"], f"{path}.{f['name']}" if path else f["name"])
        for key in ("items", "values"):
            if key in schema:
                yield from _walk(schema[key], f"{path}[]")


def _fields(schema: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, node in _walk(schema):
        if isinstance(node, dict) and node.get("type") == "record":
            for f in node["fields"]:
                yield (f"{path}.{f['name']}" if path else f["name"]), f


@pytest.mark.parametrize("stored", ALL, ids=lambda s: f"{s.name}.v{s.version}")
def test_every_record_and_field_has_a_doc(stored: StoredSchema) -> None:
    missing = [p for p, f in _fields(stored.definition) if not str(f.get("doc", "")).strip()]
    records = [
        p or stored.name
        for p, node in _walk(stored.definition)
        if isinstance(node, dict) and node.get("type") == "record"
        if not str(node.get("doc", "")).strip()
    ]
    assert missing == [], f"fields without a doc in {stored.path.name}"
    assert records == [], f"records without a doc in {stored.path.name}"


@pytest.mark.parametrize("stored", ALL, ids=lambda s: f"{s.name}.v{s.version}")
def test_conventions(stored: StoredSchema) -> None:
    assert stored.definition["namespace"] == "cn.xiamen.grid"
    for path, node in _walk(stored.definition):
        # Codes are open strings: an Avro enum would fail every reader on a new code.
        assert not (isinstance(node, dict) and node.get("type") == "enum"), path
        if isinstance(node, dict) and "logicalType" in node:
            assert node == {"type": "long", "logicalType": "timestamp-millis"}, path
    for path, f in _fields(stored.definition):
        if isinstance(f["type"], list) and "null" in f["type"]:
            assert f["type"][0] == "null", f"{path}: optional fields are [null, T]"
            assert "default" in f, f"{path}: optional fields default to null"
            assert f["default"] is None, f"{path}: optional fields default to null"


@pytest.mark.parametrize("key", sorted(RELEASED), ids=lambda k: f"{k[0]}.v{k[1]}")
def test_released_versions_keep_their_fingerprint(key: tuple[str, int]) -> None:
    name, version = key
    stored = STORE.get(name, version)
    assert stored.fingerprint.hex() == RELEASED[key], (
        f"{stored.path.name} changed on the wire; old messages name the old fingerprint. "
        "Put the change in a new version file instead."
    )


def test_every_version_but_the_newest_is_pinned() -> None:
    # A version that is not current has been superseded, so it has been released.
    unpinned = [
        f"{s.name}.v{s.version}"
        for s in STORE
        if s is not STORE.current(s.name) and (s.name, s.version) not in RELEASED
    ]
    assert unpinned == [], "add the fingerprints of these released versions to RELEASED"
