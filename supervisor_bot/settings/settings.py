"""Typed settings from config/settings.toml, with the environment variables that override it."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pendulum

from supervisor_bot.core.ladder import LadderConfig
from supervisor_bot.core.schedule import RoundSchedule
from supervisor_bot.paths import config_dir
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.toml_file import read_toml

ENVIRONMENT = "环境变量"
TELEGRAM_API = "https://api.telegram.org"
_WEEKDAYS = {
    **{name: i for i, name in enumerate(["周一", "周二", "周三", "周四", "周五", "周六", "周日"])},
    **{name: i for i, name in enumerate(["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"])},
    **{
        name: i for i, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
    },
}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")


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
    coordinators: frozenset[int]
    bureau_chat: int | None
    leaders_chat: int | None
    bindings: Mapping[str, int]
    liaisons: Mapping[str, frozenset[int]]
    clock_start: dt.datetime | None
    clock_speed: float
    leaders: frozenset[int] = frozenset()  # the dashboard's leaders (user ids): they see everything, act on nothing
    web_listen: str = ""  # host:port the dashboard listens on; empty: no dashboard
    web_url: str = ""  # the address people open (e.g. behind the office's reverse proxy)

    @property
    def uses_telegram(self) -> bool:
        return self.base_url.rstrip("/") == TELEGRAM_API


class _Reader:
    """Reads keys out of the parsed file; every complaint names the file and the key."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.path, key, problem)

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


def _chat(reader: _Reader, key: str) -> int | None:
    value: int = reader.get(key, 0, int, "-1001234567890")
    return value or None


def _env_int(name: str, value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise ConfigError(ENVIRONMENT, name, f"“{value}”不是整数（群组 id，例如 -1001234567890）") from None


def _env_ids(name: str, value: str) -> frozenset[int]:
    parts = [p for p in re.split(r"[,，\s]+", value) if p]
    return frozenset(_env_int(name, p) for p in parts)


def default_settings_path() -> Path:
    return Path(os.environ.get("SUPERVISOR_SETTINGS") or config_dir() / "settings.toml")


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the file, then the environment; raises ConfigError naming the file and the key."""
    path = path or default_settings_path()
    env = os.environ if environ is None else environ
    reader = _Reader(path, read_toml(path))
    timezone = reader.get("timezone", "Asia/Shanghai", str, '"Asia/Shanghai"')
    try:
        pendulum.timezone(timezone)
    except Exception:
        raise reader.error("timezone", f'未知时区“{timezone}”，例如 "Asia/Shanghai"') from None
    weekday_name = reader.get("rounds.weekday", "周一", str, '"周一"')
    if weekday_name.lower() not in _WEEKDAYS:
        raise reader.error("rounds.weekday", f'“{weekday_name}”不是星期几，例如 "周一"')
    schedule = RoundSchedule(
        timezone=timezone,
        weekday=_WEEKDAYS[weekday_name.lower()],
        opens_at=reader.time("rounds.opens_at", "09:00"),
        due_workdays=reader.count("rounds.due_workdays", 3, 0, 20),
        due_at=reader.time("rounds.due_at", "17:00"),
    )
    digest_day = reader.get("digest.weekday", "周五", str, '"周五"')
    if digest_day.lower() not in _WEEKDAYS:
        raise reader.error("digest.weekday", f'“{digest_day}”不是星期几，例如 "周五"')
    escalation = LadderConfig(
        remind_workdays_before=reader.count("escalation.remind_workdays_before", 1, 0, 10),
        escalate_workdays_after=reader.count("escalation.escalate_workdays_after", 1, 0, 20),
        interview_after_rounds=reader.count("escalation.interview_after_rounds", 2, 1, 20),
        interview_workdays_after_escalation=reader.count("escalation.interview_workdays_after_escalation", 10, 1, 60),
        digest_weekday=_WEEKDAYS[digest_day.lower()],
        digest_at=reader.time("digest.at", "17:00"),
    )
    coordinators = reader.get("people.coordinators", [], list, "[123456789]")
    if not all(isinstance(c, int) and not isinstance(c, bool) for c in coordinators):
        raise reader.error("people.coordinators", "应为 Telegram 用户 id（整数）的列表，例如 [123456789]")
    bindings: dict[str, int] = {}
    for name, chat in reader.table("bindings").items():
        if not isinstance(chat, int) or isinstance(chat, bool) or chat == 0:
            raise reader.error(f"bindings.{name}", "应为群组 id（整数），例如 -1001234567890")
        bindings[name] = chat
    liaisons: dict[str, frozenset[int]] = {}
    for name, ids in reader.table("liaisons").items():
        if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise reader.error(f"liaisons.{name}", "应为用户 id（整数）的列表，例如 [123456789]")
        liaisons[name] = frozenset(ids)

    data_dir = reader.path_of("data_dir", "../data")
    token = reader.get("telegram.token", "", str, '""')
    base_url = reader.get("telegram.base_url", TELEGRAM_API, str, f'"{TELEGRAM_API}"')
    bureau, leaders = _chat(reader, "chats.bureau"), _chat(reader, "chats.leaders")
    leader_ids = reader.get("people.leaders", [], list, "[123456789]")
    if not all(isinstance(c, int) and not isinstance(c, bool) for c in leader_ids):
        raise reader.error("people.leaders", "应为 Telegram 用户 id（整数）的列表，例如 [123456789]")
    web_listen = reader.get("web.listen", "", str, '"127.0.0.1:8080"').strip()
    web_url = reader.get("web.public_url", "", str, '"https://dubanbot.example.gov.cn"').strip()
    clock_start: dt.datetime | None = None
    clock_speed = 1.0

    if value := env.get("TELEGRAM_BOT_TOKEN"):
        token = value.strip()
    if token and not _TOKEN.match(token):
        key = "TELEGRAM_BOT_TOKEN" if env.get("TELEGRAM_BOT_TOKEN") else "telegram.token"
        where = ENVIRONMENT if env.get("TELEGRAM_BOT_TOKEN") else path
        raise ConfigError(where, key, "令牌格式不对（应形如 123456789:AA…，由 BotFather 提供）")
    if value := env.get("TELEGRAM_BASE_URL"):
        base_url = value.strip()
    if not re.match(r"^https?://[^/\s]+", base_url):
        raise ConfigError(
            ENVIRONMENT if env.get("TELEGRAM_BASE_URL") else path,
            "TELEGRAM_BASE_URL" if env.get("TELEGRAM_BASE_URL") else "telegram.base_url",
            f"“{base_url}”不是 http(s) 地址",
        )
    if value := env.get("SUPERVISOR_COORDINATORS"):
        coordinators = sorted(_env_ids("SUPERVISOR_COORDINATORS", value))
    if value := env.get("SUPERVISOR_BUREAU_CHAT"):
        bureau = _env_int("SUPERVISOR_BUREAU_CHAT", value) or None
    if value := env.get("SUPERVISOR_LEADERS_CHAT"):
        leaders = _env_int("SUPERVISOR_LEADERS_CHAT", value) or None
    web_listen = env.get("SUPERVISOR_WEB_LISTEN", web_listen).strip()
    web_url = env.get("SUPERVISOR_WEB_URL", web_url).strip().rstrip("/")
    if web_listen and not re.fullmatch(r"(\[[0-9a-fA-F:]+\]|[\w.-]*):\d{1,5}", web_listen):
        where = ENVIRONMENT if env.get("SUPERVISOR_WEB_LISTEN") else path
        raise ConfigError(
            where,
            "SUPERVISOR_WEB_LISTEN" if env.get("SUPERVISOR_WEB_LISTEN") else "web.listen",
            f"“{web_listen}”应形如 127.0.0.1:8080",
        )
    if value := env.get("SUPERVISOR_DATA_DIR"):
        data_dir = Path(value).resolve()
    if value := env.get("SUPERVISOR_CLOCK_START"):
        try:
            parsed = pendulum.parse(value.strip(), tz=timezone)
        except Exception:
            parsed = None
        if not isinstance(parsed, pendulum.DateTime):
            raise ConfigError(ENVIRONMENT, "SUPERVISOR_CLOCK_START", f"“{value}”不是时间，例如 2021-09-06T08:00")
        clock_start = parsed
    if value := env.get("SUPERVISOR_CLOCK_SPEED"):
        try:
            clock_speed = float(value)
        except ValueError:
            clock_speed = 0.0
        if not 0 < clock_speed <= 1_000_000:
            raise ConfigError(
                ENVIRONMENT, "SUPERVISOR_CLOCK_SPEED", f"“{value}”应为正数（1 为真实时间，3600 为每秒一小时）"
            )

    return Settings(
        source=path,
        timezone=timezone,
        data_dir=data_dir,
        plan_file=reader.path_of("plan.file", "plans/jinan-2021-16.txt"),
        departments_file=reader.path_of("plan.departments", "departments.toml"),
        calendar_overrides=reader.path_of("calendar.overrides", "calendar_overrides.toml"),
        schedule=schedule,
        escalation=escalation,
        token=token,
        base_url=base_url.rstrip("/"),
        coordinators=frozenset(coordinators),
        bureau_chat=bureau,
        leaders_chat=leaders,
        bindings=bindings,
        liaisons=liaisons,
        clock_start=clock_start,
        clock_speed=clock_speed,
        leaders=frozenset(leader_ids),
        web_listen=web_listen,
        web_url=web_url,
    )
