"""The dashboard (督办看板): its pages at province scale, and a liaison's press while it is being read.

- pages: a province (bench/province.py: 16 × the Jinan matrix, 752 groups) after 5 years of weekly rounds
  (bench/history.py), at a Friday digest moment, served by the real web front (aiohttp on this loop, the
  service runner's worker thread, a coordinator's session) over HTTP on 127.0.0.1. Baseline, in the same run and
  the same app: a static file (the stylesheet). `overview` is the page as people read it — the live round's
  picture computed once per change of the stored state, then reused; `overview_fresh` is the page right after a
  change (the picture recomputed: what the first reader after each press waits for); `unit` a unit's page.
  Targets (issue 14): overview p50 ≤ 10× the static file's and under 150 ms.
- press while reading: the Jinan bot on the sandbox with the dashboard attached, a reader loading the overview
  and a unit's page over and over, while a liaison presses (as bench/round_trip.py presses); the echo bot's
  press in the same run is the baseline. Target: press_p50_ratio ≤ 1.5 as without the dashboard.
`BENCH_WEB_HISTORY=DIR` reuses a province history built before (it is built into DIR if DIR is empty).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pendulum
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bench.common import MONDAY, UNLIMITED, echo_bot, our_bot, record, runtime, summary
from bench.growth import digest_moment
from bench.history import BUREAU_CHAT, History
from bench.province import province
from bench.round_trip import HRSS, PACE, checklist_of, timed_press
from storage.tinydb_store import TinyStore
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.app.runner import ServiceRunner
from supervisor_bot.app.shell import Shell
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import Sandbox
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views.callbacks import Act, Press, encode
from supervisor_bot.web.front import WebFront, WebSettings
from tests.service.fakes import FakeMessenger

ROUNDS = int(os.environ.get("BENCH_WEB_ROUNDS", "260"))
SAMPLES = 200
FRESH_SAMPLES = 20
PRESSES = 200
READ_PAUSE = 0.05  # between a reader's page loads
COORDINATOR = 1  # bench.common.runtime's coordinator
TARGET_RATIO, TARGET_MS, PRESS_TARGET = 10.0, 150.0, 1.5


def history(folder: Path) -> Path:
    if not (folder / "state.json").exists():
        matrix, registry = province()
        built = History(folder, matrix, registry)
        built.play(ROUNDS)
        built.close()
    return folder


@asynccontextmanager
async def dashboard(
    rt: Runtime, runner: ServiceRunner, data: Path, now: pendulum.DateTime
) -> AsyncIterator[tuple[WebFront, aiohttp.ClientSession]]:
    """The dashboard over `rt` with its clock held at `now`; the bench makes no decisions: nothing is sent."""
    shell = Shell(rt, ManualClock(now), runner, FakeMessenger(), data / "digests")
    front = WebFront(shell, WebSettings("127.0.0.1:0"))
    await front.start()
    client = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    try:
        token = front.login_link(COORDINATOR, "协调员").partition("login?t=")[2]  # what the link's one button POSTs
        async with client.post(f"{front.url}/login", data={"t": token}, allow_redirects=False) as response:
            assert response.status == 302, response.status
        yield front, client
    finally:
        await client.close()
        await front.stop()


async def timed_get(client: aiohttp.ClientSession, url: str) -> float:
    start = time.perf_counter()
    async with client.get(url) as response:
        await response.read()
        assert response.status == 200, (url, response.status)
    return time.perf_counter() - start


async def page_figures(folder: Path) -> dict[str, float]:
    matrix, registry = province()
    store = TinyStore(folder, group_commit=True)
    rt = runtime(store, matrix, registry, BUREAU_CHAT)
    runner = ServiceRunner(flush=store.flush)
    now = digest_moment(rt)
    unit = max(rt.duties, key=lambda name: len(rt.duties[name]))
    try:
        async with dashboard(rt, runner, folder, now) as (front, client):
            pages = {"static": "/static/style.css", "overview": "/", "unit": f"/units/{quote(unit)}"}
            for path in pages.values():  # warm up: the closed rounds' summaries, the live round's picture
                await timed_get(client, front.url + path)
            samples: dict[str, list[float]] = {name: [] for name in pages}
            for _ in range(SAMPLES):
                for name, path in pages.items():
                    samples[name].append(await timed_get(client, front.url + path))
            fresh = []
            for _ in range(FRESH_SAMPLES):
                front.cache.invalidate()  # as after a press: the picture is computed again
                fresh.append(await timed_get(client, front.url + "/"))
    finally:
        runner.shutdown()
        store.close()
    static, overview, unit_page, overview_fresh = (
        summary(samples["static"]),
        summary(samples["overview"]),
        summary(samples["unit"]),
        summary(fresh),
    )
    return {
        "web_rounds": ROUNDS,
        "web_static_p50_ms": static[0],
        "web_static_p99_ms": static[1],
        "web_overview_p50_ms": overview[0],
        "web_overview_p99_ms": overview[1],
        "web_overview_ratio": round(overview[0] / static[0], 2),
        "web_overview_fresh_p50_ms": overview_fresh[0],
        "web_overview_fresh_p99_ms": overview_fresh[1],
        "web_overview_fresh_ratio": round(overview_fresh[0] / static[0], 2),
        "web_unit_p50_ms": unit_page[0],
        "web_unit_p99_ms": unit_page[1],
        "web_unit_ratio": round(unit_page[0] / static[0], 2),
    }


async def echo_press_p50() -> float:
    async with Sandbox(limits=UNLIMITED) as sandbox:
        sandbox.add_user(1, "用户")
        chat = sandbox.create_group("回声群", -500)["id"]
        async with echo_bot(sandbox, concurrent=False) as app:
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x")]])
            message = await app.bot.send_message(chat, "按钮", reply_markup=markup)
            for _ in range(10):
                await timed_press(sandbox, chat, message.message_id, 1, "x")
            return summary([await timed_press(sandbox, chat, message.message_id, 1, "x") for _ in range(PRESSES)])[0]


async def press_while_reading() -> tuple[float, int]:
    """A liaison's press p50 (ms) with a reader on the dashboard all the while, and the pages read."""
    with tempfile.TemporaryDirectory() as tmp:
        async with Sandbox(limits=UNLIMITED) as sandbox, our_bot(sandbox, Path(tmp), liaisons_per_group=3) as world:
            await world.tick(MONDAY)
            now = world.shell.clock.now()
            async with dashboard(world.shell.runtime, world.shell.runner, Path(tmp), now) as (front, client):
                pid, message = checklist_of(world, HRSS)
                chat, user = world.chats[HRSS], world.liaisons[HRSS][0]
                measures = [d.measure.number for d in world.shell.runtime.duties[HRSS]]
                statuses = itertools.cycle([Status.IN_PROGRESS, Status.NOT_STARTED])
                reads = 0

                async def reader() -> None:
                    nonlocal reads
                    while True:
                        for path in ("/", f"/units/{quote(HRSS)}"):
                            await timed_get(client, front.url + path)
                            reads += 1
                            await asyncio.sleep(READ_PAUSE)

                reading = asyncio.create_task(reader())
                presses = []
                for n in range(PRESSES):
                    data = encode(Press(Act.STATUS, pid, measures[n % len(measures)], next(statuses)))
                    presses.append(await timed_press(sandbox, chat, message, user, data, PACE))
                reading.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reading
    return summary(presses)[0], reads


async def main() -> None:
    given = os.environ.get("BENCH_WEB_HISTORY")
    with tempfile.TemporaryDirectory() as tmp:
        folder = history(Path(given) if given else Path(tmp) / "province")
        figures = await page_figures(folder)
    echo = await echo_press_p50()
    press, reads = await press_while_reading()
    figures |= {
        "web_echo_press_p50_ms": echo,
        "web_press_p50_ms": press,
        "web_press_p50_ratio": round(press / echo, 2),
        "web_reads_during_presses": reads,
    }
    record(figures)
    print(
        f"targets: overview p50 ≤ {TARGET_RATIO:g}× static and < {TARGET_MS:g} ms; "
        f"press p50 ≤ {PRESS_TARGET:g}× the echo bot's while the dashboard is read"
    )


if __name__ == "__main__":
    asyncio.run(main())
