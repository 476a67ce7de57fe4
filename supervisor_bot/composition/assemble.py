"""Assemble the bot from settings: import the plan, load the calendar, open the store, bind configured chats."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.plan_scope import PlanScope
from supervisor_bot.app.clock import Clock, FastClock, SystemClock
from supervisor_bot.composition.deployment import open_store
from supervisor_bot.composition.lifecycle import DurableStore
from supervisor_bot.composition.plan_check import require_same_plan
from supervisor_bot.composition.plans import plan_folder, retired, upgrade
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.core.office import Office, office_for
from supervisor_bot.core.people import ChatId
from supervisor_bot.core.plan_import import ImportProblem, ImportResult
from supervisor_bot.ports.store import Store
from supervisor_bot.services import binding
from supervisor_bot.services.plans import load_plan
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.settings.calendar import load_calendar
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import Settings

SANDBOX_TOKEN = "7000000001:AAsandbox-supervisor-bot-token"


@dataclass(frozen=True)
class Assembled:
    runtime: Runtime  # the first plan's (the only one of a `[plan]` deployment)
    store: DurableStore  # the runtime's store, as the application's lifecycle opens and closes it
    clock: Clock
    problems: tuple[ImportProblem, ...]
    runtimes: tuple[Runtime, ...] = ()  # every plan's, each on its own view of the store (`[[plans]]`)


def clock_for(settings: Settings) -> Clock:
    if settings.clock_start is not None:
        return FastClock(settings.clock_start, settings.clock_speed)
    return SystemClock()


def token_for(settings: Settings) -> str:
    """The real token; against a local Bot API server without one, the sandbox's stand-in."""
    if settings.token:
        return settings.token
    if settings.uses_telegram:
        raise ConfigError(
            "环境变量",
            "TELEGRAM_BOT_TOKEN",
            "未设置：连接 Telegram 需要 BotFather 提供的令牌（或设置 TELEGRAM_BASE_URL 使用本地沙箱）",
        )
    return SANDBOX_TOKEN


def tick_seconds(settings: Settings) -> float:
    """A tick each simulated minute, between 0.05 and 30 real seconds."""
    return min(30.0, max(0.05, 60.0 / settings.clock_speed))


def office_of(settings: Settings, matrix: Matrix, title: str | None = None) -> Office:
    """The names messages print: `[office]` and `[escalation] basis`, completed from the plan (a plan's own
    `title` in `[[plans]]`)."""
    names = settings.office
    return office_for(
        matrix, bureau=names.bureau, leaders=names.leaders, plan_title=title or names.plan_title, basis=names.basis
    )


def assemble(settings: Settings, clock: Clock | None = None, locked: bool = False) -> Assembled:
    """The bot from its settings (`locked`: the caller is the deployment's active bot — it holds the data folder's
    lock, or the database's — as `run` does)."""
    imported = {p.key: load_plan(p.file, settings.departments_file) for p in settings.plans}
    clock = clock or clock_for(settings)
    store = open_store(settings, group_commit=True)
    try:
        if settings.keyed:
            upgrade(settings, {key: found.matrix for key, found in imported.items()}, store, clock.now(), locked)
        for plan in settings.plans:
            folder = plan_folder(settings.data_dir, plan.key)
            require_same_plan(folder, plan.file, imported[plan.key].matrix, clock.now())
    except BaseException:
        store.close()
        raise
    runtimes = runtimes_of(settings, imported, store)
    unknown = apply_bindings(runtimes, dict(settings.bindings), clock.now())
    store.flush()
    if unknown:
        store.close()
        raise ConfigError(settings.source, f"bindings.{unknown[0]}", "不是分工方案中的责任单位（或集体单位的成员）")
    problems = tuple(problem for found in imported.values() for problem in found.problems)
    return Assembled(runtimes[0], store, clock, problems, runtimes)


def runtimes_of(settings: Settings, imported: dict[str, ImportResult], store: Store) -> tuple[Runtime, ...]:
    """Every plan's runtime, each on its view of the store (the one plan of a `[plan]` deployment on the store)."""
    registry = load_registry(settings.departments_file)
    calendar = load_calendar(settings.calendar_overrides)
    return tuple(
        Runtime(
            matrix=imported[plan.key].matrix,
            registry=registry,
            store=PlanScope(store, plan.key) if plan.key else store,
            calendar=calendar,
            schedule=plan.schedule,
            coordinators=settings.coordinators,
            bureau_chat=settings.bureau_chat,
            leaders_chat=settings.leaders_chat,
            extra_liaisons=settings.liaisons,
            ladder=settings.escalation,
            deployment=office_of(settings, imported[plan.key].matrix, plan.title),
            scoring=settings.scoring,
            leaders=settings.leaders,
            plan=plan.key,
            retired=retired(settings.data_dir, plan.key),
        )
        for plan in settings.plans
    )


def assemble_reader(settings: Settings, store: Store, clock: Clock | None = None) -> tuple[tuple[Runtime, ...], Clock]:
    """The runtimes over a store another process writes (a dashboard without a bot): nothing is written."""
    imported = {p.key: load_plan(p.file, settings.departments_file) for p in settings.plans}
    return runtimes_of(settings, imported, store), clock or clock_for(settings)


def apply_bindings(runtimes: tuple[Runtime, ...], bindings: dict[str, ChatId], now: dt.datetime) -> list[str]:
    """Bindings in the settings, each stored once (one group serves the unit in every plan); the names no
    plan knows."""
    left = dict(bindings)
    for runtime in runtimes:
        known = {name: chat for name, chat in left.items() if name in runtime.respondents}
        binding.apply_settings(runtime, known, now)
        left = {name: chat for name, chat in left.items() if name not in known}
    return list(left)
