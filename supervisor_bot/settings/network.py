"""How the bot reaches Telegram and how Telegram reaches it: a proxy (`[telegram] proxy`, or the usual
HTTPS_PROXY / HTTP_PROXY for the Bot API's scheme), and webhook mode (`[telegram] webhook_url`, `webhook_listen`)
instead of polling."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.web_address import listen_problem

WEBHOOK_EXAMPLE = "127.0.0.1:8443（IPv6 写作 [::1]:8443）"


@dataclass(frozen=True)
class Network:
    proxy: str = ""  # http(s)://host:port of the proxy every Bot API call goes through; empty: none
    webhook_url: str = ""  # the public https address Telegram posts updates to; empty: long polling
    webhook_listen: str = ""  # host:port the bot's webhook server listens on (behind the office's proxy)

    @property
    def webhook_path(self) -> str:
        return urlsplit(self.webhook_url).path or "/"


def _text(section: Mapping[str, Any], key: str, path: Path, example: str) -> str:
    value = section.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(path, f"telegram.{key}", f'类型不对，例如 {key} = "{example}"')
    return value.strip()


def read_network(data: Mapping[str, Any], env: Mapping[str, str], path: Path, base_url: str) -> Network:
    section = data.get("telegram", {})
    section = section if isinstance(section, dict) else {}
    proxy = _text(section, "proxy", path, "http://10.0.0.1:3128")
    where: tuple[Path | str, str] = (path, "telegram.proxy")
    if not proxy:  # the usual variables, for the scheme the Bot API is reached by
        names = ("HTTPS_PROXY", "https_proxy") if base_url.startswith("https:") else ("HTTP_PROXY", "http_proxy")
        name = next((n for n in names if env.get(n, "").strip()), None)
        proxy = env[name].strip() if name else ""
        where = ("环境变量", name or "")
    if proxy and not re.match(r"^https?://[^/\s]+", proxy):
        raise ConfigError(*where, f"“{proxy}”应为 http(s) 代理地址，例如 http://10.0.0.1:3128")
    url = _text(section, "webhook_url", path, "https://duban.example.gov.cn/telegram")
    listen = _text(section, "webhook_listen", path, "127.0.0.1:8443")
    if url and not re.match(r"^https?://[^/\s]+", url):
        raise ConfigError(
            path, "telegram.webhook_url", f"“{url}”应为 https 地址，例如 https://duban.example.gov.cn/telegram"
        )
    if url and not listen:
        raise ConfigError(path, "telegram.webhook_listen", '使用 webhook_url 时须写明监听地址，例如 "127.0.0.1:8443"')
    problem = listen_problem(listen, WEBHOOK_EXAMPLE, any_host=True) if listen else None
    if problem is not None:
        raise ConfigError(path, "telegram.webhook_listen", problem)
    return Network(proxy, url, listen if url else "")
