"""Read a TOML file, turning every way it can fail into a ConfigError that names the file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.toml_errors import explain


def read_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, "", "文件不存在") from None
    except OSError as error:
        raise ConfigError(path, "", f"无法读取（{error.strerror}）") from None
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(path, "", "不是 UTF-8 编码的文本") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, "", explain(str(error))) from None
