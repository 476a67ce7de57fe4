"""What the benchmarks share: the bot and a bare echo bot on one sandbox, percentiles, results.json."""

from __future__ import annotations

import json
import os
import statistics
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pendulum
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from storage.plan_scope import PlanScope
from storage.tinydb_store import TinyStore
from supervisor_bot.app import cycle
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.app.shell import Shell
from supervisor_bot.composition.lifecycle import DurableStore, application
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.core.people import SYSTEM
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.schedule import RoundSchedule
from supervisor_bot.ports.store import Store
from supervisor_bot.sandbox import RateLimits, Sandbox
from supervisor_bot.services.plans import load_plan
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.settings.calendar import load_calendar
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.paths import default_departments, default_plan
from supervisor_bot.telegram.app import ALLOWED_UPDATES, build_front
from supervisor_bot.telegram.context import BotApp

os.environ.setdefault("PTB_TIMEDELTA", "1")
RESULTS = Path(__file__).with_name("results.json")
TZ = "Asia/Shanghai"
MONDAY = pendulum.datetime(2021, 9, 6, 9, 0, tz=TZ)
UNLIMITED = RateLimits(group_messages=10**9, group_window=1.0, total_messages=10**9, total_window=1.0)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def record(figures: dict[str, Any]) -> None:
    """Print the figures and merge them into bench/results.json."""
    for name, value in figures.items():
        print(f"{name:36} {value}")
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps(results | figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def jinan() -> tuple[Matrix, Any]:
    registry = load_registry(default_departments())
    return load_plan(default_plan(), default_departments()).matrix, registry


def runtime(
    store: Store,
    matrix: Matrix | None = None,
    registry: Any = None,
    bureau_chat: int | None = None,
    *,
    leaders_chat: int | None = None,
) -> Runtime:
    if matrix is None:
        matrix, registry = jinan()
    return Runtime(
        matrix=matrix,
        registry=registry,
        store=store,
        calendar=load_calendar(default_plan().parent.parent / "calendar_overrides.toml"),
        schedule=RoundSchedule(),
        coordinators=frozenset({1}),
        bureau_chat=bureau_chat,
        leaders_chat=leaders_chat,
    )


@dataclass
class BotWorld:
    sandbox: Sandbox
    app: BotApp
    shell: Shell
    chats: dict[str, int] = field(default_factory=dict)
    liaisons: dict[str, list[int]] = field(default_factory=dict)

    async def tick(self, now: pendulum.DateTime) -> None:
        assert isinstance(self.shell.clock, ManualClock)
        self.shell.clock.set(now)
        await cycle.tick(self.shell, now)


async def _start(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
    await app.start()


async def _stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()


@asynccontextmanager
async def our_bot(
    sandbox: Sandbox,
    data: Path,
    liaisons_per_group: int = 1,
    time_scale: float = 1.0,
    matrix: Matrix | None = None,
    registry: Any = None,
    bureau_chat: int | None = None,
    plans: tuple[tuple[str, Matrix], ...] = (),
    store: DurableStore | None = None,
) -> AsyncIterator[BotWorld]:
    """The bot on `sandbox`, every respondent bound to a group of its own with its liaisons; the Jinan plan
    unless a matrix and registry are given (or several `plans`, each (key, matrix), sharing `registry`);
    `bureau_chat` (a group the caller created) gets the 督办单. `store`: another than the data folder's."""
    store = store or TinyStore(data, group_commit=True)
    runtimes = tuple(
        replace(runtime(store, m, registry, bureau_chat), store=PlanScope(store, key), plan=key) for key, m in plans
    ) or (runtime(store, matrix, registry, bureau_chat),)
    user = 1000
    chats: dict[str, int] = {}
    liaisons: dict[str, list[int]] = {}
    names = dict.fromkeys(name for rt in runtimes for name in rt.respondents)
    for index, name in enumerate(names, start=1):
        chat = -10_000 - index
        sandbox.create_group(f"{name}群", chat)
        ids = []
        for _ in range(liaisons_per_group):
            user += 1
            sandbox.add_user(user, f"联络员{user}")
            ids.append(user)
        chats[name] = chat
        liaisons[name] = ids
        store.save_binding(
            Binding(name, chat, frozenset(ids), True, f"{name}群"),
            AuditEntry(MONDAY, SYSTEM, chat, "bind", respondent=name),
        )
    clock = ManualClock(MONDAY.subtract(hours=1))
    async with application(runtimes[0], store, clock, data / "digests", runtimes if plans else ()) as parts:
        front = build_front(
            parts, store, token=sandbox.token, base_url=sandbox.url, tick_seconds=None, time_scale=time_scale
        )
        async with front.running(long_poll=1):
            yield BotWorld(sandbox, front.app, front.shell, chats, liaisons)


async def _echo_command(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text("ok")


async def _echo_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(" ".join(context.args or []) or update.effective_message.text or "")


async def _echo_button(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(update.callback_query.data)


@asynccontextmanager
async def echo_bot(
    sandbox: Sandbox, concurrent: bool = True
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """python-telegram-bot as its examples write it: reply to commands and text, answer buttons."""
    builder = (
        Application.builder()
        .token(sandbox.token)
        .base_url(f"{sandbox.url}/bot")
        .base_file_url(f"{sandbox.url}/file/bot")
    )
    app = builder.concurrent_updates(concurrent).build()
    app.add_handler(CommandHandler("status", _echo_command))
    app.add_handler(CallbackQueryHandler(_echo_button))
    app.add_handler(CommandHandler("echo", _echo_text))  # privacy mode: in a group a bot sees commands
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo_text))
    async with app:
        await _start(app)
        try:
            yield app
        finally:
            await _stop(app)


def summary(samples: list[float]) -> tuple[float, float]:
    return ms(percentile(samples, 0.5)), ms(percentile(samples, 0.99))


def mean(samples: list[float]) -> float:
    return statistics.fmean(samples)
