"""The dispatch desk in a real browser (Debian's Chromium driven by Playwright) on the real
broker and the real router: the closed loop from the desk, live updates without reloading,
scope, CSRF and text shown as text, RECLASSIFY at a triage desk. The tests save the README's
screenshots into docs/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

from grid_router.service.auth import Role
from tests.e2e.desk_browser import DOCS, Desk, chromium_path, running_desk, wait_until
from tests.integration.api_helpers import COMMUNITY, GRID, NEIGHBOUR, STREET, tiny_png

pytestmark = pytest.mark.integration

EVIL = '<script>window.hacked=1</script><img src=x onerror="window.hacked=2">楼道堆满杂物，无人清理'
DESKTOP: ViewportSize = {"width": 1366, "height": 768}
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def desk(kafka_bootstrap: str, topic_prefix: str, tmp_path: Path) -> Iterator[Desk]:
    with running_desk(kafka_bootstrap, topic_prefix, tmp_path) as d:
        yield d


def signed_in(browser: Browser, desk: Desk, token: str, viewport: ViewportSize = DESKTOP) -> Page:
    """A new browser context signed in with the one-click link `make run` prints."""
    context: BrowserContext = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.on("dialog", lambda d: pytest.fail(f"a dialog opened: {d.message}"))
    page.goto(f"{desk.url}/desk/signin#token={token}")
    page.wait_for_url(lambda url: "/signin" not in url)
    return page


def report(
    desk: Desk, worker: str, description: str, category: str = "CITY_MGMT", grid: str = GRID
) -> str:
    body = {"grid_code": grid, "category_code": category, "description": description}
    event_id: str = desk.post("/api/v1/reports", worker, body)["event_id"]
    return event_id


def state_of(desk: Desk, token: str, event_id: str) -> str | None:
    event = desk.event(token, event_id)
    return None if event is None else str(event["state"])


def test_the_closed_loop_from_the_desk(browser: Browser, desk: Desk, tmp_path: Path) -> None:
    worker = desk.token(Role.GRID_WORKER, grids=(COMMUNITY,))
    dispatcher = desk.token(Role.DISPATCHER, unit=COMMUNITY, name="高殿社区调度员")
    verifier = desk.token(Role.VERIFIER, unit=STREET, name="殿前街道核查员")
    stranger = desk.token(Role.DISPATCHER, unit=NEIGHBOUR, name="神山社区调度员")
    event_id = report(desk, worker, EVIL)
    for grid, category, text in (
        ("001", "CITY_MGMT", "5号楼门口垃圾满溢，无人清运"),
        ("002", "DISPUTE", "楼上楼下因漏水发生争吵，需要调解"),
        ("003", "LIVELIHOOD", "独居老人王某某近两天未出门，邻居担心"),
        ("004", "CITY_MGMT", "小区内共享单车乱停放，堵塞人行道"),
    ):
        report(desk, worker, text, category, COMMUNITY + grid)
    wait_until("the report filed", lambda: state_of(desk, worker, event_id) == "DISPATCHED")

    page = signed_in(browser, desk, dispatcher)
    row = page.locator(f'tr[data-event="{event_id}"]')
    expect(row).to_be_visible()
    expect(row.locator(".countdown")).to_contain_text("剩余")
    page.screenshot(path=str(DOCS / "desk-queue.png"), full_page=True)

    row.get_by_role("link").click()
    expect(page.locator(".report-text")).to_have_text(EVIL)
    assert page.evaluate("window.hacked") is None
    expect(page.get_by_role("button", name="核查通过")).to_have_count(0)
    page.get_by_role("button", name="签收").click()
    expect(page.locator("h1 .state")).to_have_text("已签收", timeout=15000)

    photo = tmp_path / "scene.png"
    photo.write_bytes(tiny_png())
    form = page.locator("form.a-HANDLE")
    form.get_by_label("处理结果").fill("已清理楼道杂物，恢复通行")
    form.get_by_label("现场照片").set_input_files(str(photo))
    form.get_by_role("button", name="处理反馈").click()
    expect(page.locator("h1 .state")).to_have_text("已处理", timeout=15000)
    expect(page.locator(".timeline")).to_contain_text("已清理楼道杂物")
    # The handed-in photo shows on the incident page (served to sessions that may see it).
    thumbnail = page.locator(".photos img")
    expect(thumbnail).to_have_count(1)
    expect(page.locator(".photos")).to_contain_text("处理反馈")
    page.wait_for_function(
        "() => { const i = document.querySelector('.photos img');"
        " return i !== null && i.complete && i.naturalWidth > 0; }"
    )
    photo_src = thumbnail.get_attribute("src")
    assert photo_src is not None
    assert photo_src.startswith(f"/desk/events/{event_id}/photos/")
    page.screenshot(path=str(DOCS / "desk-incident.png"), full_page=True)

    # A form posted without its CSRF token is refused (the session cookie alone is not enough).
    refused = page.request.post(f"{desk.url}/desk/events/{event_id}/act", form={"action": "START"})
    assert refused.status == 403

    checker = signed_in(browser, desk, verifier)
    checker.goto(f"{desk.url}/desk/events/{event_id}")
    checker.locator("form.a-VERIFY_PASS").get_by_role("button", name="核查通过").click()
    expect(checker.locator("h1 .state")).to_have_text("已核查", timeout=15000)
    checker.locator("form.a-CLOSE").get_by_label("意见").fill("核查属实，已整改")
    checker.get_by_role("button", name="结案").click()
    expect(checker.locator("h1 .state")).to_have_text("已结案", timeout=15000)

    resident = browser.new_context(viewport=PHONE).new_page()
    resident.goto(f"{desk.url}/status/{event_id}")
    expect(resident.locator(".summary")).to_have_text("您反映的问题已办结。")
    expect(resident.locator("body")).not_to_contain_text("楼道堆满杂物")  # no free text
    assert resident.goto(f"{desk.url}/status/no-such-thing").status == 404  # type: ignore[union-attr]

    other = signed_in(browser, desk, stranger)
    expect(other.locator(f'tr[data-event="{event_id}"]')).to_have_count(0)
    answer = other.goto(f"{desk.url}/desk/events/{event_id}")
    assert answer is not None
    assert answer.status == 404
    expect(other.locator("h1")).to_have_text("未找到")
    assert other.request.get(f"{desk.url}{photo_src}").status == 404


def test_new_orders_and_escalations_arrive_without_reloading(browser: Browser, desk: Desk) -> None:
    worker = desk.token(Role.GRID_WORKER, grids=(GRID,))
    community = desk.token(Role.DISPATCHER, unit=COMMUNITY)
    street = desk.token(Role.DISPATCHER, unit=STREET, name="殿前街道调度员")
    first = signed_in(browser, desk, community)
    second = signed_in(browser, desk, street)
    for page in (first, second):
        page.evaluate("window.notReloaded = true")

    event_id = report(desk, worker, "5号楼门口垃圾满溢，无人清运")
    expect(first.locator(f'tr[data-event="{event_id}"]')).to_be_visible(timeout=15000)
    expect(first.locator("#live-banner")).to_contain_text("新工单")
    wait_until("the report filed", lambda: state_of(desk, worker, event_id) == "DISPATCHED")

    desk.post(
        f"/api/v1/events/{event_id}/actions", community,
        {"action": "ESCALATE", "reason": "涉及多个小区，需街道协调"},
    )  # fmt: skip
    expect(second.locator(f'tr[data-event="{event_id}"]')).to_be_visible(timeout=15000)
    expect(first.locator(f'tr[data-event="{event_id}"]')).to_have_count(0, timeout=15000)
    for page in (first, second):
        assert page.evaluate("window.notReloaded") is True


def test_a_triage_desk_reclassifies_and_the_report_leaves_for_the_new_unit(
    browser: Browser, desk: Desk
) -> None:
    worker = desk.token(Role.GRID_WORKER, grids=(GRID,))
    triage = desk.token(Role.DISPATCHER, unit=STREET, name="殿前街道分拨中心")
    community = desk.token(Role.DISPATCHER, unit=COMMUNITY)
    event_id = report(desk, worker, "有个情况需要看一下，门口堆了很多垃圾", category="OTHER")
    wait_until("the report at the triage desk", lambda: state_of(desk, worker, event_id))

    page = signed_in(browser, desk, triage)
    page.goto(f"{desk.url}/desk/events/{event_id}")
    form = page.locator("form.a-RECLASSIFY")
    form.get_by_label("正确类别").select_option("CITY_MGMT")
    form.get_by_label("改类原因").fill("现场核实为垃圾满溢，属市容环境")
    form.get_by_role("button", name="改类").click()
    expect(page.locator("h1")).to_contain_text("城市管理", timeout=15000)
    page.goto(f"{desk.url}/desk/queue")
    expect(page.locator(f'tr[data-event="{event_id}"]')).to_have_count(0)

    theirs = signed_in(browser, desk, community)
    expect(theirs.locator(f'tr[data-event="{event_id}"]')).to_be_visible()
    theirs.goto(f"{desk.url}/desk/events/{event_id}")
    expect(theirs.locator(".timeline")).to_contain_text("改类")


def test_supervision_board_reminder_phone_report_and_offline_docs(
    browser: Browser, desk: Desk
) -> None:
    worker = desk.token(Role.GRID_WORKER, grids=(GRID,), name="高殿社区网格员 林小梅")
    city = desk.token(Role.OPERATOR, name="市网格化服务管理中心")

    phone = signed_in(browser, desk, worker, PHONE)
    expect(phone.locator("h1")).to_have_text("上报事件")
    phone.get_by_label("类别").select_option("CITY_MGMT")
    phone.get_by_label("问题描述").fill("3号楼下水道井盖缺失，有安全隐患")
    phone.get_by_label("网格编码（15 位）").fill(GRID)
    phone.screenshot(path=str(DOCS / "desk-report-phone.png"), full_page=True)
    button = phone.get_by_role("button", name="上报")
    button.dblclick()  # a double tap files one report
    phone.wait_for_url("**/status/**")
    event_id = phone.url.split("/status/")[1].split("?")[0]
    wait_until("the report filed", lambda: state_of(desk, city, event_id) == "DISPATCHED")

    board = signed_in(browser, desk, city)
    expect(board.locator("h1")).to_have_text("督办 · 厦门市")
    board.get_by_role("link", name="湖里区").click()
    board.get_by_role("link", name="殿前街道").click()
    expect(board.locator("table.board")).to_contain_text("高殿社区")
    board.screenshot(path=str(DOCS / "desk-supervision.png"), full_page=True)

    holder = desk.event(city, event_id)
    assert holder is not None
    unit_desk = signed_in(browser, desk, desk.token(Role.DISPATCHER, unit=holder["unit_code"]))
    board.goto(f"{desk.url}/desk/events/{event_id}")
    board.get_by_label("催办内容").fill("请今天下班前处置完毕")
    board.get_by_role("button", name="催办").click()
    expect(unit_desk.locator("#live-banner")).to_contain_text("请今天下班前处置完毕", timeout=10000)

    docs = board.context.new_page()
    docs.route("**/*", lambda route: route.continue_() if route.request.url.startswith(desk.url)
               else route.abort())  # fmt: skip
    docs.goto(f"{desk.url}/docs")
    expect(docs.locator(".swagger-ui .title")).to_contain_text("grid_router", timeout=15000)
