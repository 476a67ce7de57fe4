"""A configuration problem names the file, the key and what is wrong with it."""

from __future__ import annotations

from pathlib import Path


class ConfigError(ValueError):
    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        where = f"{path}" + (f"，配置项 {key}" if key else "")
        super().__init__(f"配置错误：{where}：{problem}")
        self.path = str(path)
        self.key = key
        self.problem = problem
