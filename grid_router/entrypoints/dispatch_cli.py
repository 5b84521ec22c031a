"""`grid-router act` and `grid-router queue`: a dispatch centre's work from the command line,
acting on an incident and reading a unit's work orders."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console

from grid_router.exceptions import GridRouterError

err = Console(stderr=True)
out = Console()


def _app() -> Any:
    from grid_router.bootstrap import App
    from grid_router.settings import Settings

    return App(Settings())


def act(
    event_id: Annotated[str, typer.Argument(help="event id of the incident")],
    action: Annotated[
        str,
        typer.Argument(
            help="SIGN, START, HANDLE, VERIFY, CLOSE, RETURN, ESCALATE, REOPEN, SUSPEND, RESUME, "
            "VOID or EXTEND"
        ),
    ],
    unit: Annotated[str, typer.Option("--unit", help="division code of the acting unit")],
    role: Annotated[
        str, typer.Option(help="dispatcher, handler, verifier, supervisor, grid_worker")
    ] = "dispatcher",
    user: Annotated[str, typer.Option(help="id of the person acting")] = "cli",
    reason: Annotated[
        str | None, typer.Option(help="why (RETURN, ESCALATE, REOPEN, SUSPEND, VOID, EXTEND)")
    ] = None,
    result: Annotated[str | None, typer.Option(help="outcome text (HANDLE, CLOSE)")] = None,
    passed: Annotated[
        bool | None, typer.Option("--passed/--failed", help="VERIFY: dealt with or not")
    ] = None,
    minutes: Annotated[int | None, typer.Option(help="EXTEND: extra minutes asked for")] = None,
    target: Annotated[
        str | None, typer.Option(help="RETURN: division code of the unit that should take it")
    ] = None,
    wait: Annotated[
        float, typer.Option(help="seconds to wait for the router's answer (0: do not wait)")
    ] = 30.0,
) -> None:
    """Send one dispatch action (DispositionAction) to grid.actions and, unless --wait 0, print
    what the router made of it: the new state, or why it refused."""
    from grid_router.adapters.kafka.queue import StateWatcher
    from grid_router.service.intake import ActionIntake, new_action
    from grid_router.service.router import ACTION_ID_HEADER, REFUSED

    a = _app()
    if _incident_known(a, event_id) is False:
        a.close()
        raise GridRouterError(
            f"there is no incident {event_id} in {a.engine.url!r}: check the event id "
            "(`grid-router report` printed it); a report sent moments ago may not be filed "
            "yet: retry once `grid-router run` has filed it. Nothing was sent"
        )
    message = new_action(
        event_id, action, unit_code=unit, role=role, user_id=user, at=a.clock(), reason=reason,
        result=result, verify_passed=passed, extend_minutes=minutes, target_unit_code=target,
    )  # fmt: skip
    watcher = (
        StateWatcher(a.settings.kafka_bootstrap, a.topics.state, event_id, a.codec)
        if wait > 0
        else None
    )
    try:
        action_id = ActionIntake(a.producer(), a.codec, a.topics).submit(message)
        out.print(f"sent {message['action']} {action_id}", highlight=False)
        if watcher is None:
            return
        answer = watcher.wait_for(ACTION_ID_HEADER, action_id, wait)
        if answer is None:
            raise GridRouterError(
                f"no answer from the router within {wait:g} s: is `grid-router run` running "
                f"on {a.settings.kafka_bootstrap}? The action stays on grid.actions and is "
                "applied when it runs (see `grid-router dlq list` if it was refused there)"
            )
        if answer.action == REFUSED:
            raise GridRouterError(answer.reason or "refused")
        out.print(
            f"{answer.event_id} v{answer.version} {answer.previous_state} → {answer.state} at "
            f"{answer.level}:{answer.unit_code}" + (f" ({answer.reason})" if answer.reason else ""),
            highlight=False,
            soft_wrap=True,
        )
    finally:
        if watcher is not None:
            watcher.close()
        a.close()


def _incident_known(a: Any, event_id: str) -> bool | None:
    """Whether the router's database has filed `event_id`; None when that cannot be told (no
    schema yet, or the database is out of reach: the action is then sent and the router says)."""
    from sqlalchemy.exc import OperationalError

    from grid_router.adapters.db.migrate import current_revision
    from grid_router.adapters.db.views import event_record

    try:
        if current_revision(a.engine) is None:
            return None
        with a.engine.connect() as conn:
            return event_record(conn, event_id) is not None
    except OperationalError:
        return None


def queue(
    unit: Annotated[str, typer.Option("--unit", help="division code of the unit")],
    follow: Annotated[bool, typer.Option(help="keep waiting for new work orders")] = True,
    from_beginning: Annotated[
        bool, typer.Option(help="show work orders already on the queue")
    ] = True,
    max_orders: Annotated[int | None, typer.Option("--max", help="stop after N")] = None,
    timeout: Annotated[
        float | None, typer.Option(help="stop after this many seconds without a new order")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
    open_now: Annotated[
        bool,
        typer.Option("--open", help="the unit's open work orders now, from the database"),
    ] = False,
) -> None:
    """One unit's work orders, one line each: as sent on its dispatch topic (the history,
    closed orders included, then new ones as they come), or with --open those open now."""
    from grid_router.adapters.kafka.queue import follow_unit_queue

    a = _app()
    org_unit = a.org.unit(unit)
    if open_now:
        _print_open_queue(a, org_unit.code, org_unit.name, as_json)
        a.close()
        return
    topic = a.topics.dispatch(org_unit.level)
    err.print(
        f"{topic} for {org_unit.name} ({unit}): "
        + ("the history, closed orders included" if from_beginning else "new orders")
        + (", then new ones as they come" if follow and from_beginning else "")
        + "; `--open` shows what is open now",
        highlight=False,
    )
    orders = follow_unit_queue(
        a.settings.kafka_bootstrap,
        a.topics.dispatch(org_unit.level),
        unit,
        a.codec,
        from_beginning=from_beginning,
        idle_timeout=timeout if timeout is not None else (None if follow else 5.0),
    )
    for shown, wo in enumerate(orders, start=1):
        if as_json:
            from grid_router.adapters.avro import work_order_to_avro

            out.print_json(json.dumps(work_order_to_avro(wo), default=str, ensure_ascii=False))
        else:
            out.print(
                f"{wo.created_at:%Y-%m-%d %H:%M:%S} {wo.event_id} v{wo.version} {wo.kind} "
                f"{wo.level}:{wo.unit_code} {wo.unit_name} · {wo.department or '-'} "
                f"{wo.category_name} {wo.severity} "
                f"{wo.reason} | {(wo.address or '') + ' ' + wo.description[:60]}",
                highlight=False,
                soft_wrap=True,
            )
        if max_orders is not None and shown >= max_orders:
            break
    a.close()


def _print_open_queue(a: Any, unit_code: str, unit_name: str, as_json: bool) -> None:
    """The unit's open work orders in the database, overdue first (as GET /units/{code}/queue)."""
    from dataclasses import asdict

    from grid_router.adapters.db.views import unit_queue
    from grid_router.domain.sla import CHINA_STANDARD_TIME

    with a.engine.connect() as conn:
        items, total = unit_queue(conn, unit_code, a.clock(), limit=1000)
    err.print(
        f"{unit_name} ({unit_code}): {total} open work order(s) now, overdue first",
        highlight=False,
    )
    for item in items:
        if as_json:
            out.print_json(json.dumps(asdict(item), default=str, ensure_ascii=False))
            continue
        due = item.sign_by if item.state == "DISPATCHED" else item.handle_by
        due = due.astimezone(CHINA_STANDARD_TIME) if due else None
        out.print(
            f"{item.event_id} {item.state}{' OVERDUE' if item.overdue else ''} "
            f"due {f'{due:%Y-%m-%d %H:%M}' if due else '-'} {item.category_name} {item.severity} "
            f"| {(item.address or '') + ' ' + item.description[:60]}",
            highlight=False,
            soft_wrap=True,
        )
