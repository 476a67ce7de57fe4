"""Assemble the bot from settings: import the plan, load the calendar, open the store, bind configured chats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.tinydb_store import TinyStore
from supervisor_bot.app.clock import Clock, FastClock, SystemClock
from supervisor_bot.composition.plan_check import require_same_plan
from supervisor_bot.composition.plan_source import plan_in_use
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.core.office import Office, office_for
from supervisor_bot.services import binding
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.settings.calendar import load_calendar
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import Settings

if TYPE_CHECKING:
    from supervisor_bot.core.plan_measures import ImportProblem

SANDBOX_TOKEN = "7000000001:AAsandbox-supervisor-bot-token"


@dataclass(frozen=True)
class Assembled:
    runtime: Runtime
    store: TinyStore  # the runtime's store, as the application's lifecycle opens and closes it
    clock: Clock
    problems: tuple[ImportProblem, ...]


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


def office_of(settings: Settings, matrix: Matrix) -> Office:
    """The names messages print: `[office]` and `[escalation] basis`, completed from the plan."""
    names = settings.office
    return office_for(
        matrix, bureau=names.bureau, leaders=names.leaders, plan_title=names.plan_title, basis=names.basis
    )


def assemble(settings: Settings, clock: Clock | None = None) -> Assembled:
    registry = load_registry(settings.departments_file)
    matrix, problems = plan_in_use(settings.plan_file, settings.departments_file, settings.data_dir)
    calendar = load_calendar(settings.calendar_overrides)
    clock = clock or clock_for(settings)
    require_same_plan(settings.data_dir, settings.plan_file, matrix, clock.now())
    store = TinyStore(settings.data_dir, group_commit=True)
    runtime = Runtime(
        matrix=matrix,
        registry=registry,
        store=store,
        calendar=calendar,
        schedule=settings.schedule,
        coordinators=settings.coordinators,
        bureau_chat=settings.bureau_chat,
        leaders_chat=settings.leaders_chat,
        extra_liaisons=settings.liaisons,
        ladder=settings.escalation,
        deployment=office_of(settings, matrix),
        scoring=settings.scoring,
        leaders=settings.leaders,
    )
    unknown = binding.apply_settings(runtime, dict(settings.bindings), clock.now())
    store.flush()
    if unknown:
        store.close()
        raise ConfigError(settings.source, f"bindings.{unknown[0]}", "不是分工方案中的责任单位（或集体单位的成员）")
    return Assembled(runtime, store, clock, problems)
