"""Where the data lives: `[storage] backend = "files"` (the default: the data folder) or `"postgresql"`, whose
connection URL comes from SUPERVISOR_DATABASE_URL alone — never from a file, never into a log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from supervisor_bot.settings.errors import ConfigError

BACKENDS = ("files", "postgresql")
DATABASE_URL = "SUPERVISOR_DATABASE_URL"
_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True)
class StorageSettings:
    backend: str = "files"
    database_url: str = field(default="", repr=False)  # SUPERVISOR_DATABASE_URL: holds a password

    @property
    def postgresql(self) -> bool:
        return self.backend == "postgresql"

    def url(self) -> str:
        """The database's URL; a clear error when the backend needs it and the environment has none."""
        if not self.database_url:
            raise ConfigError(
                "环境变量",
                DATABASE_URL,
                '未设置：[storage] backend = "postgresql" 需要数据库连接地址，'
                "例如 postgresql://duban@db.example.gov.cn/duban（只从环境变量读取，不写入设置文件）",
            )
        return self.database_url


def where(url: str) -> str:
    """The database a URL names, without user or password: for logs and messages."""
    parts = urlsplit(url)
    host = parts.hostname or "本机"
    return f"{host}{f':{parts.port}' if parts.port else ''}{parts.path or '/'}"


def read_storage(data: Mapping[str, Any], env: Mapping[str, str], path: Path) -> StorageSettings:
    section = data.get("storage", {})
    if not isinstance(section, dict):
        raise ConfigError(path, "storage", "应为一个表（[storage] 小节）")
    if "url" in section or "database_url" in section:
        key = "url" if "url" in section else "database_url"
        raise ConfigError(path, f"storage.{key}", f"数据库连接地址不能写在设置文件中：请用环境变量 {DATABASE_URL}")
    backend = section.get("backend", "files")
    if backend not in BACKENDS:
        choices = "、".join(f'"{b}"' for b in BACKENDS)
        raise ConfigError(path, "storage.backend", f"“{backend}”无法识别，可用：{choices}")
    url = env.get(DATABASE_URL, "").strip()
    if url and urlsplit(url).scheme not in _SCHEMES:
        raise ConfigError("环境变量", DATABASE_URL, "应为 postgresql:// 开头的连接地址")
    return StorageSettings(str(backend), url)
