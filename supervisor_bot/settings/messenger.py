"""Which messenger the bot speaks through (`[messenger] kind = "telegram" | "wecom"`, one per process) and, for
WeCom, its 智能机器人 (`[wecom] bot_id`, `ws_url`, `ca_file`; the secret only from WECOM_BOT_SECRET)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supervisor_bot.settings.errors import ConfigError

KINDS = ("telegram", "wecom")
WECOM_WS_URL = "wss://openws.work.weixin.qq.com"
SECRET_VARIABLE = "WECOM_BOT_SECRET"


@dataclass(frozen=True)
class WeComSettings:
    bot_id: str = ""
    ws_url: str = WECOM_WS_URL
    ca_file: Path | None = None  # a CA bundle for a private deployment's certificate
    secret: str = field(default="", repr=False)  # never logged, never in a file


@dataclass(frozen=True)
class Messaging:
    kind: str = "telegram"
    wecom: WeComSettings = field(default_factory=WeComSettings)

    @property
    def on_wecom(self) -> bool:
        return self.kind == "wecom"


def _section(data: Mapping[str, Any], name: str, path: Path) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(path, name, "应为一个表（[...] 小节）")
    return value


def _text(section: Mapping[str, Any], key: str, path: Path, example: str) -> str:
    value = section.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(path, key, f'类型不对，例如 {key.rpartition(".")[2]} = "{example}"')
    return value.strip()


def read_messaging(data: Mapping[str, Any], env: Mapping[str, str], path: Path) -> Messaging:
    kind = _text(_section(data, "messenger", path), "kind", path, "wecom") or "telegram"
    if kind not in KINDS:
        raise ConfigError(path, "messenger.kind", f'“{kind}”不是可用的通信平台，应为 "telegram" 或 "wecom"')
    section = _section(data, "wecom", path)
    bot_id = _text(section, "bot_id", path, "aibXXXXXXXX")
    ws_url = _text(section, "ws_url", path, WECOM_WS_URL) or WECOM_WS_URL
    if not ws_url.startswith(("ws://", "wss://")):
        raise ConfigError(path, "wecom.ws_url", f"“{ws_url}”应为 ws:// 或 wss:// 地址，例如 {WECOM_WS_URL}")
    written = _text(section, "ca_file", path, "/etc/ssl/certs/gov-ca.pem")
    ca_file = None
    if written:
        ca_file = Path(written) if Path(written).is_absolute() else (path.parent / written).resolve()
        if not ca_file.is_file():
            raise ConfigError(path, "wecom.ca_file", f"找不到证书文件 {ca_file}")
    if kind == "wecom" and not bot_id:
        raise ConfigError(path, "wecom.bot_id", '使用企业微信（[messenger] kind = "wecom"）时须填写智能机器人的 bot_id')
    secret = env.get(SECRET_VARIABLE, "").strip()
    return Messaging(kind, WeComSettings(bot_id, ws_url, ca_file, secret))
