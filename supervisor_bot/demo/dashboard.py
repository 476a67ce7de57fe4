"""The rehearsal's dashboard: after the simulated stretch, the 督办看板 over the month's data — a screenshot of each page
(`web-*.png`), and with `--serve` the dashboard kept up with a login link printed, until Ctrl-C.

The Telegram front has stopped by then (no more ticks); the dashboard's clock stays at the month's end.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

import pendulum

from supervisor_bot.app.clock import ManualClock
from supervisor_bot.app.shell import Shell
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.web.browser import browser_missing, chromium
from supervisor_bot.web.front import WebFront, WebSettings

SERVE_LISTEN = "127.0.0.1:8080"


@dataclass(frozen=True)
class WebDemo:
    out: Path
    serve: bool = False


def _pages(runtimes: tuple[Runtime, ...], silent: str | None) -> list[tuple[str, str]]:
    """The pages shown: every plan's overview (with several plans, the switch at 全部方案, then each plan chosen
    in it: `web-plan-KEY.png`), the silent unit's page (it shows the ladder at work) and a measure it answers for."""
    rt = next((r for r in runtimes if silent in r.respondents), runtimes[0])
    unit = silent or next(iter(rt.respondents), "")
    mine = [d.measure.number for d in rt.duties.get(unit, ())]
    red = rt.matrix.label(mine[0] if mine else rt.matrix.measures[0].number)
    measure = f"/measures/{quote(rt.plan)}/{quote(red)}" if rt.plan else f"/measures/{quote(red)}"
    chosen = [(f"plan-{r.plan}", f"/?plan={quote(r.plan)}") for r in runtimes if r.plan and len(runtimes) > 1]
    return [
        ("overview", "/"),
        *chosen,
        ("units", "/units?sort=light"),
        ("unit", f"/units/{quote(unit)}"),
        ("measure", measure),
        ("overdue", "/overdue"),
        ("interviews", "/interviews"),
    ]


async def _screenshots(
    front: WebFront, runtimes: tuple[Runtime, ...], out: Path, coordinator: tuple[int, str], silent: str | None
) -> list[Path]:
    user, name = coordinator
    written = []
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        await page.goto(front.login_link(user, name))
        async with page.expect_navigation():
            await page.locator("button[data-login]").click()  # only the button's POST spends the link
        for label, path in await asyncio.to_thread(_pages, runtimes, silent):
            await page.goto(front.url + path)
            target = out / f"web-{label}.png"
            await page.screenshot(path=str(target), full_page=True)
            written.append(target)
    return written


async def show_dashboard(
    demo: WebDemo, shell: Shell, at: dt.datetime, coordinator: tuple[int, str], silent: str | None
) -> list[Path]:
    """The Telegram front has stopped: the dashboard over the same application, its clock held at `at`."""
    front = WebFront(
        replace(shell, clock=ManualClock(pendulum.instance(at))),
        WebSettings(SERVE_LISTEN if demo.serve else "127.0.0.1:0"),
    )
    await front.start()
    shots: list[Path] = []
    try:
        missing = browser_missing()
        if missing is None:
            shots = await _screenshots(front, shell.runtimes, demo.out, coordinator, silent)
            print(f"督办看板截图：{', '.join(p.name for p in shots)}", file=sys.stderr)
        else:
            print(f"督办看板截图未生成：{missing}", file=sys.stderr)
        if demo.serve:
            print(f"\n督办看板：{front.url}/\n协调员登录链接（10分钟内有效，只能使用一次）：", file=sys.stderr)
            print(front.login_link(*coordinator), flush=True)
            print("按 Ctrl-C 结束。", file=sys.stderr, flush=True)
            await asyncio.Event().wait()
    finally:
        await front.stop()
    return shots
