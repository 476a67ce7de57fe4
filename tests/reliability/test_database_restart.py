"""The database restarts while liaisons report: the bot reconnects and carries on (the same process, still the
active one); no report it confirmed is lost, and nothing half-written is stored — every report kept has the audit
entry written with it in the same transaction."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from pathlib import Path

from storage.postgres.store import PgStore
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.respondents import duties, respondents
from supervisor_bot.sandbox import Sandbox
from supervisor_bot.settings.departments import load_registry
from tests.conftest import DEPARTMENTS, JINAN_PLAN
from tests.postgres_server import Server, need
from tests.reliability.test_crash import ROOT, ROUND, UNITS, Figures, Item, check_disk, liaison, lives, write_settings
from tests.reliability.test_fanout_crash import until

RESTARTS = 2


async def pressing(sandbox: Sandbox, people: dict[str, tuple[int, int, list[int]]], items: dict[tuple[str, int], Item],
                   figures: Figures, seconds: float, rng: random.Random) -> None:  # fmt: skip
    """Every unit's liaison pressing for `seconds` (or until a press goes unanswered)."""
    stop = asyncio.Event()
    workers = [
        asyncio.create_task(liaison(sandbox, unit, chat, user, measures, items, figures, rng, stop))
        for unit, (chat, user, measures) in people.items()
    ]
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*workers)


def nothing_half_written(url: str) -> int:
    """Every stored report has the audit entry that recorded it; the number of reports."""
    store = PgStore(url)
    try:
        reports = store.reports(ROUND)
        audited = {(a.measure, a.respondent, a.after) for a in store.audit(ROUND)}
    finally:
        store.close()
    for (measure, unit), report in reports.items():
        assert (measure, unit, report.status.value) in audited, f"措施{measure} {unit}: a report without its audit"
    return len(reports)


async def test_the_bot_rides_out_a_database_restart(tmp_path: Path, postgres: Server | None, database: str) -> None:
    server = need(postgres)
    matrix = import_plan(JINAN_PLAN.read_text(encoding="utf-8"), load_registry(DEPARTMENTS)).matrix
    measures = {r.name: [d.measure.number for d in duties(matrix, r)] for r in respondents(matrix) if r.name in UNITS}
    rng = random.Random(2022)
    async with Sandbox() as sandbox:
        chats = {unit: sandbox.create_group(f"{unit}督办工作群", -6000 - i)["id"] for i, unit in enumerate(UNITS)}
        users = {unit: 600000 + i for i, unit in enumerate(UNITS)}
        for unit, user in users.items():
            sandbox.add_user(user, f"{unit}联络员")
        env = os.environ | {
            "SUPERVISOR_SETTINGS": str(write_settings(tmp_path, chats, users, "postgresql")),
            "SUPERVISOR_DATABASE_URL": database,
            "TELEGRAM_BASE_URL": sandbox.url,
            "SUPERVISOR_CLOCK_START": "2021-09-06T09:00",
            "SUPERVISOR_CLOCK_SPEED": "1",
        }
        env.pop("TELEGRAM_BOT_TOKEN", None)
        log = tmp_path / "bot.log"
        with log.open("ab") as output:
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "main.py", "run", cwd=ROOT, env=env, stdout=output, stderr=output
            )
        await until(lambda: lives(log) == 1, "the bot never ran")
        people = {unit: (chats[unit], users[unit], measures[unit]) for unit in UNITS}
        items: dict[tuple[str, int], Item] = {}
        figures = Figures()
        await pressing(sandbox, people, items, figures, 2.0, rng)
        for _ in range(RESTARTS):
            under_load = asyncio.create_task(pressing(sandbox, people, items, figures, 3.0, rng))
            await asyncio.sleep(rng.uniform(0.3, 1.0))
            await asyncio.to_thread(server.restart)  # fast shutdown: every session dropped, in flight or not
            await under_load
            before = figures.confirmed
            for _ in range(15):  # the pool reconnects with a backoff: a loaded machine may take a few seconds
                await pressing(sandbox, people, items, figures, 2.0, rng)
                if figures.confirmed > before:
                    break
            assert figures.confirmed > before, "no report confirmed after the database came back"
            assert bot.returncode is None, "the bot stopped"
        bot.send_signal(signal.SIGINT)
        assert await bot.wait() == 0, log.read_text(encoding="utf-8")[-2000:]
    assert lives(log) == 1, "the bot was restarted"
    check_disk(tmp_path / "data", items, figures, database)
    assert figures.lost == 0
    stored = nothing_half_written(database)
    print(f"\ndatabase restarts: {RESTARTS}; {figures.confirmed} confirmed, {figures.lost} lost, {stored} stored")
