"""SIGKILL at random moments while liaisons report: after each kill every file is readable and every report the
bot confirmed is on disk; at the end nothing the log shows as sent was sent twice.

`make test` runs a few kills on the files and 20 on PostgreSQL (a kill costs less there: no file to check);
`make reliability` runs at least 50 kills on each over at least 1,000 confirmed reports (RELIABILITY_KILLS,
RELIABILITY_REPORTS).
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest

from storage.tinydb_store import TinyStore
from supervisor_bot.composition.lifecycle import DurableStore
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.respondents import duties, respondents
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import Sandbox
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.views.callbacks import Act, Press, decode, encode
from tests.conftest import CONFIG, DEPARTMENTS, JINAN_PLAN

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("RELIABILITY_KILLS", "3"))
REPORTS = int(os.environ.get("RELIABILITY_REPORTS", "60"))
PG_KILLS = max(KILLS, 20)
UNITS = ("市财政局", "市教育局", "市商务局", "市税务局", "市总工会", "市残联", "历下区", "商河县")
ROUND = "2021-W36"
CHECKLIST = "【督办】2021年第36周"
STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)  # set by a press alone (the others wait for a note)
CONFIRMED = re.compile(r"已记录：措施(\d+) (\S+)")
SENT_LOG = re.compile(r"checklist for (\S+) sent to chat (-?\d+) \(round (\S+)\)")
DUPLICATE_LOG = re.compile(r"to chat (-?\d+) sent again after a restart: .*possible duplicate")


@dataclass
class Item:
    """One measure of one unit: its presses in order, and how many of them the bot had confirmed."""

    presses: list[Status] = field(default_factory=list)
    confirmed: int = 0  # presses[:confirmed] … the last confirmed one is presses[confirmed - 1]

    def allowed(self) -> set[Status | None]:
        """What the disk may hold: the last confirmed press, or any press after it (not yet confirmed)."""
        start = max(self.confirmed - 1, 0)
        later: set[Status | None] = set(self.presses[start:])
        return later if self.confirmed else later | {None}


@dataclass
class Figures:
    kills: int = 0
    presses: int = 0
    confirmed: int = 0
    refused: int = 0
    lost: int = 0  # confirmed reports missing after a kill: must stay 0


def write_settings(tmp: Path, chats: dict[str, int], liaisons: dict[str, int], backend: str = "files") -> Path:
    bindings = "\n".join(f'"{name}" = {chat}' for name, chat in chats.items())
    people = "\n".join(f'"{name}" = [{user}]' for name, user in liaisons.items())
    path = tmp / "settings.toml"
    path.write_text(
        f"""timezone = "Asia/Shanghai"
data_dir = "{tmp / "data"}"
[plan]
file = "{JINAN_PLAN}"
departments = "{DEPARTMENTS}"
[calendar]
overrides = "{CONFIG / "calendar_overrides.toml"}"
[people]
coordinators = [900001]
[bindings]
{bindings}
[liaisons]
{people}
[storage]
backend = "{backend}"
""",
        encoding="utf-8",
    )
    return path


def check_disk(data: Path, items: dict[tuple[str, int], Item], figures: Figures, url: str = "") -> None:
    """Between a kill and the restart: every file whole, every confirmed report there (or in the database)."""
    for path in data.rglob("*.json"):
        orjson.loads(path.read_bytes())  # rewritten whole, atomically: never torn
    for path in data.rglob("*.jsonl"):
        complete = path.read_bytes().rpartition(b"\n")[0]  # only a last line no one was told about may be torn
        assert all(isinstance(orjson.loads(line), list) for line in complete.splitlines() if line)
    store = open_stored(data, url)
    try:
        stored = store.reports(ROUND) if any(r.id == ROUND for r in store.rounds()) else {}
    finally:
        store.close()
    for (unit, measure), item in items.items():
        report = stored.get((measure, unit))
        if (report.status if report else None) not in item.allowed():
            figures.lost += 1


def open_stored(data: Path, url: str) -> DurableStore:
    if not url:
        return TinyStore(data)
    from storage.postgres.store import PgStore

    return PgStore(url)


def lives(log: Path) -> int:
    return log.read_text(encoding="utf-8").count("supervisor bot running")


async def running(log: Path, before: int) -> None:
    """Until the log shows the bot up more than `before` times (60 s at most)."""
    for _ in range(1200):
        if lives(log) > before:
            return
        await asyncio.sleep(0.05)


def latest_checklist(sandbox: Sandbox, chat: int) -> tuple[int, str] | None:
    """The newest message in the chat with checklist buttons: its id and its prompt's."""
    for message in reversed(sandbox.messages_in(chat)):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        for press in (decode(button.get("callback_data")) for row in rows for button in row):
            if press is not None:
                return message["message_id"], press.prompt_id
    return None


async def liaison(
    sandbox: Sandbox,
    unit: str,
    chat: int,
    user: int,
    measures: list[int],
    items: dict[tuple[str, int], Item],
    figures: Figures,
    rng: random.Random,
    stop: asyncio.Event,
) -> None:
    """Presses buttons on the unit's latest checklist, one at a time, until the bot dies."""
    while not stop.is_set():
        checklist = latest_checklist(sandbox, chat)
        if checklist is None:
            await asyncio.sleep(0.05)
            continue
        message_id, prompt_id = checklist
        measure, status = rng.choice(measures), rng.choice(STATUSES)
        item = items.setdefault((unit, measure), Item())
        item.presses.append(status)
        index = len(item.presses)
        figures.presses += 1
        query = sandbox.press_button(
            chat, message_id, user, raw_data=encode(Press(Act.STATUS, prompt_id, measure, status))
        )
        try:
            answer = await sandbox.wait_for_callback_answer(query, timeout=3.0)
        except TimeoutError:
            return  # the bot is gone: this press may or may not be applied
        found = CONFIRMED.fullmatch(answer.text or "")
        if answer.show_alert or found is None:
            figures.refused += 1
            item.presses.pop()  # refused: changes nothing
            continue
        assert (int(found[1]), found[2]) == (measure, status.label)
        item.confirmed = index
        figures.confirmed += 1


@pytest.mark.parametrize("backend", ["files", "postgresql"])
async def test_sigkill_while_liaisons_report(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> None:
    url = str(request.getfixturevalue("database")) if backend == "postgresql" else ""
    kills = PG_KILLS if url else KILLS
    matrix = import_plan(JINAN_PLAN.read_text(encoding="utf-8"), load_registry(DEPARTMENTS)).matrix
    measures = {r.name: [d.measure.number for d in duties(matrix, r)] for r in respondents(matrix) if r.name in UNITS}
    rng = random.Random(20211)
    async with Sandbox() as sandbox:
        chats = {unit: sandbox.create_group(f"{unit}督办工作群", -2000 - i)["id"] for i, unit in enumerate(UNITS)}
        users = {unit: 300000 + i for i, unit in enumerate(UNITS)}
        for unit, user in users.items():
            sandbox.add_user(user, f"{unit}联络员")
        env = os.environ | {
            "SUPERVISOR_SETTINGS": str(write_settings(tmp_path, chats, users, backend)),
            "SUPERVISOR_DATABASE_URL": url,
            "TELEGRAM_BASE_URL": sandbox.url,
            "SUPERVISOR_CLOCK_START": "2021-09-06T09:00",
            "SUPERVISOR_CLOCK_SPEED": "1",
        }
        env.pop("TELEGRAM_BOT_TOKEN", None)
        log = tmp_path / "bot.log"
        items: dict[tuple[str, int], Item] = {}
        figures = Figures()
        started = 0
        while True:
            last = figures.kills >= kills and figures.confirmed >= REPORTS
            with log.open("ab") as output:
                bot = await asyncio.create_subprocess_exec(
                    sys.executable, "main.py", "run", cwd=ROOT, env=env, stdout=output, stderr=output
                )
            stop = asyncio.Event()
            workers = [
                asyncio.create_task(
                    liaison(sandbox, unit, chats[unit], users[unit], measures[unit], items, figures, rng, stop)
                )
                for unit in UNITS
            ]
            if url:  # lean: each kill lands while the bot runs, a moment after it is up
                await running(log, started)
                started = lives(log)  # a life that never came up (too slow to start) is not waited for again
                await asyncio.sleep(rng.uniform(0.3, 1.5) if not last else 3.0)
            else:
                await asyncio.sleep(rng.uniform(1.5, 4.0) if not last else 4.0)
            if last:
                stop.set()
                await asyncio.gather(*workers)
                bot.send_signal(signal.SIGINT)  # a clean stop at the end
                await bot.wait()
                break
            bot.kill()  # SIGKILL: no clean-up of any kind
            await bot.wait()
            figures.kills += 1
            stop.set()
            await asyncio.gather(*workers)
            check_disk(tmp_path / "data", items, figures, url)
            assert figures.lost == 0, f"confirmed reports lost after kill {figures.kills}"

        check_disk(tmp_path / "data", items, figures, url)
        assert figures.lost == 0
        sent_logged = Counter((chat, rnd) for _, chat, rnd in SENT_LOG.findall(log.read_text(encoding="utf-8")))
        delivered = Counter(
            r.chat_id for r in sandbox.sent() if r.method == "sendMessage" and (r.text or "").startswith(CHECKLIST)
        )
        flagged = set(DUPLICATE_LOG.findall(log.read_text(encoding="utf-8")))
        for (chat, _), times in sent_logged.items():
            assert times == 1, f"the checklist for chat {chat} was recorded as sent twice"
            # sent twice only when a kill cut the fan-out between a send and its record: the log says so
            assert delivered[int(chat)] == 1 or chat in flagged, f"a checklist went to {chat} twice, unlogged"
        assert len(sent_logged) == len(UNITS)
    assert figures.kills >= kills and figures.confirmed >= REPORTS
    print(
        f"\ncrash test ({backend}): {figures.kills} kills, {figures.presses} presses, {figures.confirmed} confirmed, "
        f"{figures.refused} refused, {figures.lost} lost"
    )
