"""`[storage]` and SUPERVISOR_DATABASE_URL: the backend named in the file, the URL only from the environment (never
from a file, never shown), and check-config reaching the database without writing to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from supervisor_bot.cli.check_config import check
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import load_settings
from supervisor_bot.settings.storage import where
from tests.conftest import CONFIG, DEPARTMENTS, JINAN_PLAN

SECRET_URL = "postgresql://duban:s3cret-pw@db.example.gov.cn:5433/duban"


def _settings(tmp: Path, storage: str) -> Path:
    path = tmp / "settings.toml"
    path.write_text(
        f'data_dir = "{tmp / "data"}"\n[plan]\nfile = "{JINAN_PLAN}"\ndepartments = "{DEPARTMENTS}"\n'
        f'[calendar]\noverrides = "{CONFIG / "calendar_overrides.toml"}"\n{storage}',
        encoding="utf-8",
    )
    return path


def test_the_backend_and_the_url_never_from_a_file(tmp_path: Path) -> None:
    assert load_settings(_settings(tmp_path, ""), {}).storage.backend == "files"
    chosen = load_settings(
        _settings(tmp_path, '[storage]\nbackend = "postgresql"\n'), {"SUPERVISOR_DATABASE_URL": SECRET_URL}
    )
    assert chosen.storage.postgresql and chosen.storage.url() == SECRET_URL
    assert "s3cret" not in repr(chosen) and where(SECRET_URL) == "db.example.gov.cn:5433/duban"
    with pytest.raises(ConfigError, match="SUPERVISOR_DATABASE_URL"):
        load_settings(_settings(tmp_path, '[storage]\nbackend = "postgresql"\n'), {}).storage.url()
    with pytest.raises(ConfigError, match=r"storage\.url.*SUPERVISOR_DATABASE_URL"):
        load_settings(_settings(tmp_path, f'[storage]\nurl = "{SECRET_URL}"\n'), {})
    with pytest.raises(ConfigError, match=r'storage\.backend.*"files"、"postgresql"'):
        load_settings(_settings(tmp_path, '[storage]\nbackend = "mysql"\n'), {})
    with pytest.raises(ConfigError, match="postgresql://"):
        load_settings(_settings(tmp_path, ""), {"SUPERVISOR_DATABASE_URL": "mysql://x/y"})


def test_check_config_reaches_the_database(tmp_path: Path, database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPERVISOR_CONFIG", str(_settings(tmp_path, '[storage]\nbackend = "postgresql"\n')))
    env = {"SUPERVISOR_DATABASE_URL": database, "TELEGRAM_BASE_URL": "http://127.0.0.1:1"}
    empty = check(environ=env).render()
    assert "请先启动机器人" in empty and database not in empty  # nothing created by a check
    from storage.postgres.store import PgStore

    PgStore(database).close()  # the bot's first start makes the schema
    ready = check(environ=env).render()
    assert "可连接" in ready and database not in ready
