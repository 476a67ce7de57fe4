"""A data folder of the demo (tests/fixtures: two weeks of Jinan's plan with reports, 督办单, 延期, 销号, 约谈 and
佐证材料) moves to PostgreSQL with `main.py store migrate --to postgresql`, checked per table; the bot on the
database answers /status as it did on the files and carries on (the next round opens); `--to files` brings it back whole; a target that
holds data is refused; `backup` on PostgreSQL explains pg_dump and refuses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pendulum

from storage.postgres.store import PgStore
from storage.tinydb_store import TinyStore
from supervisor_bot.app import cycle
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.app.runner import ServiceRunner
from supervisor_bot.app.shell import Shell
from supervisor_bot.composition.assemble import assemble
from supervisor_bot.services import plan_queries
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.settings.settings import load_settings
from supervisor_bot.views import answers
from tests.conftest import CONFIG, DEPARTMENTS, JINAN_PLAN
from tests.deploy.test_plan_upgrade import _everything, _folder
from tests.service.fakes import FakeMessenger

ROOT = Path(__file__).resolve().parents[2]
NOW = pendulum.datetime(2021, 9, 21, 10, 0, tz="Asia/Shanghai")


def _settings(tmp: Path, data: Path, backend: str) -> Path:
    path = tmp / f"settings-{backend}.toml"
    path.write_text(
        f'data_dir = "{data}"\n[plan]\nfile = "{JINAN_PLAN}"\ndepartments = "{DEPARTMENTS}"\n'
        f'[calendar]\noverrides = "{CONFIG / "calendar_overrides.toml"}"\n[storage]\nbackend = "{backend}"\n',
        encoding="utf-8",
    )
    return path


def _main(settings: Path, database: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERVISOR_", "TELEGRAM_"))}
    env |= {"SUPERVISOR_CONFIG": str(settings), "SUPERVISOR_DATABASE_URL": database}
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _status(settings: Path, database: str, argument: str = "") -> str:
    env = {"TELEGRAM_BASE_URL": "http://127.0.0.1:1", "SUPERVISOR_DATABASE_URL": database}
    assembled = assemble(load_settings(settings, env), ManualClock(NOW))
    try:
        runtimes: tuple[Runtime, ...] = assembled.runtimes
        found = plan_queries.status_all(runtimes, argument, NOW)
        return "\n".join(answers.status_answer(a, rt.matrix, rt.office, rt.tz) for rt, a in found)
    finally:
        assembled.store.close()


async def _carry_on(settings: Path, database: str, digests: Path) -> tuple[int, int]:
    """The bot on the database on the first workday after the Mid-Autumn holiday: a tick opens the round that is
    due. (rounds before, after)"""
    env = {"TELEGRAM_BASE_URL": "http://127.0.0.1:1", "SUPERVISOR_DATABASE_URL": database}
    later = NOW.add(days=1)
    assembled = assemble(load_settings(settings, env), ManualClock(later))
    store = assembled.store
    before = len(store.rounds())
    shell = Shell(assembled.runtime, ManualClock(later), ServiceRunner(flush=store.flush), FakeMessenger(), digests)
    try:
        await cycle.tick(shell, later)
    finally:
        shell.runner.shutdown()
    after = len(store.rounds())
    store.close()
    return before, after


async def test_a_demo_folder_moves_to_postgresql_and_back(tmp_path: Path, database: str) -> None:
    data = _folder(tmp_path)
    files, on_database = _settings(tmp_path, data, "files"), _settings(tmp_path, data, "postgresql")
    before = {arg: _status(files, database, arg) for arg in ("", "市财政局")}
    old = TinyStore(data)
    everything = _everything(old)
    old.close()

    moved = _main(files, database, "store", "migrate", "--to", "postgresql")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert "核对一致" in moved.stdout and "不一致" not in moved.stdout
    assert "佐证材料文件" in moved.stdout and database not in moved.stdout + moved.stderr  # the URL is never shown
    store = PgStore(database)
    assert _everything(store) == everything
    assert store.handled_updates() == TinyStore(data).handled_updates()
    store.close()
    assert {arg: _status(on_database, database, arg) for arg in before} == before  # the bot answers as before

    again = _main(files, database, "store", "migrate", "--to", "postgresql")
    assert again.returncode == 2 and "已有数据" in again.stdout and "未作任何改动" in again.stdout

    back = tmp_path / "back"
    returned = _main(_settings(tmp_path, back, "postgresql"), database, "store", "migrate", "--to", "files")
    assert returned.returncode == 0, returned.stdout + returned.stderr
    copy = TinyStore(back)
    assert _everything(copy) == everything
    copy.close()
    for e in everything["evidence"]:
        assert (back / e.path).read_bytes() == (data / e.path).read_bytes()

    before_tick, after_tick = await _carry_on(on_database, database, tmp_path / "digests")
    assert after_tick == before_tick + 1, "the bot on the database opened the round due"

    refused = _main(on_database, database, "backup", str(tmp_path / "b.tar.gz"))
    assert refused.returncode == 2 and "pg_dump" in refused.stdout and not (tmp_path / "b.tar.gz").exists()
