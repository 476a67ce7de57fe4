"""`digest` and `score` run again and again beside a bot under load (liaisons pressing, notes asked for), then the
bot is killed and restarted: every report it confirmed and every note it asked for is still there. Each such command reads
a copy of the store taken under the write lock and never writes the live folder — before, its store's clean
close rewrote state.json from its own stale copy and emptied state.jsonl, and what the bot wrote meanwhile was
gone after the next restart.

`make test` runs one of each; `make reliability` 20 (RELIABILITY_READERS).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from pathlib import Path

from storage.tinydb_store import TinyStore
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.respondents import duties, respondents
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import Sandbox
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.views.callbacks import Act, Press, encode
from tests.conftest import DEPARTMENTS, JINAN_PLAN
from tests.reliability.test_crash import (
    ROOT,
    ROUND,
    UNITS,
    Figures,
    Item,
    latest_checklist,
    liaison,
    write_settings,
)
from tests.reliability.test_fanout_crash import RUNNING, delivered, quiet, until

READERS = int(os.environ.get("RELIABILITY_READERS", "1"))
ASKED = "请回复本消息"  # the ForceReply that asks for a note: a pending note in state.json


async def asker(sandbox: Sandbox, chat: int, user: int, measures: list[int], stop: asyncio.Event) -> None:
    """Presses 已完成 now and then: each press makes the bot ask for a note and store it as pending."""
    rng = random.Random(chat)
    while not stop.is_set():
        found = latest_checklist(sandbox, chat)
        if found is not None:
            message_id, prompt_id = found
            press = Press(Act.STATUS, prompt_id, rng.choice(measures), Status.DONE)
            query = sandbox.press_button(chat, message_id, user, raw_data=encode(press))
            try:
                await sandbox.wait_for_callback_answer(query, timeout=5.0)
            except TimeoutError:
                return
        await asyncio.sleep(0.05)


async def command(env: dict[str, str], *args: str) -> None:
    reader = await asyncio.create_subprocess_exec(
        sys.executable,
        "main.py",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await reader.communicate()
    assert reader.returncode == 0, err.decode()[-2000:]
    assert out, args


async def start(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as output:
        return await asyncio.create_subprocess_exec(
            sys.executable, "main.py", "run", cwd=ROOT, env=env, stdout=output, stderr=output
        )


async def test_reading_commands_beside_a_bot_under_load_lose_nothing(tmp_path: Path) -> None:
    matrix = import_plan(JINAN_PLAN.read_text(encoding="utf-8"), load_registry(DEPARTMENTS)).matrix
    measures = {r.name: [d.measure.number for d in duties(matrix, r)] for r in respondents(matrix) if r.name in UNITS}
    rng = random.Random(1919)
    async with Sandbox() as sandbox:
        chats = {unit: sandbox.create_group(f"{unit}督办工作群", -2000 - i)["id"] for i, unit in enumerate(UNITS)}
        users = {unit: 300000 + i for i, unit in enumerate(UNITS)}
        for unit, user in users.items():
            sandbox.add_user(user, f"{unit}联络员")
        env = os.environ | {  # tests/conftest.py removed every deployment's variable from the test's environment
            "SUPERVISOR_CONFIG": str(write_settings(tmp_path, chats, users)),
            "TELEGRAM_BASE_URL": sandbox.url,
            "SUPERVISOR_CLOCK_START": "2021-09-06T09:00",
            "SUPERVISOR_CLOCK_SPEED": "1",
        }
        log = tmp_path / "bot.log"
        bot = await start(env, log)
        await until(lambda: set(delivered(sandbox)) == set(chats.values()), "the checklists never went out")
        items: dict[tuple[str, int], Item] = {}
        figures = Figures()
        stop = asyncio.Event()
        workers = [
            asyncio.create_task(liaison(sandbox, u, chats[u], users[u], measures[u], items, figures, rng, stop))
            for u in UNITS[:5]
        ] + [asyncio.create_task(asker(sandbox, chats[u], users[u], measures[u], stop)) for u in UNITS[5:]]
        out = tmp_path / "digest"
        for _ in range(READERS):  # each while the bot writes
            await command(env, "digest", "--out", str(out), "--at", "2021-09-08T12:00")
            await command(env, "score", "--from", "2021-09-01", "--to", "2021-12-31", "--json")
        stop.set()
        await asyncio.gather(*workers)
        await quiet(sandbox)
        bot.kill()  # a crash (or an OOM kill) after the commands: no clean close to rewrite state.json from memory
        await bot.wait()
        bot = await start(env, log)  # the restart that found the changes gone
        await until(lambda: log.read_text(encoding="utf-8").count(RUNNING) == 2, "the bot never started again")
        bot.send_signal(signal.SIGINT)
        assert await bot.wait() == 0
        asked = [
            (r.chat_id, r.message_id)
            for r in sandbox.sent()
            if r.method == "sendMessage" and (r.reply_markup or {}).get("force_reply") and ASKED in (r.text or "")
        ]
    store = TinyStore(tmp_path / "data")
    try:
        reports = store.reports(ROUND)
        notes_missing = [m for m in asked if m[0] is not None and store.pending_note(m[0], m[1] or 0) is None]
    finally:
        store.close()
    lost = [key for key, item in items.items() if item.confirmed and (reports.get((key[1], key[0])) is None)]
    wrong = [
        key
        for key, item in items.items()
        if item.confirmed and (r := reports.get((key[1], key[0]))) is not None and r.status not in item.allowed()
    ]
    print(
        f"\nreaders: {READERS} digests and {READERS} scores beside the bot; {figures.confirmed} reports confirmed, "
        f"{len(asked)} notes asked for; lost: {len(lost) + len(wrong)} reports, {len(notes_missing)} notes"
    )
    assert figures.confirmed > 0 and asked
    assert not lost and not wrong, (lost, wrong)
    assert not notes_missing, f"{len(notes_missing)} of {len(asked)} pending notes lost"
