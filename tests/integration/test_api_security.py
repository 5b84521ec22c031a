"""The HTTP API refuses what it must, on the real broker and both databases: every refusal has
the right status and error code, and leaves nothing behind (no message on grid.reports or
grid.actions, no row added anywhere).

Covers the security list of the API issue: no token, a revoked token, a worker reporting for
someone else's grid, a dispatch centre reading or acting on another unit's incident (answered
exactly like an unknown one), an Idempotency-Key replayed with another body, oversized bodies,
invalid UTF-8, deeply nested JSON, and injection strings in every text field of a report.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from grid_router.adapters.db.tables import idempotency_keys, inbox, incidents
from grid_router.adapters.db.tokens import CACHE_TTL
from grid_router.service.auth import Role, parse_prefix
from tests.integration.api_helpers import (
    COMMUNITY,
    GRID,
    MAX_PHOTO_BYTES,
    NEIGHBOUR,
    OTHER_DISTRICT_COMMUNITY,
    STREET,
    Api,
    Snapshot,
    api_for,
    bearer,
    tiny_png,
)

pytestmark = pytest.mark.integration

REPORTS = "/api/v1/reports"
PNG = tiny_png()


@pytest.fixture
def api(
    kafka_bootstrap: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> Iterator[Api]:
    with api_for(kafka_bootstrap, database_url, topic_prefix, tmp_path) as a:
        yield a


def report(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"description": "5号楼门口垃圾满溢，无人清运", "grid_code": GRID}
    body.update(fields)
    return body


def refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """Assert one error answer: its status, its code, the one error shape; return the body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body


def unchanged(api: Api, before: Snapshot) -> None:
    after = api.snapshot()
    assert after.messages == before.messages, "something was sent to Kafka"
    assert after.rows == before.rows, "a row was added or removed"


def filed_incident(api: Api, token: str, community: str) -> str:
    """An incident in `community`, reported over HTTP by an operator and filed by the router's
    code; returns its event id."""
    body = report(grid_code=f"{community}001", category_code="CITY_MGMT")
    answer = api.client.post(REPORTS, json=body, headers=bearer(token))
    assert answer.status_code == 202, answer.text
    outcome = api.file_reports()
    assert not outcome.deadlettered, outcome.deadlettered
    event_id: str = answer.json()["event_id"]
    return event_id


# --- who is calling ------------------------------------------------------------------------


def test_no_token_or_a_bad_one_is_401_everywhere_and_writes_nothing(api: Api) -> None:
    operator = api.token(Role.OPERATOR)
    event_id = filed_incident(api, operator, COMMUNITY)
    token = api.token(Role.GRID_WORKER, grids=(GRID,))
    before = api.snapshot()
    wrong_secret = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", REPORTS, {"json": report()}),
        ("POST", "/api/v1/photos", {"files": {"photo": ("a.png", PNG, "image/png")}}),
        ("GET", f"/api/v1/photos/{'0' * 64}", {}),
        ("GET", f"/api/v1/events/{event_id}", {}),
        ("POST", f"/api/v1/events/{event_id}/actions", {"json": {"action": "SIGN"}}),
        ("GET", f"/api/v1/units/{COMMUNITY}/queue", {}),
    ]
    credentials: list[dict[str, str]] = [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": f"Basic {token}"},
        bearer(wrong_secret),
        bearer("grt_00000000_" + "A" * 43),  # well formed, unknown
        bearer(token + "'; DROP TABLE api_tokens; --"),
    ]
    for method, path, kwargs in calls:
        for headers in credentials:
            answer = api.client.request(method, path, headers=headers, **kwargs)
            refused(answer, 401, "UNAUTHENTICATED")
            assert answer.headers["www-authenticate"].startswith("Bearer")
    unchanged(api, before)


def test_revoked_token_is_refused_within_the_cache_window(api: Api) -> None:
    token = api.token(Role.GRID_WORKER, grids=(GRID,))
    prefix = parse_prefix(token)
    assert prefix is not None
    assert api.client.post(REPORTS, json=report(), headers=bearer(token)).status_code == 202
    # Revoked by another process (`grid-router tokens revoke` uses a store of its own): this
    # API process trusts what it cached for at most CACHE_TTL.
    assert api.store.revoke(prefix)
    api.clock.advance(CACHE_TTL)
    before = api.snapshot()
    body = refused(
        api.client.post(REPORTS, json=report(), headers=bearer(token)), 401, "UNAUTHENTICATED"
    )
    assert "revoked" in body["error"]["message"]
    refused(
        api.client.get(f"/api/v1/events/{uuid.uuid4()}", headers=bearer(token)),
        401,
        "UNAUTHENTICATED",
    )
    unchanged(api, before)

    # Revoked through this process's own store: refused at once, with no time passing.
    other = api.token(Role.DISPATCHER, unit=COMMUNITY)
    before = api.snapshot()
    queue = f"/api/v1/units/{COMMUNITY}/queue"
    assert api.client.get(queue, headers=bearer(other)).status_code == 200
    assert api.api.state.tokens.revoke(parse_prefix(other))
    refused(api.client.get(queue, headers=bearer(other)), 401, "UNAUTHENTICATED")
    unchanged(api, before)


def test_rate_limit_per_token_is_429_with_retry_after(api: Api) -> None:
    token = api.token(Role.GRID_WORKER, grids=(GRID,), rate=2)
    for _ in range(2):
        assert api.client.get(f"/api/v1/events/{uuid.uuid4()}", headers=bearer(token)).status_code
    before = api.snapshot()
    answer = api.client.post(REPORTS, json=report(), headers=bearer(token))
    refused(answer, 429, "RATE_LIMITED")
    assert int(answer.headers["retry-after"]) >= 1
    unchanged(api, before)


# --- scope ---------------------------------------------------------------------------------


def test_grid_worker_reporting_outside_its_grids_is_403(api: Api) -> None:
    worker = api.token(Role.GRID_WORKER, grids=(GRID,))
    dispatcher = api.token(Role.DISPATCHER, unit=COMMUNITY)
    before = api.snapshot()
    outside = [
        report(grid_code=f"{NEIGHBOUR}001"),  # another community's grid
        report(grid_code=f"{COMMUNITY}006"),  # another grid of its own community
        report(grid_code=None, community_code=COMMUNITY),  # the whole community: not granted
        report(community_code=NEIGHBOUR),  # its grid, but naming another community
        report(grid_code=None, address="思明区中华街道中山路100号"),  # an address alone
        report(grid_code=f"{OTHER_DISTRICT_COMMUNITY}001", address="湖里区殿前街道高殿社区"),
    ]
    for body in outside:
        answer = api.client.post(REPORTS, json=body, headers=bearer(worker))
        message = refused(answer, 403, "FORBIDDEN")["error"]["message"]
        assert GRID in message, message  # says what the token may do
    # A worker reports with source GRID_APP only.
    refused(
        api.client.post(REPORTS, json=report(source="HOTLINE"), headers=bearer(worker)),
        403,
        "FORBIDDEN",
    )
    # Dispatch centres and verifiers report inside their unit's area only.
    refused(
        api.client.post(
            REPORTS, json=report(grid_code=f"{NEIGHBOUR}001"), headers=bearer(dispatcher)
        ),
        403,
        "FORBIDDEN",
    )
    unchanged(api, before)


def test_codes_that_do_not_exist_cannot_carry_a_report_out_of_scope(api: Api) -> None:
    # The router places a report by its codes when they exist and falls back to the address
    # when they do not; a well-formed code that names nothing, inside the token's area, must
    # not let an address carry the report into another district.
    street = api.token(Role.DISPATCHER, unit=STREET)
    verifier = api.token(Role.VERIFIER, unit=STREET[:6])
    before = api.snapshot()
    elsewhere = "思明区中华街道中山路100号"
    for token, body, field in [
        (street, report(grid_code=None, community_code=f"{STREET}099", address=elsewhere),
         "community_code"),
        (street, report(grid_code=f"{STREET}099001", address=elsewhere), "grid_code"),
        (verifier, report(grid_code=None, community_code=STREET + "000", address=elsewhere),
         "community_code"),
    ]:  # fmt: skip
        answer = api.client.post(REPORTS, json=body, headers=bearer(token))
        fields = refused(answer, 422, "INVALID_REQUEST")["error"]["fields"]
        assert [f["path"] for f in fields] == [field]
    unchanged(api, before)


def test_dispatch_centre_cannot_tell_another_units_incident_from_an_unknown_one(
    api: Api,
) -> None:
    operator = api.token(Role.OPERATOR)
    event_id = filed_incident(api, operator, COMMUNITY)
    unknown = str(uuid.uuid4())
    owner = api.token(Role.DISPATCHER, unit=COMMUNITY)
    assert api.client.get(f"/api/v1/events/{event_id}", headers=bearer(owner)).status_code == 200
    strangers = {
        "neighbouring community": api.token(Role.DISPATCHER, unit=NEIGHBOUR),
        "another district": api.token(Role.DISPATCHER, unit=OTHER_DISTRICT_COMMUNITY[:6]),
        "the street above": api.token(Role.DISPATCHER, unit=STREET),  # not its work order
        "verifier of another street": api.token(Role.VERIFIER, unit="350206001"),
        "grid worker of another grid": api.token(Role.GRID_WORKER, grids=(f"{NEIGHBOUR}001",)),
    }
    before = api.snapshot()

    def same_answer(path: str, method: str = "GET", **kwargs: Any) -> None:
        for who, token in strangers.items():
            theirs = api.client.request(method, path.format(event_id), headers=bearer(token),
                                        **kwargs)  # fmt: skip
            nobodys = api.client.request(method, path.format(unknown), headers=bearer(token),
                                         **kwargs)  # fmt: skip
            status = 403 if method == "POST" and who.startswith("grid worker") else 404
            code = "FORBIDDEN" if status == 403 else "NOT_FOUND"
            a = refused(theirs, status, code)
            b = refused(nobodys, status, code)
            assert json.dumps(a).replace(event_id, "<id>") == json.dumps(b).replace(
                unknown, "<id>"
            ), who
            assert theirs.headers["content-type"] == nobodys.headers["content-type"]
            assert theirs.headers.get("content-length") is not None

    same_answer("/api/v1/events/{}")
    for action in ({"action": "SIGN"}, {"action": "RETURN", "reason": "不属于本单位"}):
        same_answer("/api/v1/events/{}/actions", "POST", json=action)
    # A queue of another unit reads like a unit that does not exist.
    stranger = strangers["neighbouring community"]
    theirs = api.client.get(f"/api/v1/units/{COMMUNITY}/queue", headers=bearer(stranger))
    nobodys = api.client.get("/api/v1/units/350206002999/queue", headers=bearer(stranger))
    a, b = refused(theirs, 404, "NOT_FOUND"), refused(nobodys, 404, "NOT_FOUND")
    assert json.dumps(a).replace(COMMUNITY, "<unit>") == json.dumps(b).replace(
        "350206002999", "<unit>"
    )
    unchanged(api, before)


def test_a_long_token_name_loses_no_report_and_no_action(api: Api) -> None:
    # A token's name (up to 128 characters) becomes the reporter id of a report sent without
    # a reporter, and the user of an action's actor: both must still fit their columns, or
    # PostgreSQL refuses the row and the router dead-letters what the API answered with 202.
    name = "思明区中华街道网格员" * 12 + "长名字的持有人甲"
    assert len(name) == 128
    worker = api.token(Role.GRID_WORKER, grids=(GRID,), name=name)
    dispatcher = api.token(Role.DISPATCHER, unit=COMMUNITY, name=name)
    body = report(category_code="CITY_MGMT")
    answer = api.client.post(REPORTS, json=body, headers=bearer(worker))
    assert answer.status_code == 202, answer.text
    event_id = answer.json()["event_id"]
    outcome = api.file_reports()
    assert (outcome.applied, outcome.deadlettered) == (1, {})
    actions = f"/api/v1/events/{event_id}/actions"
    answer = api.client.post(actions, json={"action": "SIGN"}, headers=bearer(dispatcher))
    assert answer.status_code == 202, answer.text
    outcome = api.apply_actions()
    assert (outcome.actions, outcome.deadlettered) == (1, {})
    with api.app.engine.connect() as conn:
        row = conn.execute(select(incidents).where(incidents.c.event_id == event_id)).one()
    # The reporter comes from the token: its holder and its role.
    assert (row.state, row.reporter_id, row.reporter_role) == ("SIGNED", name[:64], "grid_worker")
    shown = api.client.get(f"/api/v1/events/{event_id}", headers=bearer(dispatcher)).json()
    actor = shown["history"][-1]["actor"]
    assert len(actor) == 128
    assert actor.startswith(f"dispatcher:{COMMUNITY}/{name[:50]}")


# --- idempotency ---------------------------------------------------------------------------


def test_idempotency_key_reused_with_another_body_is_409_and_writes_nothing(api: Api) -> None:
    worker = api.token(Role.GRID_WORKER, grids=(GRID,))
    key = {"Idempotency-Key": "app-7f3a-0001"}
    first = api.client.post(REPORTS, json=report(), headers={**bearer(worker), **key})
    assert first.status_code == 202, first.text
    before = api.snapshot()
    assert before.rows["idempotency_keys"] == 1
    for other in (
        report(description="另一件事：路灯不亮"),
        report(title="垃圾"),
        report(reporter={"id": "GW-1", "name": "林小梅"}),
    ):
        answer = api.client.post(REPORTS, json=other, headers={**bearer(worker), **key})
        message = refused(answer, 409, "IDEMPOTENCY_KEY_REUSED")["error"]["message"]
        assert "app-7f3a-0001" in message
    unchanged(api, before)
    # The key belongs to the token: another token may use the same key for its own report.
    other_worker = api.token(Role.GRID_WORKER, grids=(GRID,))
    second = api.client.post(
        REPORTS, json=report(title="另一个"), headers={**bearer(other_worker), **key}
    )
    assert second.status_code == 202, second.text
    assert second.json()["event_id"] != first.json()["event_id"]
    # An empty or too long key is a malformed request.
    for bad in ("", "k" * 256):
        answer = api.client.post(
            REPORTS, json=report(), headers={**bearer(worker), "Idempotency-Key": bad}
        )
        refused(answer, 422, "INVALID_REQUEST")
    with api.app.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(idempotency_keys)).scalar_one() == 2


# --- malformed bodies ----------------------------------------------------------------------


def test_oversized_bodies_are_413_whether_declared_or_streamed(api: Api) -> None:
    worker = api.token(Role.GRID_WORKER, grids=(GRID,))
    operator = api.token(Role.OPERATOR)
    event_id = filed_incident(api, operator, COMMUNITY)
    before = api.snapshot()
    limit = api.app.settings.max_body_bytes
    big = json.dumps(report(description="垃" * limit)).encode()
    assert len(big) > limit
    json_headers = {**bearer(worker), "Content-Type": "application/json"}
    answer = api.client.post(REPORTS, content=big, headers=json_headers)
    message = refused(answer, 413, "PAYLOAD_TOO_LARGE")["error"]["message"]
    assert str(limit) in message

    def chunks(data: bytes) -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for i in range(0, len(data), 64 * 1024):
            yield data[i : i + 64 * 1024]

    refused(api.client.post(REPORTS, content=chunks(big), headers=json_headers),
            413, "PAYLOAD_TOO_LARGE")  # fmt: skip
    action = json.dumps({"action": "HANDLE", "result": "x" * limit}).encode()
    refused(
        api.client.post(f"/api/v1/events/{event_id}/actions", content=action,
                        headers={**bearer(operator), "Content-Type": "application/json"}),
        413, "PAYLOAD_TOO_LARGE",
    )  # fmt: skip
    # Photos have their own, larger limit: beyond it 413, between the photo size and it 422.
    huge = PNG + b"\0" * (MAX_PHOTO_BYTES + 128 * 1024)
    photo = {"photo": ("big.png", huge, "image/png")}
    refused(api.client.post("/api/v1/photos", files=photo, headers=bearer(worker)),
            413, "PAYLOAD_TOO_LARGE")  # fmt: skip
    over = {"photo": ("big.png", PNG + b"\0" * MAX_PHOTO_BYTES, "image/png")}
    refused(api.client.post("/api/v1/photos", files=over, headers=bearer(worker)),
            422, "INVALID_PHOTO")  # fmt: skip
    # A body within the byte limit whose text is longer than a field allows.
    refused(
        api.client.post(REPORTS, json=report(description="垃" * 5001), headers=bearer(worker)),
        422,
        "INVALID_REQUEST",
    )
    unchanged(api, before)
    assert not list((api.app.settings.photo_dir).rglob("*.png"))


def test_invalid_utf8_is_400_and_writes_nothing(api: Api) -> None:
    worker = api.token(Role.GRID_WORKER, grids=(GRID,))
    operator = api.token(Role.OPERATOR)
    event_id = filed_incident(api, operator, COMMUNITY)
    before = api.snapshot()
    headers = {**bearer(worker), "Content-Type": "application/json"}

    def body(description: bytes) -> bytes:
        return b'{"description": "' + description + b'", "grid_code": "' + GRID.encode() + b'"}'

    for raw in (b"\xff\xfe\xfd", b"\xe5\x9e", b"\xc0\xaf"):  # not UTF-8, cut short, overlong
        answer = api.client.post(REPORTS, content=body(raw), headers=headers)
        assert "UTF-8" in refused(answer, 400, "INVALID_REQUEST")["error"]["message"]
    # A surrogate, encoded or escaped: the JSON parser lets it through, the model refuses it.
    for raw in (b"\xed\xa0\x80", b"\\ud800"):
        answer = api.client.post(REPORTS, content=body(raw), headers=headers)
        [fault] = refused(answer, 422, "INVALID_REQUEST")["error"]["fields"]
        assert fault["path"] == "description"
    refused(
        api.client.post(
            f"/api/v1/events/{event_id}/actions",
            content=b'{"action": "SIGN", "reason": "\xff"}',
            headers={**bearer(operator), "Content-Type": "application/json"},
        ),
        400,
        "INVALID_REQUEST",
    )
    unchanged(api, before)


def test_deeply_nested_json_is_refused_and_writes_nothing(api: Api) -> None:
    worker = api.token(Role.GRID_WORKER, grids=(GRID,))
    before = api.snapshot()
    headers = {**bearer(worker), "Content-Type": "application/json"}
    # Deeper than the JSON parser goes: 400, said in plain words.
    for raw in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000):
        body = refused(api.client.post(REPORTS, content=raw, headers=headers),
                       400, "INVALID_REQUEST")  # fmt: skip
        assert "nested too deeply" in body["error"]["message"]
    # Parsed, but not the shape of a report: 422.
    nested: Any = "x"
    for _ in range(500):
        nested = {"a": nested}
    for body_ in (report(attributes=nested), report(reporter=nested), report(photos=[[[[[]]]]])):
        refused(api.client.post(REPORTS, json=body_, headers=bearer(worker)),
                422, "INVALID_REQUEST")  # fmt: skip
    unchanged(api, before)


# --- injection -----------------------------------------------------------------------------

INJECTIONS = {
    "sql": "'; DROP TABLE incidents; --",
    "sql_or": "x' OR '1'='1",
    "html": "<script>alert(document.cookie)</script>",
    "template": "{{7*7}} ${7*7} #{7*7}",
    "jndi": "${jndi:ldap://x/a}",
    "path": "../../../../etc/passwd",
    "control": "垃圾\x1b[31m\x07满溢\u202e",
    "emoji": "垃圾🗑️满溢",
    "nul": "垃圾\x00满溢",  # PostgreSQL text cannot hold it: refused
    "long": "长" * 500,  # longer than the columns of 64 and 128 characters: refused
    "longest_storable": "长",  # each field at the most it can be stored with: accepted
}
# The most characters each text field of a report may have and still be stored as sent.
LONGEST = {
    "description": 5000, "title": 500, "subcategory_code": 64, "address": 500,
    "external_ref": 128, "reporter.id": 64, "reporter.name": 128, "attributes.note": 500,
}  # fmt: skip


def text_fields(payload: str, name: str) -> dict[str, str]:
    """The payload for every text field of a report (stretched to each field's limit for the
    "longest_storable" case)."""
    if name == "longest_storable":
        return {f: (payload * n) for f, n in LONGEST.items()}
    return dict.fromkeys(LONGEST, payload)


@pytest.mark.parametrize("name", INJECTIONS)
def test_injection_strings_are_refused_or_stored_verbatim(api: Api, name: str) -> None:
    payload = INJECTIONS[name]
    worker = api.token(Role.GRID_WORKER, grids=(GRID,))
    operator = api.token(Role.OPERATOR)
    text = text_fields(payload, name)
    body = report(
        description=text["description"],
        title=text["title"],
        subcategory_code=text["subcategory_code"],
        address=text["address"],
        external_ref=text["external_ref"],
        reporter={"id": text["reporter.id"], "name": text["reporter.name"]},
        attributes={"note": text["attributes.note"]},
        photos=[{"url": f"https://photos.example/{payload}"}],
    )
    before = api.snapshot()
    answer = api.client.post(REPORTS, json=body, headers=bearer(worker))
    if name in ("nul", "long"):
        fields = refused(answer, 422, "INVALID_REQUEST")["error"]["fields"]
        if name == "nul":  # every field that holds it is named
            assert {f["path"] for f in fields} >= {*LONGEST, "photos.0.url"}
        else:  # the columns of 64 and 128 characters
            long = {"reporter.id", "reporter.name", "external_ref", "subcategory_code"}
            assert {f["path"] for f in fields} == long
        unchanged(api, before)
    else:
        assert answer.status_code == 202, answer.text
        event_id = answer.json()["event_id"]
        [message] = api.messages(api.app.topics.reports)
        sent = api.app.codec.decode_report(message.value)
        assert sent.description == text["description"]
        assert (sent.title, sent.address) == (text["title"], text["address"])
        assert (sent.subcategory_code, sent.external_ref) == (
            text["subcategory_code"],
            text["external_ref"],
        )
        assert (sent.reporter.id, sent.reporter.name) == (
            text["reporter.id"],
            text["reporter.name"],
        )
        assert sent.attributes == {"note": text["attributes.note"]}
        # The router files it, and the database holds the text exactly as sent.
        outcome = api.file_reports()
        assert outcome.applied == 1, outcome
        assert not outcome.deadlettered, outcome.deadlettered
        with api.app.engine.connect() as conn:
            row = conn.execute(select(incidents).where(incidents.c.event_id == event_id)).one()
        assert row.description == text["description"]
        assert (row.title, row.address, row.external_ref) == (
            text["title"],
            text["address"],
            text["external_ref"],
        )
        assert (row.reporter_id, row.reporter_name) == (text["reporter.id"], text["reporter.name"])
        shown = api.client.get(f"/api/v1/events/{event_id}", headers=bearer(operator))
        assert shown.status_code == 200, shown.text
        assert shown.json()["description"] == text["description"]
        assert shown.json()["title"] == text["title"]
    # Every pattern-checked field refuses it.
    for field in ("grid_code", "community_code", "category_code", "severity_hint", "event_id"):
        refused(api.client.post(REPORTS, json=report(**{field: payload}),
                                headers=bearer(worker)), 422, "INVALID_REQUEST")  # fmt: skip
    refused(
        api.client.post(REPORTS, json=report(reporter={"id": "GW-1", "phone": payload}),
                        headers=bearer(worker)),
        422, "INVALID_REQUEST",
    )  # fmt: skip
    # The database still works: every table is there and answers.
    with api.app.engine.connect() as conn:
        conn.execute(select(func.count()).select_from(incidents)).scalar_one()
        conn.execute(select(func.count()).select_from(inbox)).scalar_one()
    assert api.client.post(REPORTS, json=report(), headers=bearer(worker)).status_code == 202
    assert api.file_reports().deadlettered == {}
