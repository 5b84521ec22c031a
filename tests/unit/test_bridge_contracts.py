"""The bridges' HTTP contracts (docs/bridges/*.yaml): valid OpenAPI 3.1, and what grid_router's
bridge adapter really sends conforms to them.

Deliveries are made by the real adapter (`Bridging`, with the bundled policy's rules) from real
decisions: reports filed by the router's own `decide`/`file_report` on the bundled Xiamen
organisation, then moved through their lives by `act` (dispatch centres' actions) and `fire`
(SLA timers). Every delivery's payload must validate against the request-body schema of the
path it goes to, and every bridge must have sent every kind of change its rule carries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import unquote

import pytest
import yaml
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec
from pydantic import BaseModel

from grid_router.adapters.org_data import load_default_organisation
from grid_router.bridges_reference import BRIDGES, SECRET_ENV, URL_ENV
from grid_router.domain.classify import Classifier
from grid_router.domain.clocks import Card, ClockSettings, SlaTerms, Timer
from grid_router.domain.disposition import ActionRequest, Change, Context, Incident, act, fire
from grid_router.domain.filing import (
    Filed,
    Regrade,
    decide,
    file_report,
    merge_report,
    regrade,
    with_clocks,
)
from grid_router.domain.model import IncidentReport, Reporter, Severity
from grid_router.domain.sla import SlaStage, WorkingCalendar
from grid_router.domain.workflow import Actor
from grid_router.entrypoints.api.bridges_inbound import (
    CallbackAccepted,
    CaseAccepted,
    StatusAccepted,
    TicketAccepted,
)
from grid_router.policy.load import load_default_policy
from grid_router.policy.taxonomy import load_default_taxonomy
from grid_router.service.bridging import Bridging
from grid_router.service.citymgmt_cases import CaseIn, StatusIn
from grid_router.service.hotline_tickets import CallbackIn, TicketIn
from grid_router.settings import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs" / "bridges"
DOCUMENTS = ("hotline-12345", "citymgmt", "public-safety", "grid-router-inbound")

# The document of each far side, and so of each bridge of the policy.
FAR_SIDE_DOCUMENT = {
    "hotline": "hotline-12345",
    "citymgmt": "citymgmt",
    "public-safety": "public-safety",
}
DOCUMENT_OF = {bridge: FAR_SIDE_DOCUMENT[f] for f, bridges in BRIDGES.items() for bridge in bridges}

NOW = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)  # Friday 09:30 in Xiamen
ORG = load_default_organisation()
TAXONOMY = load_default_taxonomy()
CLASSIFIER = Classifier(TAXONOMY, place_names=[u.name for u in ORG])
POLICY = load_default_policy()
CTX = Context(ORG, POLICY.routing.departments, ClockSettings(WorkingCalendar()))
BRIDGING = Bridging(POLICY.bridges, TAXONOMY)
CITY = "350200"
VERIFIER = Actor("verifier", CITY, "v-1")


def load(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((DOCS / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


# --- the documents ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_document_is_valid_openapi_3_1(name: str) -> None:
    document = load(name)
    assert document["openapi"].startswith("3.1")
    validate_spec(document)


def _schemas(node: Any) -> Iterator[dict[str, Any]]:
    """Every object schema in `node`, however deep."""
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield node
        for value in node.values():
            yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_object_schema_is_closed_and_every_field_described(name: str) -> None:
    """grid_router defines every shape here: no field beyond those written down, and each says
    what it is, in English with the Chinese term."""
    document = load(name)
    for schema in _schemas(document["components"]["schemas"]):
        assert schema.get("additionalProperties") is False, schema
    for schema_name, schema in document["components"]["schemas"].items():
        for field, spec in schema.get("properties", {}).items():
            text = spec.get("description", "")
            assert re.search(r"[a-z]", text), f"{schema_name}.{field}: no English description"
            assert re.search(r"[\u4e00-\u9fff]", text), f"{schema_name}.{field}: no 中文"


def test_the_ticket_schema_is_the_same_on_both_sides() -> None:
    """The pull API lists tickets in the very shape the webhook takes."""
    hotline = load("hotline-12345")["components"]["schemas"]["Ticket"]
    inbound = load("grid-router-inbound")["components"]["schemas"]["Ticket"]
    assert hotline == inbound


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_example_conforms_to_its_schema(name: str) -> None:
    document = load(name)
    for path, method, operation in _operations(document):
        body = operation.get("requestBody")
        if body is None:
            continue
        content = body["content"]["application/json"]
        errors = list(request_validator(document, operation).iter_errors(content["example"]))
        assert not errors, f"{method.upper()} {path}: " + "; ".join(e.message for e in errors)


INBOUND_MODELS: list[tuple[str, type[BaseModel]]] = [
    ("Ticket", TicketIn),
    ("Callback", CallbackIn),
    ("CitymgmtCase", CaseIn),
    ("CaseStatus", StatusIn),
    ("TicketAccepted", TicketAccepted),
    ("CallbackAccepted", CallbackAccepted),
    ("CaseAccepted", CaseAccepted),
    ("StatusAccepted", StatusAccepted),
]


@pytest.mark.parametrize(("schema_name", "model"), INBOUND_MODELS)
def test_the_inbound_document_is_what_the_webhooks_take_and_answer(
    schema_name: str, model: type[BaseModel]
) -> None:
    """grid_router's webhooks (entrypoints/api/bridges_inbound.py) and the inbound document
    name the same fields, require the same ones, and allow the same values of a list."""
    schema = load("grid-router-inbound")["components"]["schemas"][schema_name]
    fields = model.model_fields
    assert set(schema["properties"]) == set(fields)
    assert set(schema.get("required", [])) == {n for n, f in fields.items() if f.is_required()}
    generated = model.model_json_schema()["properties"]
    for name, spec in schema["properties"].items():
        if "enum" in spec:
            assert set(spec["enum"]) == set(_enum_of(generated[name])), name


def _enum_of(spec: dict[str, Any]) -> list[Any]:
    if "enum" in spec:
        return list(spec["enum"])
    if "const" in spec:
        return [spec["const"]]
    return [v for option in spec.get("anyOf", []) for v in _enum_of(option)]


def test_the_inbound_examples_are_taken_by_the_webhooks_models() -> None:
    document = load("grid-router-inbound")
    models = dict(INBOUND_MODELS)
    for _, _, operation in _operations(document):
        content = operation["requestBody"]["content"]["application/json"]
        name = content["schema"]["$ref"].rsplit("/", 1)[-1]
        models[name].model_validate(content["example"])


def test_the_reference_far_sides_match_the_policy() -> None:
    """Every bridge of the bundled policy has a far side and a document; the reference server
    reads the secrets (and grid_router the URLs) from the variables the policy names."""
    assert set(DOCUMENT_OF) == {r.name for r in POLICY.bridges}
    for far_side, bridges in BRIDGES.items():
        for bridge in bridges:
            endpoint = POLICY.endpoints[bridge]
            assert endpoint.secret_env == SECRET_ENV[far_side]
            assert endpoint.url_env == URL_ENV[far_side]


# --- what the adapter sends ---------------------------------------------------------------------


def report(**fields: Any) -> IncidentReport:
    base: dict[str, Any] = {
        "event_id": "e-1",
        "reported_at": NOW,
        "source": "GRID_APP",
        "reporter": Reporter(id="GW-1"),
        "description": "小区门口垃圾满溢，无人清运",
        "grid_code": "350206002008005",  # 高殿社区, 殿前街道, 湖里区
    }
    base.update(fields)
    return IncidentReport(**base)


def filed(r: IncidentReport) -> Filed:
    decided = decide(r, ORG, CLASSIFIER, POLICY.routing)
    terms = SlaTerms(POLICY.sla.policy(decided.route.sla), POLICY.sla.extensions, POLICY.version)
    return with_clocks(file_report(r, decided, NOW), terms, CTX.clocks, NOW)


def incident(f: Filed) -> tuple[Incident, tuple[Timer, ...]]:
    """The incident as the router stores it once `f` is filed, and its running clocks."""
    r, c, wo = f.report, f.classification, f.lead
    assert f.sla is not None
    return (
        Incident(
            event_id=r.event_id,
            version=f.version,
            state=f.state_change.state,
            level=f.level,
            unit_code=f.assignee.unit_code,
            unit_name=f.assignee.unit_name,
            department=f.assignee.department,
            category_code=c.category_code,
            category_name=c.category_name,
            subcategory_code=c.subcategory_code,
            severity=c.severity,
            description=r.description,
            title=r.title,
            address=r.address,
            grid_code=f.location.grid_code,
            community_code=wo.community_code,
            street_code=wo.street_code,
            district_code=wo.district_code,
            source=r.source,
            external_ref=r.external_ref,
            report_count=1,
            sla=f.sla,
        ),
        f.timers,
    )


class Life:
    """One incident moved through its life, collecting every delivery the adapter makes."""

    def __init__(self, f: Filed) -> None:
        self.messages = list(BRIDGING.for_filed(f))
        self.incident, self.timers = incident(f)
        self.now = NOW

    def do(self, action: str, **fields: Any) -> Life:
        holder = Actor("dispatcher", self.incident.unit_code, "d-1")
        oversight = action in ("VERIFY", "CLOSE", "REOPEN", "VOID")
        self.now += timedelta(minutes=5)
        request = ActionRequest(
            action_id=f"a-{self.incident.version}",
            event_id=self.incident.event_id,
            action=action,
            actor=VERIFIER if oversight else holder,
            at=self.now,
            **fields,
        )
        return self._apply(act(self.incident, self.timers, request, CTX, self.now))

    def breach(self, stage: SlaStage) -> Life:
        """The breach (红牌) timer of `stage` falls due."""
        timer = next(t for t in self.timers if t.stage is stage and t.card is Card.BREACH)
        self.now = max(self.now, timer.due_at)
        return self._apply(fire(self.incident, self.timers, timer, CTX, self.now))

    def _apply(self, change: object) -> Life:
        assert isinstance(change, Change), change
        self.messages += BRIDGING.for_change(change)
        self.incident, self.timers = change.incident, change.timers
        return self


@cache
def lives() -> tuple[Any, ...]:
    """The bridge messages (outbox rows) of realistic lives of incidents of every source and
    category the bridges carry."""
    messages: list[Any] = []
    for source, ref in (("HOTLINE", "GD20261127000123"), ("CITY_MGMT", "AJ20261127-0456")):
        # Handled, failed verification, handled again, verified, closed, reopened, signed.
        first = Life(filed(report(event_id=f"{source}-1", source=source, external_ref=ref)))
        first.do("SIGN").do("START").do("HANDLE", result="垃圾已清运")
        first.do("VERIFY", verify_passed=False, reason="现场仍有垃圾")
        first.do("HANDLE", result="已彻底清理").do("VERIFY", verify_passed=True)
        first.do("CLOSE", result="已结案").do("REOPEN", reason="市民反映又有垃圾").do("SIGN")
        # Escalated, returned, escalated by the timers, voided.
        second = Life(filed(report(event_id=f"{source}-2", source=source, external_ref=ref + "B")))
        second.do("ESCALATE", reason="社区无执法权，需街道城管执法中队处理")
        second.do("RETURN", reason="属社区职责范围", target_unit="350206002008")
        second.breach(SlaStage.SIGN).do("VOID", reason="重复工单")
        # A repeat of an open incident, merged into it.
        repeat = report(event_id=f"{source}-3", source=source, external_ref=ref + "C")
        decided = decide(repeat, ORG, CLASSIFIER, POLICY.routing)
        merged = merge_report(repeat, decided, filed(report()).as_open_incident(), NOW)
        messages += first.messages + second.messages + BRIDGING.for_filed(merged)
    # A fire with people trapped (grade II or I): dispatched, escalated, handled, then its
    # verification breaches its deadline, and it is closed.
    fire_report = report(
        event_id="FIRE-1",
        description="12号楼着火了，火很大，有人被困在楼上",
        source="HOTLINE",
        external_ref="GD20261127000999",
    )
    grave = Life(filed(fire_report))
    assert grave.incident.severity in (Severity.II, Severity.I)
    grave.do("SIGN").do("ESCALATE", reason="火势扩大，需市消防救援支队增援").do("SIGN")
    grave.do("HANDLE", result="明火已扑灭，被困人员已救出").breach(SlaStage.VERIFY)
    grave.do("VERIFY", verify_passed=True).do("CLOSE", result="火灾已处置完毕")
    messages += grave.messages
    # A smoke report (grade below II) made graver by a repeat: regraded.
    small = filed(report(event_id="FIRE-2", description="楼道里有烟味，好像有东西烧着了"))
    assert small.classification.category_code == "FIRE"
    graver = report(event_id="FIRE-3", description="楼道着火了，火很大，有人被困在楼上")
    decided = decide(graver, ORG, CLASSIFIER, POLICY.routing)
    up: Regrade = regrade(small.as_open_incident(), graver, decided, NOW)
    messages += BRIDGING.for_regrade(up)
    return tuple(messages)


@cache
def deliveries() -> tuple[tuple[str, str, str, dict[str, Any]], ...]:
    """(bridge, idempotency key, path, payload) of every delivery of `lives()`."""
    out = []
    for m in lives():
        value = json.loads(m.value)
        key = dict(m.headers)["idempotency_key"].decode()
        out.append((m.topic, key, value["path"], value["payload"]))
    return tuple(out)


def operation_for(document: dict[str, Any], path: str) -> tuple[str, dict[str, Any]]:
    """The path template of `document` that `path` matches, and its POST operation."""
    for template, item in document["paths"].items():
        pattern = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path) and "post" in item:
            return template, item["post"]
    raise AssertionError(f"{path} matches no path of {document['info']['title']}")


def request_validator(document: dict[str, Any], operation: dict[str, Any]) -> Any:
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = {"$ref": ref, "components": document["components"]}
    return OAS31Validator(schema, format_checker=OAS31Validator.FORMAT_CHECKER)


def test_every_bridge_sent_every_change_it_carries() -> None:
    """The lives above exercise the whole contract: each bridge of the policy, each action."""
    actions: dict[str, set[str]] = {r.name: set() for r in POLICY.bridges}
    for m in lives():
        actions[m.topic].add(_action_of(m))
    for rule in POLICY.bridges:
        assert actions[rule.name] == set(rule.actions), rule.name


def _action_of(message: Any) -> str:
    """The change a delivery reports, read back from its payload."""
    payload = json.loads(message.value)["payload"]
    code = payload.get("status_code") or payload.get("what")
    if message.topic == "citymgmt":
        return "DISPATCH"
    if message.topic == "public-safety":
        return {
            "派遣": "DISPATCH",
            "升级（等级提高）": "REGRADE",
            "上报": "ESCALATE",
            "超时（红牌）": "SLA_BREACH",
            "结案": "CLOSE",
        }[code]
    assert isinstance(code, str)
    return code


@pytest.mark.parametrize("index", range(len(deliveries())))
def test_each_delivery_conforms_to_its_far_sides_document(index: int) -> None:
    bridge, key, path, payload = deliveries()[index]
    document = load(DOCUMENT_OF[bridge])
    template, operation = operation_for(document, path)
    errors = sorted(request_validator(document, operation).iter_errors(payload), key=str)
    assert not errors, f"{bridge} {path}: " + "; ".join(e.message for e in errors)
    # The path names what the payload names, and the key has the documented shape.
    for name in re.findall(r"\{([a-z_]+)\}", template):
        position = template.split("/").index("{" + name + "}")
        assert unquote(path.split("/")[position]) == payload[name]
    key_spec = next(
        p for p in _parameters(document, operation) if p.get("name") == "Idempotency-Key"
    )
    assert re.fullmatch(key_spec["schema"]["pattern"], key), key
    assert key == f"{bridge}:{_event_id(payload)}:{payload.get('version', key.rsplit(':')[-1])}"


def _parameters(document: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    params = []
    for p in operation.get("parameters", []):
        ref = p.get("$ref")
        params.append(document["components"]["parameters"][ref.rsplit("/", 1)[-1]] if ref else p)
    return params


def _event_id(payload: dict[str, Any]) -> Any:
    for field in ("event_id", "notice_id", "case_no"):
        if field in payload:
            return payload[field]
    raise AssertionError(payload)


def test_a_payload_off_the_contract_is_caught() -> None:
    """The check above has teeth: an unknown field, a missing one, a wrong value are errors."""
    bridge, _, path, payload = next(d for d in deliveries() if d[0] == "hotline-12345")
    document = load(DOCUMENT_OF[bridge])
    validator = request_validator(document, operation_for(document, path)[1])
    assert validator.is_valid(payload)
    assert not validator.is_valid({**payload, "extra": 1})
    assert not validator.is_valid({k: v for k, v in payload.items() if k != "status"})
    assert not validator.is_valid({**payload, "status_code": "FILE"})
    assert not validator.is_valid({**payload, "at": "yesterday"})


def test_nothing_is_sent_for_a_source_no_bridge_carries() -> None:
    """A grid worker's ordinary report outside city management: no bridge delivery at all."""
    f = filed(report(event_id="X-1", description="邻居因为停车位吵架，快打起来了"))
    assert f.classification.category_code != "CITY_MGMT"
    assert BRIDGING.for_filed(f) == []


def test_the_documents_name_the_reference_servers() -> None:
    for far_side, name in FAR_SIDE_DOCUMENT.items():
        servers = [s["url"] for s in load(name)["servers"]]
        assert f"http://127.0.0.1:18300/{far_side}" in servers
