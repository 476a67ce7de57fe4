"""What people get wrong in the settings and the registry, found before the bot runs (`check-config`): a section
or key the bot does not know (a typo is otherwise ignored in silence), a user id where a group id is due, a
department registered twice, a group bound twice."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from supervisor_bot.core.registry import key as name_key
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.scoring import KEYS as SCORING_KEYS

FREE = None  # a section whose keys are the deployment's own (department names)
KNOWN: Mapping[str, frozenset[str] | None] = {
    "plan": frozenset({"file", "departments"}),
    "calendar": frozenset({"overrides"}),
    "rounds": frozenset(
        {
            "cadence",
            "weekday",
            "monthday",
            "month_of_quarter",
            "opens_at",
            "due_workdays",
            "due_at",
            "ask",
            "due_monthday",
        }
    ),
    "escalation": frozenset(
        {
            "remind_workdays_before",
            "escalate_workdays_after",
            "interview_after_rounds",
            "interview_workdays_after_escalation",
            "basis",
        }
    ),
    "digest": frozenset({"cadence", "weekday", "monthday", "at", "low_rate_below"}),
    "telegram": frozenset({"token", "base_url", "proxy", "webhook_url", "webhook_listen", "webhook_secret"}),
    "people": frozenset({"coordinators", "leaders"}),
    "chats": frozenset({"bureau", "leaders"}),
    "office": frozenset({"bureau", "leaders", "plan_title"}),
    "web": frozenset({"listen", "public_url"}),
    "messenger": frozenset({"kind"}),
    "wecom": frozenset({"bot_id", "ws_url", "ca_file"}),
    "scoring": SCORING_KEYS,
    "storage": frozenset({"backend"}),
    "bindings": FREE,
    "liaisons": FREE,
}
TOP_LEVEL = frozenset({"timezone", "data_dir", "departments", "plans"})  # plans: [[plans]], see plan_keys


def _closest(word: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return found[0] if found else None


def unknown_keys(path: Path, data: Mapping[str, Any]) -> list[ConfigError]:
    """Every section and key the bot does not read, each with the nearest one it does."""
    problems: list[ConfigError] = []
    problems += plan_keys(path, data)
    for name, value in data.items():
        if isinstance(value, dict) and name not in TOP_LEVEL:
            problems += _section(path, name, value)
        elif name not in TOP_LEVEL:
            problems.append(_unknown_top_level(path, name))
    return problems


PLAN_KEYS = frozenset({"key", "file", "title", "rounds"})


def plan_keys(path: Path, data: Mapping[str, Any]) -> list[ConfigError]:
    """Keys of `[[plans]]` entries and of their own `rounds = {…}` the bot does not read."""
    entries = data.get("plans")
    problems: list[ConfigError] = []
    for i, entry in enumerate(entries if isinstance(entries, list) else [], 1):
        if not isinstance(entry, dict):
            continue
        for key in entry:
            if key not in PLAN_KEYS:
                guess = _closest(key, sorted(PLAN_KEYS))
                hint = f"你是否想写 {guess}？" if guess else f"可用的配置项：{'、'.join(sorted(PLAN_KEYS))}"
                problems.append(ConfigError(path, f"plans[{i}].{key}", f"未知的配置项，不会生效。{hint}"))
        rounds = entry.get("rounds")
        problems += (
            [ConfigError(path, f"plans[{i}].{e.key}", e.problem) for e in _section(path, "rounds", rounds or {})]
            if isinstance(rounds, dict)
            else []
        )
    return problems


def _section(path: Path, name: str, value: Mapping[str, Any]) -> list[ConfigError]:
    if name not in KNOWN:
        guess = _closest(name, sorted(KNOWN))
        hint = f"你是否想写 [{guess}]？" if guess else f"可用的小节：{'、'.join(f'[{s}]' for s in KNOWN)}"
        return [ConfigError(path, f"[{name}]", f"未知的小节，其中的设置不会生效。{hint}")]
    keys = KNOWN[name]
    if keys is None:
        return []
    problems = []
    for key in value:
        if key not in keys:
            elsewhere = next((s for s, ks in KNOWN.items() if ks is not None and key in ks), None)
            guess = _closest(key, sorted(keys))
            if elsewhere is not None:
                hint = f"{key} 应写在 [{elsewhere}] 小节中"
            elif guess:
                hint = f"你是否想写 {guess}？"
            else:
                hint = _anywhere(key) or f"[{name}] 可用的配置项：{'、'.join(sorted(keys))}"
            problems.append(ConfigError(path, f"{name}.{key}", f"未知的配置项，不会生效。{hint}"))
    return problems


def _anywhere(key: str) -> str | None:
    """The nearest key of any section, for a key written in the wrong section and misspelt too."""
    every = {f"{k}": s for s, ks in KNOWN.items() if ks is not None for k in ks}
    guess = _closest(key, sorted(every))
    return f"你是否想写 [{every[guess]}] 中的 {guess}？" if guess else None


def _unknown_top_level(path: Path, name: str) -> ConfigError:
    guess = _closest(name, sorted(TOP_LEVEL))
    section = next((s for s, ks in KNOWN.items() if ks is not None and name in ks), None)
    if section is not None:
        hint = f"{name} 应写在 [{section}] 小节中"
    elif guess:
        hint = f"你是否想写 {guess}？"
    else:
        hint = f"文件开头可用的配置项：{'、'.join(sorted(TOP_LEVEL))}"
    return ConfigError(path, name, f"未知的配置项，不会生效。{hint}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def wrong_ids(path: Path, data: Mapping[str, Any]) -> list[ConfigError]:
    """A group id is negative in Telegram; a positive one is a person's (someone pasted a user id), and the bot
    would send the bureau's 督办单 to that person's private chat. A user id is positive."""
    problems = []
    groups: list[tuple[str, object]] = [(f"chats.{k}", v) for k, v in _table(data, "chats").items()]
    groups += [(f"bindings.{k}", v) for k, v in _table(data, "bindings").items()]
    for key, value in groups:
        if _is_int(value) and isinstance(value, int) and value > 0:
            problems.append(ConfigError(path, key, f"{value} 是正数，像是用户 id；群组 id 为负数，例如 -1001234567890"))
    users: list[tuple[str, object]] = [(f"people.{k}", v) for k, v in _table(data, "people").items()]
    users += [(f"liaisons.{k}", v) for k, v in _table(data, "liaisons").items()]
    for key, value in users:
        bad = [v for v in value if _is_int(v) and v < 0] if isinstance(value, list) else []
        if bad:
            problems.append(ConfigError(path, key, f"{bad[0]} 是负数，像是群组 id；用户 id 为正数，例如 123456789"))
    return problems


def shared_groups(path: Path, data: Mapping[str, Any]) -> list[ConfigError]:
    """Two units bound to one group: the bot could not tell whose report a press is."""
    seen: dict[object, str] = {}
    problems = []
    for name, chat in _table(data, "bindings").items():
        if chat in seen:
            problems.append(ConfigError(path, f"bindings.{name}", f"与“{seen[chat]}”绑定了同一个群（{chat}）"))
        seen.setdefault(chat, name)
    return problems


def duplicate_departments(path: Path, data: Mapping[str, Any]) -> list[ConfigError]:
    """A department registered twice in the registry (the same name, or one's name another's alias)."""
    entries = data.get("department", [])
    seen: dict[str, int] = {}
    problems = []
    for index, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            continue
        k = name_key(name.strip())
        if k in seen:
            problems.append(
                ConfigError(
                    path, f"department[{index}].name", f"单位“{name.strip()}”重复登记（另见 department[{seen[k]}]）"
                )
            )
        seen.setdefault(k, index)
    return problems


def _table(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    return value if isinstance(value, dict) else {}
