"""The environment over the settings file: each variable read, checked, and named in the error when wrong."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

import pendulum

from supervisor_bot.core.people import UserId
from supervisor_bot.settings.errors import ConfigError

ENVIRONMENT = "环境变量"
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
_T = TypeVar("_T")


def env_int(name: str, value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise ConfigError(ENVIRONMENT, name, f"“{value}”不是整数（群组 id，例如 -1001234567890）") from None


def env_ids(name: str, value: str) -> frozenset[UserId]:
    parts = [p for p in re.split(r"[,，\s]+", value) if p]
    return frozenset(env_int(name, p) for p in parts)


def overridden(env: Mapping[str, str], name: str, parse: Callable[[str], _T], fallback: _T) -> _T:
    """The environment variable ``name`` parsed when it is set and not empty, else ``fallback``."""
    value = env.get(name)
    return parse(value) if value else fallback


def token_from(in_file: str, env: Mapping[str, str], path: Path) -> str:
    """The bot token, the environment's over the file's, in the shape BotFather gives."""
    in_env = env.get("TELEGRAM_BOT_TOKEN")
    token = in_env.strip() if in_env else in_file
    if token and not _TOKEN.match(token):
        key = "TELEGRAM_BOT_TOKEN" if in_env else "telegram.token"
        raise ConfigError(
            ENVIRONMENT if in_env else path, key, "令牌格式不对（应形如 123456789:AA…，由 BotFather 提供）"
        )
    return token


def base_url_from(in_file: str, env: Mapping[str, str], path: Path) -> str:
    """The Bot API's address, the environment's over the file's."""
    in_env = env.get("TELEGRAM_BASE_URL")
    base_url = in_env.strip() if in_env else in_file
    if not re.match(r"^https?://[^/\s]+", base_url):
        raise ConfigError(
            ENVIRONMENT if in_env else path,
            "TELEGRAM_BASE_URL" if in_env else "telegram.base_url",
            f"“{base_url}”不是 http(s) 地址",
        )
    return base_url


def env_coordinators(value: str) -> frozenset[UserId]:
    return env_ids("SUPERVISOR_COORDINATORS", value)


def env_bureau_chat(value: str) -> int | None:
    return env_int("SUPERVISOR_BUREAU_CHAT", value) or None


def env_leaders_chat(value: str) -> int | None:
    return env_int("SUPERVISOR_LEADERS_CHAT", value) or None


def env_clock_start(value: str, timezone: str) -> dt.datetime:
    try:
        parsed = pendulum.parse(value.strip(), tz=timezone)
    except Exception:
        parsed = None
    if not isinstance(parsed, pendulum.DateTime):
        raise ConfigError(ENVIRONMENT, "SUPERVISOR_CLOCK_START", f"“{value}”不是时间，例如 2021-09-06T08:00")
    return parsed


def env_clock_speed(value: str) -> float:
    try:
        speed = float(value)
    except ValueError:
        speed = 0.0
    if not 0 < speed <= 1_000_000:
        raise ConfigError(
            ENVIRONMENT, "SUPERVISOR_CLOCK_SPEED", f"“{value}”应为正数（1 为真实时间，3600 为每秒一小时）"
        )
    return speed
