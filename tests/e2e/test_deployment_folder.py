"""One settings file per deployment: `--config PATH` and SUPERVISOR_CONFIG choose it for every command (paths in it
relative to its folder), and one bot per data folder — a second `run` refuses, naming the PID of the first; a
crash leaves no lock behind."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest

from supervisor_bot.cli.main import main
from supervisor_bot.composition.lock import LOCK_FILE
from supervisor_bot.sandbox import Sandbox
from tests.e2e.test_second_deployment import DEPLOYMENT

ROOT = Path(__file__).resolve().parents[2]
STARTED = 15.0  # seconds a bot may take to start


def a_folder(tmp: Path) -> Path:
    """The second deployment's files copied to a folder of their own: settings.toml says `data_dir = "data"`."""
    folder = tmp / "jiangchuan"
    shutil.copytree(DEPLOYMENT, folder, ignore=shutil.ignore_patterns("data"))
    return folder / "settings.toml"


def test_every_command_reads_the_chosen_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = a_folder(tmp_path)
    for name in ("SUPERVISOR_CONFIG", "SUPERVISOR_SETTINGS", "SUPERVISOR_DATA_DIR", "TELEGRAM_BASE_URL"):
        monkeypatch.setenv(name, "")  # recorded, so that what `--config` sets is undone after the test
        monkeypatch.delenv(name)
    assert main(["--config", str(settings), "check-config"]) == 0
    out = capsys.readouterr().out
    assert f"设置文件：{settings}" in out and "17项措施" in out and str(settings.parent / "data") in out
    assert main(["matrix", "--config", str(settings)]) == 0  # after the command as well
    assert "江川市优化营商环境三年行动实施方案" in capsys.readouterr().out
    monkeypatch.setenv("SUPERVISOR_CONFIG", str(settings))
    assert main(["matrix", "--json"]) == 0
    assert '"reports": false' in capsys.readouterr().out  # 市直有关部门, 各有关单位: kept as written
    assert main(["digest", "--out", str(tmp_path / "out")]) == 2  # its own data folder: no round yet
    assert str(settings.parent / "data") in capsys.readouterr().err
    monkeypatch.delenv("SUPERVISOR_CONFIG")
    monkeypatch.setenv("SUPERVISOR_SETTINGS", str(settings))  # the older name still works
    assert main(["check-config"]) == 0
    assert f"设置文件：{settings}" in capsys.readouterr().out


def test_the_rehearsal_takes_the_chosen_plan(tmp_path: Path) -> None:
    import pendulum

    from supervisor_bot.demo.rehearse import prepare
    from supervisor_bot.settings.settings import load_settings

    settings = load_settings(a_folder(tmp_path), environ={})
    start = pendulum.datetime(2025, 3, 3, 8, tz="Asia/Shanghai")
    stage = prepare(settings, tmp_path / "scratch", start, 1, 36_000)
    try:
        assert len(stage.runtime.matrix.measures) == 17 and stage.runtime.office.bureau == "市政府督查室"
        assert stage.cast.bureau.title == "市政府督查室" and stage.cast.leaders.title == "市政府办公室"
        assert (tmp_path / "scratch").exists() and not settings.data_dir.exists()  # never the deployment's own
    finally:
        stage.store.close()


def _holder(lock: Path) -> str:
    """The PID the lock file names (the file stays after a crash; the lock does not)."""
    return lock.read_text().strip() if lock.exists() else ""


async def _pid_in_lock(lock: Path, pid: int) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTED
    while _holder(lock) != str(pid):
        assert loop.time() < deadline, "the bot never took its data folder"
        await asyncio.sleep(0.1)


async def _polling(sandbox: Sandbox, before: int) -> None:
    """Until a bot started after `before` getUpdates asks for updates: it is running."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTED
    while sandbox.world.calls["getUpdates"] <= before:
        assert loop.time() < deadline, "the bot never polled"
        await asyncio.sleep(0.05)


async def _bot(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "main.py",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_one_bot_per_data_folder(tmp_path: Path) -> None:
    settings = a_folder(tmp_path)
    lock = settings.parent / "data" / LOCK_FILE
    async with Sandbox() as sandbox:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERVISOR_", "TELEGRAM_"))}
        env |= {"TELEGRAM_BASE_URL": sandbox.url, "SUPERVISOR_CLOCK_START": "2025-03-01T09:00"}
        first = await _bot(env, "--config", str(settings), "run")
        await _pid_in_lock(lock, first.pid)

        second = await _bot(env | {"SUPERVISOR_CONFIG": str(settings)}, "run")
        _, err = await asyncio.wait_for(second.communicate(), STARTED)
        assert second.returncode == 3
        assert f"已有一个机器人在运行（PID {first.pid}）" in err.decode()

        first.kill()  # SIGKILL: the file stays, the lock does not
        await first.wait()
        assert _holder(lock) == str(first.pid)
        polls = sandbox.world.calls["getUpdates"]
        third = await _bot(env, "run", "--config", str(settings))
        await _pid_in_lock(lock, third.pid)
        await _polling(sandbox, polls)  # running: a SIGINT before its handlers are in is an interruption (130)
        third.send_signal(signal.SIGINT)
        await asyncio.wait_for(third.communicate(), STARTED)
        assert third.returncode == 0
