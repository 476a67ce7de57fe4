"""Typed settings from config/settings.toml, with the environment variables that override it."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pendulum

from supervisor_bot.core.ladder import LadderConfig
from supervisor_bot.core.matrix import Ask
from supervisor_bot.core.people import ChatId, UserId
from supervisor_bot.core.schedule import Cadence, RoundSchedule
from supervisor_bot.core.scoring import ScoringRules
from supervisor_bot.settings.environment import (
    ENVIRONMENT,
    base_url_from,
    env_bureau_chat,
    env_clock_speed,
    env_clock_start,
    env_coordinators,
    env_leaders_chat,
    overridden,
    token_from,
)
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.messenger import Messaging, read_messaging
from supervisor_bot.settings.network import Network, read_network
from supervisor_bot.settings.office import OfficeNames, read_office
from supervisor_bot.settings.paths import settings_file
from supervisor_bot.settings.plans import PlanSettings, plan_entries
from supervisor_bot.settings.scoring import scoring_rules
from supervisor_bot.settings.storage import StorageSettings, read_storage
from supervisor_bot.settings.toml_file import read_toml

TELEGRAM_API = "https://api.telegram.org"
_WEEKDAYS = {
    **{name: i for i, name in enumerate(["周一", "周二", "周三", "周四", "周五", "周六", "周日"])},
    **{name: i for i, name in enumerate(["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"])},
    **{
        name: i for i, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
    },
}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_T = TypeVar("_T")


@dataclass(frozen=True)
class Settings:
    source: Path
    timezone: str
    data_dir: Path
    plan_file: Path
    departments_file: Path
    calendar_overrides: Path
    schedule: RoundSchedule
    escalation: LadderConfig
    token: str = field(repr=False)
    base_url: str
    coordinators: frozenset[UserId]
    bureau_chat: ChatId | None
    leaders_chat: ChatId | None
    bindings: Mapping[str, ChatId]
    liaisons: Mapping[str, frozenset[UserId]]
    clock_start: dt.datetime | None
    clock_speed: float
    leaders: frozenset[UserId] = frozenset()  # the dashboard's leaders (user ids): they see everything, act on nothing
    web_listen: str = ""  # host:port the dashboard listens on; empty: no dashboard
    web_url: str = ""  # the address people open (e.g. behind the office's reverse proxy)
    office: OfficeNames = field(default_factory=OfficeNames)  # [office], [escalation] basis: names in messages
    scoring: ScoringRules = field(default_factory=ScoringRules)  # 考核 rules, `[scoring]`
    network: Network = field(default_factory=Network)  # a proxy to Telegram; webhook mode
    messaging: Messaging = field(default_factory=Messaging)  # [messenger] kind, and [wecom]
    plans: tuple[PlanSettings, ...] = ()  # `[[plans]]`, or the one `[plan]` (key "")
    storage: StorageSettings = field(default_factory=StorageSettings)  # `[storage]`, SUPERVISOR_DATABASE_URL

    @property
    def keyed(self) -> bool:
        """Several plans (`[[plans]]`): each named by its key in messages, commands, files and URLs."""
        return any(p.key for p in self.plans)

    @property
    def uses_telegram(self) -> bool:
        return self.base_url.rstrip("/") == TELEGRAM_API


class _Reader:
    """Reads keys out of the parsed file; every complaint names the file and the key."""

    def __init__(self, path: Path, data: dict[str, Any], prefix: str = "") -> None:
        self.path = path
        self.data = data
        self.prefix = prefix  # `plans[2].`: the keys of a plan's own rounds
        self.text_ids = False  # WeCom names people and chats by strings (userid, chatid); Telegram by integers

    def is_id(self, value: object) -> bool:
        if self.text_ids:
            return isinstance(value, str) and bool(value.strip())
        return _is_id(value)

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.path, self.prefix + key, problem)

    def table(self, key: str) -> dict[str, Any]:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, "应为一个表（[...] 小节）")
        return value

    def get(self, key: str, default: Any, kind: type, example: str) -> Any:
        section, _, name = key.rpartition(".")
        source = self.table(section) if section else self.data
        value = source.get(name, default)
        if kind is int and isinstance(value, bool):
            raise self.error(key, f"应为整数，例如 {example}")
        if not isinstance(value, kind):
            raise self.error(key, f"类型不对，例如 {key.rpartition('.')[2]} = {example}")
        return value

    def path_of(self, key: str, default: str) -> Path:
        value = self.get(key, default, str, f'"{default}"')
        if "\0" in value:  # "\u0000": no operating system takes it in a path
            raise self.error(key, f'路径中不能有空字符（\\u0000），例如 "{default}"')
        path = Path(value)
        return path if path.is_absolute() else (self.path.parent / path).resolve()

    def time(self, key: str, default: str) -> dt.time:
        value = self.get(key, default, str, f'"{default}"')
        m = _TIME.match(value)
        if not m:
            raise self.error(key, f'“{value}”不是 HH:MM 格式的时间，例如 "{default}"')
        return dt.time(int(m.group(1)), int(m.group(2)))

    def count(self, key: str, default: int, low: int, high: int) -> int:
        value: int = self.get(key, default, int, str(default))
        if not low <= value <= high:
            raise self.error(key, f"应在 {low} 到 {high} 之间，现为 {value}")
        return value


def _chat(reader: _Reader, key: str) -> ChatId | None:
    if reader.text_ids:
        text: str = reader.get(key, "", str, '"wrXXXXXXXX"')
        return text.strip() or None
    value: int = reader.get(key, 0, int, "-1001234567890")
    return value or None


def default_settings_path() -> Path:
    """SUPERVISOR_CONFIG (or its older name SUPERVISOR_SETTINGS), else config/settings.toml."""
    return settings_file(os.environ)


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the file, then the environment; raises ConfigError naming the file and the key."""
    path = path or default_settings_path()
    env = os.environ if environ is None else environ
    reader = _Reader(path, read_toml(path))
    messaging = read_messaging(reader.data, env, path)
    reader.text_ids = messaging.on_wecom
    timezone = _timezone(reader)
    schedule = _schedule(reader, timezone)
    escalation = _escalation(reader)
    coordinators = _people(reader, "people.coordinators")
    bindings = _bindings(reader)
    liaisons = _liaisons(reader)
    data_dir = reader.path_of("data_dir", "../data")
    token_in_file = reader.get("telegram.token", "", str, '""')
    base_url_in_file = reader.get("telegram.base_url", TELEGRAM_API, str, f'"{TELEGRAM_API}"')
    bureau, leaders = _chat(reader, "chats.bureau"), _chat(reader, "chats.leaders")
    # the environment overrides the file, checked in this order
    token = token_from(token_in_file, env, path)
    base_url = base_url_from(base_url_in_file, env, path)
    coordinators = overridden(env, "SUPERVISOR_COORDINATORS", env_coordinators, coordinators)
    bureau = overridden(env, "SUPERVISOR_BUREAU_CHAT", env_bureau_chat, bureau)
    leaders = overridden(env, "SUPERVISOR_LEADERS_CHAT", env_leaders_chat, leaders)
    data_dir = overridden(env, "SUPERVISOR_DATA_DIR", lambda value: Path(value).resolve(), data_dir)
    clock_start = overridden(env, "SUPERVISOR_CLOCK_START", lambda value: env_clock_start(value, timezone), None)
    clock_speed = overridden(env, "SUPERVISOR_CLOCK_SPEED", env_clock_speed, 1.0)
    web_listen, web_url = _web(reader, env, path)
    office = read_office(path, reader.data)
    plans = _plans(reader, timezone, schedule, office.plan_title)

    return Settings(
        source=path,
        timezone=timezone,
        data_dir=data_dir,
        plan_file=plans[0].file,
        departments_file=reader.path_of(
            "plan.departments" if "plans" not in reader.data else "departments", "departments.toml"
        ),
        calendar_overrides=reader.path_of("calendar.overrides", "calendar_overrides.toml"),
        schedule=schedule,
        escalation=escalation,
        token=token,
        base_url=base_url.rstrip("/"),
        coordinators=coordinators,
        bureau_chat=bureau,
        leaders_chat=leaders,
        bindings=bindings,
        liaisons=liaisons,
        clock_start=clock_start,
        clock_speed=clock_speed,
        leaders=_people(reader, "people.leaders"),
        web_listen=web_listen,
        web_url=web_url,
        office=office,
        scoring=scoring_rules(reader.table("scoring"), reader.error),
        network=read_network(reader.data, env, path, base_url),
        plans=plans,
        messaging=messaging,
        storage=read_storage(reader.data, env, path),
    )


def _plans(reader: _Reader, timezone: str, schedule: RoundSchedule, title: str) -> tuple[PlanSettings, ...]:
    """The `[[plans]]`, each with `[rounds]` under its own `rounds = {…}`; or the one `[plan]`."""
    entries = plan_entries(reader.path, reader.data)
    if entries is None:
        return (PlanSettings("", reader.path_of("plan.file", "plans/jinan-2021-16.txt"), schedule, title),)
    shared = reader.table("rounds")
    plans = []
    for i, entry in enumerate(entries, 1):
        own = _Reader(reader.path, {**entry, "rounds": {**shared, **entry.get("rounds", {})}}, f"plans[{i}].")
        plans.append(
            PlanSettings(entry["key"], own.path_of("file", ""), _schedule(own, timezone), entry.get("title", ""))
        )
    return tuple(plans)


def _timezone(reader: _Reader) -> str:
    timezone: str = reader.get("timezone", "Asia/Shanghai", str, '"Asia/Shanghai"')
    try:
        pendulum.timezone(timezone)
    except Exception:
        raise reader.error("timezone", f'未知时区“{timezone}”，例如 "Asia/Shanghai"') from None
    return timezone


def _weekday(reader: _Reader, key: str, default: str) -> int:
    """A day of the week by its Chinese or English name, Monday 0."""
    name: str = reader.get(key, default, str, f'"{default}"')
    if name.lower() not in _WEEKDAYS:
        raise reader.error(key, f'“{name}”不是星期几，例如 "{default}"')
    return _WEEKDAYS[name.lower()]


def _cadence(reader: _Reader, key: str, allowed: tuple[Cadence, ...]) -> Cadence:
    value: str = reader.get(key, "weekly", str, '"weekly"')
    if value not in {c.value for c in allowed}:
        raise reader.error(key, f"“{value}”无法识别，可用：" + "、".join(f'"{c.value}"' for c in allowed))
    return Cadence(value)


def _ask(reader: _Reader) -> Ask:
    value: str = reader.get("rounds.ask", "all", str, '"all"')
    if value not in {a.value for a in Ask}:
        raise reader.error("rounds.ask", f'“{value}”无法识别，可用："all"（所有责任单位）、"leads"（仅牵头单位报送）')
    return Ask(value)


def _due_monthday(reader: _Reader, cadence: Cadence) -> int | None:
    if "due_monthday" not in reader.table("rounds"):
        return None
    day = reader.count("rounds.due_monthday", 25, 1, 31)
    if cadence is Cadence.WEEKLY:
        raise reader.error("rounds.due_monthday", '只适用于按月或按季度报送（cadence = "monthly" 或 "quarterly"）')
    return day


def _schedule(reader: _Reader, timezone: str) -> RoundSchedule:
    cadence = _cadence(reader, "rounds.cadence", tuple(Cadence))
    return RoundSchedule(
        timezone=timezone,
        weekday=_weekday(reader, "rounds.weekday", "周一"),
        opens_at=reader.time("rounds.opens_at", "09:00"),
        due_workdays=reader.count("rounds.due_workdays", 3, 0, 20),
        due_at=reader.time("rounds.due_at", "17:00"),
        cadence=cadence,
        monthday=reader.count("rounds.monthday", 1, 1, 31),
        month_of_quarter=reader.count("rounds.month_of_quarter", 1, 1, 3),
        ask=_ask(reader),
        due_monthday=_due_monthday(reader, cadence),
    )


def _escalation(reader: _Reader) -> LadderConfig:
    digest_weekday = _weekday(reader, "digest.weekday", "周五")
    return LadderConfig(
        digest_cadence=_cadence(reader, "digest.cadence", (Cadence.WEEKLY, Cadence.MONTHLY)),
        digest_monthday=reader.count("digest.monthday", 28, 1, 31),
        remind_workdays_before=reader.count("escalation.remind_workdays_before", 1, 0, 10),
        escalate_workdays_after=reader.count("escalation.escalate_workdays_after", 1, 0, 20),
        interview_after_rounds=reader.count("escalation.interview_after_rounds", 2, 1, 20),
        interview_workdays_after_escalation=reader.count("escalation.interview_workdays_after_escalation", 10, 1, 60),
        digest_weekday=digest_weekday,
        digest_at=reader.time("digest.at", "17:00"),
        low_rate_below=reader.count("digest.low_rate_below", 80, 1, 100),
    )


def _is_id(value: object) -> bool:
    """An integer, not a bool (TOML's true is no Telegram id)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _people(reader: _Reader, key: str) -> frozenset[UserId]:
    """`people.coordinators` or `people.leaders`: user ids."""
    ids = reader.get(key, [], list, "[123456789]")
    if not all(reader.is_id(c) for c in ids):
        raise reader.error(key, "应为 Telegram 用户 id（整数）的列表，例如 [123456789]")
    return frozenset(ids)


def _web(reader: _Reader, env: Mapping[str, str], path: Path) -> tuple[str, str]:
    """The dashboard's listening address and public address; the environment overrides the file."""
    listen = env.get("SUPERVISOR_WEB_LISTEN", reader.get("web.listen", "", str, '"127.0.0.1:8080"')).strip()
    url = env.get("SUPERVISOR_WEB_URL", reader.get("web.public_url", "", str, '"https://dubanbot.example.gov.cn"'))
    if listen and not re.fullmatch(r"(\[[0-9a-fA-F:]+\]|[\w.-]*):\d{1,5}", listen):
        from_env = bool(env.get("SUPERVISOR_WEB_LISTEN"))
        raise ConfigError(
            ENVIRONMENT if from_env else path,
            "SUPERVISOR_WEB_LISTEN" if from_env else "web.listen",
            f"“{listen}”应形如 127.0.0.1:8080",
        )
    return listen, url.strip().rstrip("/")


def _bindings(reader: _Reader) -> dict[str, ChatId]:
    bindings: dict[str, ChatId] = {}
    for name, chat in reader.table("bindings").items():
        if not reader.is_id(chat) or chat == 0:
            raise reader.error(f"bindings.{name}", "应为群组 id（整数），例如 -1001234567890")
        bindings[name] = chat
    return bindings


def _liaisons(reader: _Reader) -> dict[str, frozenset[UserId]]:
    liaisons: dict[str, frozenset[UserId]] = {}
    for name, ids in reader.table("liaisons").items():
        if not isinstance(ids, list) or not all(reader.is_id(i) for i in ids):
            raise reader.error(f"liaisons.{name}", "应为用户 id（整数）的列表，例如 [123456789]")
        liaisons[name] = frozenset(ids)
    return liaisons
