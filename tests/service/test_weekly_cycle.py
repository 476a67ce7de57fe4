"""The weekly cycle through the application shell with a fake messenger: no Telegram anywhere, and chat, person
and message ids that are strings (as WeCom's are), kept by the store like Telegram's integers."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pendulum
import pytest

from storage.memory import MemoryStore
from storage.tinydb_store import TinyStore
from supervisor_bot.app import cycle
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.app.runner import ServiceRunner
from supervisor_bot.app.shell import Shell
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.people import SYSTEM, Actor, ChatId
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.schedule import RoundSchedule
from supervisor_bot.core.status import Status
from supervisor_bot.ports.messenger import Messenger
from supervisor_bot.ports.store import Store
from supervisor_bot.services import reporting
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.settings.calendar import load_calendar
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.paths import PROJECT_ROOT, default_departments, default_plan
from supervisor_bot.views.callbacks import Act, Press
from tests.service.fakes import FakeMessenger

TZ = "Asia/Shanghai"
MONDAY = pendulum.datetime(2021, 9, 6, 9, 0, tz=TZ)
FIN, EDU = "市财政局", "市教育局"
CHATS = {FIN: "wecom:fin", EDU: "wecom:edu"}
LIAISONS = {FIN: Actor("wecom:zhang", "张联络"), EDU: Actor("wecom:li", "李联络")}
BUREAU, LEADERS = "wecom:bureau", "wecom:leaders"


def a_runtime(store: Store) -> Runtime:
    """The Jinan plan with 市财政局 and 市教育局 bound to their groups (string ids), and a coordinator."""
    registry = load_registry(default_departments())
    runtime = Runtime(
        matrix=import_plan(default_plan().read_text(encoding="utf-8"), registry).matrix,
        registry=registry,
        store=store,
        calendar=load_calendar(default_plan().parent.parent / "calendar_overrides.toml"),
        schedule=RoundSchedule(),
        coordinators=frozenset({"wecom:wang"}),
        bureau_chat=BUREAU,
        leaders_chat=LEADERS,
    )
    bind_groups(store)
    return runtime


def bind_groups(store: Store) -> None:
    """市财政局 and 市教育局 bound to their groups, one liaison each (a binding serves every plan)."""
    for unit, chat in CHATS.items():
        binding = Binding(unit, chat, frozenset({LIAISONS[unit].user_id}), True, f"{unit}工作群")
        store.save_binding(binding, AuditEntry(MONDAY, SYSTEM, chat, "bind", respondent=unit))


def a_shell(store: Store, digests: Path) -> tuple[Shell, FakeMessenger]:
    messenger = FakeMessenger()
    return on_messenger(store, digests, messenger), messenger


def on_messenger(store: Store, digests: Path, messenger: Messenger) -> Shell:
    return Shell(a_runtime(store), ManualClock(MONDAY), ServiceRunner(flush=store.flush), messenger, digests)


async def report_everything(shell: Shell, unit: str) -> None:
    """The unit's liaison marks every measure 推进中 on the checklist, as a press on the messenger would."""
    rt = shell.runtime
    prompt = next(p for p in rt.store.prompts() if p.respondent == unit)
    assert prompt.message_id is not None
    for duty in rt.duties[unit]:
        pressed = Press(Act.STATUS, prompt.id, duty.measure.number, Status.IN_PROGRESS)
        outcome = await shell.runner.call(
            reporting.press, rt, pressed, prompt.chat_id, prompt.message_id, LIAISONS[unit], shell.now()
        )
        assert isinstance(outcome, reporting.Show), outcome


async def a_week(shell: Shell) -> None:
    """Monday's round, 市财政局's report on Tuesday, then every hour to Friday evening."""
    clock = shell.clock
    assert isinstance(clock, ManualClock)
    moment = MONDAY
    while moment <= MONDAY.add(days=4, hours=9):
        clock.set(moment)
        await cycle.tick(shell, moment)
        if moment == MONDAY.add(days=1):
            await report_everything(shell, FIN)
        moment = moment.add(hours=1)


Read = Callable[[ChatId], Awaitable[list[str]]]


async def the_week_went_as_it_should(texts: Read, files: Read, store: Store) -> None:
    """What every messenger's week must show: the same whichever messenger carried it."""
    fin, edu = await texts(CHATS[FIN]), await texts(CHATS[EDU])
    assert len(fin) == 1 and fin[0].startswith("【督办】2021年第36周"), "市财政局 reported: its checklist only"
    assert edu[0].startswith("【督办】2021年第36周")
    assert [t.split("：")[0] for t in edu[1:]] == [f"【临期提醒】{EDU}", f"【催办】{EDU}"]
    bureau = await texts(BUREAU)
    assert any(t.startswith("【督办单】") and f"被督办单位：{EDU}" in t for t in bureau)
    assert not any(f"被督办单位：{FIN}" in t for t in bureau)
    leaders = await texts(LEADERS)
    assert leaders and "周报" in leaders[0]
    assert await files(LEADERS) == ["督办台账20210910.xlsx", "分部分进展20210910.png"]
    stored = {p.respondent: p for p in store.prompts()}
    assert stored[EDU].chat_id == "wecom:edu" and isinstance(stored[EDU].message_id, str)
    assert not store.intents(), "every send's intent settled"


def a_store(backend: str, request: pytest.FixtureRequest) -> Store:
    """In memory, or the database with group commit as the bot opens it."""
    if backend == "memory":
        return MemoryStore()
    from storage.postgres.store import PgStore

    return PgStore(str(request.getfixturevalue("database")), group_commit=True)


@pytest.mark.parametrize("backend", ["memory", "postgresql"])
async def test_a_week_through_the_shell(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> None:
    store = a_store(backend, request)
    shell, messenger = a_shell(store, tmp_path / "digests")
    try:
        await a_week(shell)
    finally:
        shell.runner.shutdown()
        store.flush()

    async def texts(chat: ChatId) -> list[str]:
        return messenger.texts(chat)

    async def files(chat: ChatId) -> list[str]:
        return messenger.files(chat)

    await the_week_went_as_it_should(texts, files, store)
    assert str(store.prompts()[0].message_id).startswith("msg-")
    store.close()


async def test_string_ids_survive_the_disk(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "data", group_commit=True)
    shell, _ = a_shell(store, tmp_path / "digests")
    try:
        shell.clock.set(MONDAY)  # type: ignore[attr-defined]
        await cycle.tick(shell, MONDAY)
        await report_everything(shell, FIN)
    finally:
        shell.runner.shutdown()
        store.close()
    again = TinyStore(tmp_path / "data")
    try:
        binding = next(b for b in again.bindings() if b.respondent == FIN)
        assert binding.chat_id == "wecom:fin" and binding.liaisons == frozenset({"wecom:zhang"})
        prompt = next(p for p in again.prompts() if p.respondent == FIN)
        round_id = prompt.round_id
        reports = again.reports(round_id)
        assert reports and all(r.actor.user_id == "wecom:zhang" and r.chat_id == "wecom:fin" for r in reports.values())
        assert isinstance(prompt.message_id, str)
    finally:
        again.close()


def test_the_shell_runs_without_telegram(tmp_path: Path) -> None:
    """In a fresh interpreter: a week through the application shell imports nothing of Telegram."""
    script = (
        "import asyncio, sys, pathlib\n"
        "from storage.memory import MemoryStore\n"
        "from tests.service.test_weekly_cycle import a_shell, a_week\n"
        f"shell, messenger = a_shell(MemoryStore(), pathlib.Path({str(tmp_path)!r}))\n"
        "asyncio.run(a_week(shell))\n"
        "shell.runner.shutdown()\n"
        "assert messenger.sent, 'nothing sent'\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'telegram' or 'supervisor_bot.telegram' in m)\n"
        "print(len(messenger.sent), loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    count, loaded = done.stdout.split(" ", 1)
    assert int(count) > 3 and loaded.strip() == "[]"
