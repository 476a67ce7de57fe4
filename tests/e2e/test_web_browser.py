"""The dashboard in a real browser — Debian's headless chromium driven by Playwright — against the real bot on
the sandbox: log in through /web, see a liaison's press appear, drill down from the overview to a measure's
timeline, 销号 from the web reaching the department's chat, and the refusals a browser meets."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.views.callbacks import Act, Press, encode
from supervisor_bot.web.browser import browser_missing, chromium
from tests.e2e.harness import BUREAU_CHAT, COORDINATOR, MONDAY
from tests.e2e.test_second_deployment import COORDINATOR as CHIEF
from tests.e2e.test_second_deployment import MONDAY as START
from tests.e2e.test_second_deployment import SILENT, UNBOUND, a_week, deployment
from tests.e2e.test_supervision import report
from tests.e2e.web_harness import a_web_world, enter_in_browser, with_web

if TYPE_CHECKING:
    from playwright.async_api import Page

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=str(browser_missing()))

FIN, PRIVATE, EDU = "市财政局", "市民营经济局", "市教育局"
COUNTY, UNBOUND_COUNTY = "商河县", "历下区"  # members of 各区县政府: one bound, one not (未绑定)


def _bound(name: str) -> bool:
    return name in (FIN, PRIVATE, EDU, COUNTY)


async def _prints_and_unfolds(page: Page, url: str) -> None:
    """The unit's page prints on A4 without the navigation; the units list unfolds collective bodies."""
    await page.emulate_media(media="print")
    assert not await page.locator("nav").is_visible()
    assert (await page.pdf(format="A4"))[:4] == b"%PDF"
    await page.emulate_media(media="screen")
    await page.goto(url + "/units?sort=overdue")
    body = page.locator('tr[data-unit="各区县政府"]')
    assert await body.locator(f'tr[data-unit="{COUNTY}"]').count() == 1
    assert await body.locator(f'tr[data-unit="{UNBOUND_COUNTY}"]').count() == 0  # 未绑定: listed apart
    assert not await body.locator(f'tr[data-unit="{COUNTY}"]').is_visible()
    await body.locator("summary").click()
    assert await body.locator(f'tr[data-unit="{COUNTY}"]').is_visible()
    first = page.locator("table.units > tbody > tr").first
    assert await first.get_attribute("data-unit") in (FIN, EDU, PRIVATE, "各区县政府")  # only they are overdue
    apart = page.locator(f'table.unbound tr[data-unit="{UNBOUND_COUNTY}"]')
    assert await apart.is_visible() and await apart.get_attribute("data-light") is None
    assert "未绑定" in await apart.inner_text()


async def test_a_coordinator_drills_down_and_closes_from_the_web(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web, chromium() as browser:
        world = web.world
        await world.tick(MONDAY)
        for hours in (2 * 24 + 8, 3 * 24 + 8, 4 * 24 + 8):  # 市民营经济局 says nothing: red, up to the 督办单
            await world.tick(MONDAY.add(hours=hours))
        page = await browser.new_page()
        await enter_in_browser(page, await web.link_for(COORDINATOR))
        assert page.url == web.url + "/"
        assert await page.locator("h1").inner_text() == "2021年第36周 落实情况总览"

        # a liaison's press, seen on the unit's page within a second
        await page.goto(web.url + f"/units/{FIN}")
        row = page.locator('tr[data-measure="32"]')
        assert "未报送" in await row.inner_text()
        pid = next(p.id for p in world.runtime.store.prompts() if p.respondent == FIN)
        pressed = time.monotonic()
        await world.press(FIN, encode(Press(Act.STATUS, pid, 32, Status.IN_PROGRESS)))
        while "推进中" not in await page.locator('tr[data-measure="32"]').inner_text():
            assert time.monotonic() - pressed < 1.0, "the press is not on the page within a second"
            await page.reload()

        await _prints_and_unfolds(page, web.url)

        # overview → a red item → the measure's timeline
        await page.goto(web.url + "/")
        red = page.locator(f'tr[data-unit="{PRIVATE}"][data-light="red"]').first
        measure = await red.get_attribute("data-measure")
        await red.locator("a", has_text=f"措施{measure}").click()
        assert page.url == web.url + f"/measures/{measure}"
        events = await page.locator("ol.timeline li").evaluate_all("els => els.map(e => e.dataset.event)")
        assert events[0] == "prompt" and {"remind", "urge", "escalate"} <= set(events)
        assert await page.locator(f'tr[data-unit="{PRIVATE}"]').get_attribute("data-light") == "red"

        # 销号 from the web: stored, audited, the department told, the bureau's message redrawn
        mark = world.sandbox.mark()
        await report(world, 46, Status.DONE, "已出台政府购买服务指导目录")
        verify = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains="【办结核实】"), after=mark)
        await page.goto(web.url + "/measures/46")
        await page.locator(f'button[data-act="close"][data-unit="{FIN}"]').click()
        assert "已销号" in await page.locator("section").inner_text()
        notice = await world.wait(RecordFilter(chat_id=world.chats[FIN], text_contains="【销号】"), after=mark)
        assert notice.text == f"【销号】{FIN}：措施46已经核实办结销号，此后不再报送。"
        edited = world.sandbox.message(BUREAU_CHAT, verify.message_id or 0)
        assert edited is not None and "✅ 已销号（王协调" in edited["text"]
        assert [c.state.value for c in world.runtime.store.closures()] == ["closed"]
        close = [a for a in world.runtime.store.audit("2021-W36") if a.action == "close"]
        assert [(a.actor.user_id, a.measure, a.respondent) for a in close] == [(COORDINATOR, 46, FIN)]
        await page.goto(web.url + "/measures/46")
        assert await page.locator('button[data-act="close"]').count() == 0
        events = await page.locator("ol.timeline li").evaluate_all("els => els.map(e => e.dataset.event)")
        assert events.index("report") < events.index("closure_requested") < events.index("close")


async def test_a_liaison_sees_its_own_units_and_nothing_else(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web, chromium() as browser:
        world = web.world
        await world.tick(MONDAY)
        page = await browser.new_page()
        await page.goto(web.url + "/units")
        assert page.url == web.url + "/welcome" and "发送 /web" in await page.content()
        link = await web.link_for(world.liaisons[FIN])
        await enter_in_browser(page, link)
        assert await page.locator("nav a", has_text=FIN).count() == 1
        assert await page.locator("nav a", has_text="责任单位").count() == 0
        await page.locator("nav a", has_text=FIN).click()
        assert await page.locator("section").get_attribute("data-unit") == FIN
        for path in (f"/units/{EDU}", "/units", "/measures/8", "/overdue", "/downloads/ledger.xlsx"):
            response = await page.goto(web.url + path)
            assert response is not None and response.status == 403, path
            assert EDU not in await page.locator("main").inner_text() or path == f"/units/{EDU}"
        replay = await browser.new_page()
        response = await replay.goto(link)
        assert response is not None and response.status == 403
        assert "已使用" in await replay.locator("main").inner_text()


async def test_a_plan_with_its_own_labels_drills_down_by_label(tmp_path: Path) -> None:
    """A second deployment's plan numbers measures `（一）` in each part: the overview's red item links to
    `/measures/<label>` (quoted), and the measure's page is named by that label."""
    async with deployment(tmp_path) as world, with_web(world) as web, chromium() as browser:
        await a_week(world, START)
        page = await browser.new_page()
        await enter_in_browser(page, await web.link_for(CHIEF))
        red = page.locator(f'tr[data-measure="二（三）"][data-unit="{SILENT}"][data-light="red"]')
        await red.locator("a", has_text="措施二（三）").click()
        assert page.url == web.url + "/measures/" + quote("二（三）")
        assert await page.locator("h1").inner_text() == "措施二（三）"
        assert await page.locator("section").get_attribute("data-measure") == "二（三）"
        unbound = page.locator(f'tr[data-unit="{UNBOUND}"]')  # it answers for 二（三） (配合), with no group yet
        assert "未绑定" in await unbound.inner_text() and await unbound.get_attribute("data-light") is None
        await page.goto(web.url + "/")
        apart = page.locator(f'ul.unbound li[data-unit="{UNBOUND}"]')
        assert "未绑定" in await apart.inner_text() and await apart.get_attribute("data-light") is None
