"""One active bot and a standby on PostgreSQL: a second `run` refuses (exit 3, naming the host and PID of the
active one); a standby waits, and when the active bot is killed (SIGKILL) in the middle of a round's fan-out it
takes over within 10 s, catches up as after a restart and finishes the round — every chat has its checklist, and a
chat that has two is named in the log as a possible duplicate."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg

from storage.postgres.lock import DeploymentLock, Watch
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.respondents import respondents
from supervisor_bot.sandbox import Sandbox
from supervisor_bot.settings.departments import load_registry
from tests.conftest import DEPARTMENTS, JINAN_PLAN
from tests.reliability.test_crash import DUPLICATE_LOG, ROOT, SENT_LOG, write_settings
from tests.reliability.test_fanout_crash import RUNNING, delivered, quiet, until

TAKEOVER_LIMIT = 10.0
WAITING = "standby: waiting"


async def start(env: dict[str, str], log: Path, *extra: str) -> asyncio.subprocess.Process:
    with log.open("ab") as output:
        return await asyncio.create_subprocess_exec(
            sys.executable, "main.py", "run", *extra, cwd=ROOT, env=env, stdout=output, stderr=output
        )


def bot_env(tmp: Path, sandbox: Sandbox, units: list[str], database: str) -> tuple[dict[str, str], dict[str, int]]:
    chats = {unit: sandbox.create_group(f"{unit}督办工作群", -5000 - i)["id"] for i, unit in enumerate(units)}
    users = {unit: 500000 + i for i, unit in enumerate(units)}
    for unit, user in users.items():
        sandbox.add_user(user, f"{unit}联络员")
    env = os.environ | {
        "SUPERVISOR_SETTINGS": str(write_settings(tmp, chats, users, "postgresql")),
        "SUPERVISOR_DATABASE_URL": database,
        "TELEGRAM_BASE_URL": sandbox.url,
        "SUPERVISOR_CLOCK_START": "2021-09-06T09:00",  # the first tick opens the round
        "SUPERVISOR_CLOCK_SPEED": "1",
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return env, chats


async def test_a_standby_takes_over_when_the_active_bot_is_killed(tmp_path: Path, database: str) -> None:
    matrix = import_plan(JINAN_PLAN.read_text(encoding="utf-8"), load_registry(DEPARTMENTS)).matrix
    units = [r.name for r in respondents(matrix)][:24]
    cut = random.Random(22).randint(3, len(units) - 3)
    async with Sandbox() as sandbox:
        env, chats = bot_env(tmp_path, sandbox, units, database)
        sandbox.inject_fault("delay", method="sendMessage", count=None, delay=0.15)  # a fan-out long enough to cut
        active_log, standby_log, second_log = tmp_path / "active.log", tmp_path / "standby.log", tmp_path / "second.log"
        active = await start(env, active_log)
        await until(lambda: RUNNING in active_log.read_text(encoding="utf-8"), "the active bot never ran")

        second = await start(env, second_log)  # no --standby: refused, naming who holds the database
        assert await second.wait() == 3, second_log.read_text(encoding="utf-8")
        refusal = second_log.read_text(encoding="utf-8")
        assert f"主机 {socket.gethostname()}，PID {active.pid}" in refusal and "--standby" in refusal

        standby = await start(env, standby_log, "--standby")
        await until(lambda: WAITING in standby_log.read_text(encoding="utf-8"), "the standby never waited")
        await until(lambda: sum(delivered(sandbox).values()) >= cut, "the fan-out never began")
        active.kill()  # SIGKILL in the middle of the fan-out: its connections drop, and with them the lock
        await active.wait()
        loop = asyncio.get_running_loop()
        killed = loop.time()
        await until(lambda: RUNNING in standby_log.read_text(encoding="utf-8"), "the standby never took over")
        takeover = loop.time() - killed
        assert takeover < TAKEOVER_LIMIT, f"the standby took {takeover:.1f} s"

        await until(lambda: set(delivered(sandbox)) == set(chats.values()), "a checklist never arrived")
        await quiet(sandbox)
        standby.send_signal(signal.SIGINT)
        assert await standby.wait() == 0, standby_log.read_text(encoding="utf-8")[-2000:]

    logs = active_log.read_text(encoding="utf-8") + standby_log.read_text(encoding="utf-8")
    assert all(n == 1 for n in Counter(u for u, _, _ in SENT_LOG.findall(logs)).values()), "recorded as sent twice"
    flagged = Counter(int(chat) for chat in DUPLICATE_LOG.findall(standby_log.read_text(encoding="utf-8")))
    counts = delivered(sandbox)
    for unit, chat in chats.items():
        assert counts[chat] >= 1, f"{unit} got no checklist"
        assert counts[chat] == 1 or flagged[chat] == 1, f"{unit}'s second checklist is not logged as a duplicate"
    print(f"\nstandby took over {takeover:.2f} s after the kill; {cut}+ checklists sent before it")


def test_an_active_bot_that_lost_its_lock_to_a_standby_is_told_to_stop(database: str) -> None:
    """Its connection dropped (a network cut, the database restarted) and a standby took the lock meanwhile: the
    watch does not take it back, it reports who holds it (the bot then stops, exit 3)."""
    active, standby = DeploymentLock(database), DeploymentLock(database)
    assert active.first_take() and not standby.take()
    told: list[tuple[str, str] | None] = []
    gone = threading.Event()

    def lost(holder: tuple[str, str] | None) -> None:
        told.append(holder)
        gone.set()

    watch = Watch(active, lost, every=1.0)
    try:
        assert active.conn is not None
        with psycopg.connect(database, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (active.conn.info.backend_pid,))
        deadline = time.monotonic() + 5
        while not standby.take():
            assert time.monotonic() < deadline, "the lock was never released"
            time.sleep(0.01)
        assert gone.wait(10), "the watch never noticed"
        assert told == [(socket.gethostname(), str(os.getpid()))]  # the standby's host and PID (this process)
    finally:
        watch.stop()
        active.close()
        standby.close()
