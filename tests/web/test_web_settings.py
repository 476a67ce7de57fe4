"""The dashboard's settings: [web] listen and public_url, people.leaders, and their environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import load_settings


def _file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_file_and_the_environment(tmp_path: Path) -> None:
    path = _file(
        tmp_path, '[people]\nleaders = [42]\n[web]\nlisten = "127.0.0.1:8080"\npublic_url = "https://a.example"\n'
    )
    settings = load_settings(path, environ={})
    assert (settings.web_listen, settings.web_url, settings.leaders) == (
        "127.0.0.1:8080",
        "https://a.example",
        frozenset({42}),
    )
    moved = load_settings(path, environ={"SUPERVISOR_WEB_LISTEN": "0.0.0.0:9000", "SUPERVISOR_WEB_URL": "https://b/"})
    assert (moved.web_listen, moved.web_url) == ("0.0.0.0:9000", "https://b")
    assert load_settings(path, environ={"SUPERVISOR_WEB_LISTEN": " "}).web_listen == ""  # empty: no dashboard


def test_a_bad_listen_names_the_key(tmp_path: Path) -> None:
    path = _file(tmp_path, '[web]\nlisten = "eighty"\n')
    with pytest.raises(ConfigError, match=r"web\.listen"):
        load_settings(path, environ={})
    with pytest.raises(ConfigError, match=r"people\.leaders"):
        load_settings(_file(tmp_path, '[people]\nleaders = ["boss"]\n'), environ={})
