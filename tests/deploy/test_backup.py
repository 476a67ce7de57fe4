"""`python main.py backup OUT.tar.gz` while the bot writes: every copy whole, and a restored copy is the same state."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path

import pendulum
import pytest

from storage.backup import make_backup
from storage.imported_plan import FILE as IMPORTED
from storage.restore import restore_backup
from storage.tinydb_store import TinyStore
from supervisor_bot.cli import main
from supervisor_bot.core.people import Actor
from supervisor_bot.core.reports import AuditEntry, Report
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import Status
from supervisor_bot.settings.paths import PROJECT_ROOT

NOW = pendulum.datetime(2021, 9, 6, 9, 0, tz="Asia/Shanghai")
WHO = Actor(101, "张三")


def _write_many(store: TinyStore, count: int, started: threading.Event) -> None:
    """Each batch writes a report to the round's log and bumps a counter in state.json, flushed together."""
    for i in range(1, count + 1):
        report = Report("2021-W36", i, "市财政局", Status.IN_PROGRESS, "", NOW, WHO, -1001)
        store.save_reports("2021-W36", [report], [AuditEntry(NOW, WHO, -1001, "report", "2021-W36", i, "市财政局")])
        store.next_id("reports")
        store.flush()
        started.set()


def test_every_backup_taken_during_writes_is_consistent(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = TinyStore(data, group_commit=True)
    store.save_round(Round("2021-W36", "2021-W36", NOW, NOW.add(days=3)))
    store.flush()
    started = threading.Event()
    writer = threading.Thread(target=_write_many, args=(store, 400, started))
    writer.start()
    started.wait(5)
    archives: list[Path] = []
    while writer.is_alive() or not archives:
        archives.append(make_backup(data, tmp_path / f"b{len(archives)}.tar.gz").path)
    writer.join()
    store.close()
    assert len(archives) >= 2
    seen = set()
    for n, archive in enumerate(archives):
        restored = TinyStore(_restored(archive, tmp_path / f"r{n}"))
        reports = restored.reports("2021-W36")
        counted = restored.next_id("reports") - 1
        assert len(reports) == counted  # the round's log and state.json from the same flush
        assert len(restored.audit("2021-W36")) == counted
        seen.add(counted)
        restored.close()
    assert len(seen) >= 2  # copies were taken at different moments


def _restored(archive: Path, folder: Path) -> Path:
    restore_backup(archive, folder)
    return folder


def test_restore_refuses_a_folder_in_use(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = TinyStore(data)
    store.save_round(Round("2021-W36", "2021-W36", NOW, NOW.add(days=3)))
    store.close()
    archive = make_backup(data, tmp_path / "b.tar.gz").path
    with pytest.raises(FileExistsError):
        restore_backup(archive, data)
    assert restore_backup(archive, tmp_path / "elsewhere").files == len(_names(archive))
    assert "write.lock" not in _names(archive)


def _names(archive: Path) -> set[str]:
    import tarfile

    with tarfile.open(archive) as opened:
        return set(opened.getnames())


def test_backup_and_restore_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    store = TinyStore(data)
    store.save_round(Round("2021-W36", "2021-W36", NOW, NOW.add(days=3)))
    store.save_reports("2021-W36", [Report("2021-W36", 9, "市财政局", Status.DONE, "已完成", NOW, WHO, -1001)], [])
    monkeypatch.setenv("SUPERVISOR_DATA_DIR", str(data))
    out = tmp_path / "out.tar.gz"
    assert main(["backup", str(out)]) == 0  # the store is still open: as while the bot runs
    assert "已备份" in capsys.readouterr().out
    store.close()
    monkeypatch.setenv("SUPERVISOR_DATA_DIR", str(tmp_path / "new"))
    assert main(["restore", str(out)]) == 0
    assert main(["restore", str(out)]) == 2
    assert "不是空的" in capsys.readouterr().err
    restored = TinyStore(tmp_path / "new")
    assert restored.reports("2021-W36")[(9, "市财政局")].note == "已完成"
    assert [r.id for r in restored.rounds()] == ["2021-W36"]


def test_backup_from_another_process(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = TinyStore(data, group_commit=True)
    store.save_round(Round("2021-W36", "2021-W36", NOW, NOW.add(days=3)))
    store.flush()
    env = {**os.environ, "SUPERVISOR_DATA_DIR": str(data)}
    out = tmp_path / "copy.tar.gz"
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "backup", str(out)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert {"state.json", "state.jsonl"} & _names(out)
    store.close()


async def test_a_copy_taken_while_the_bot_runs_restores_to_the_same_state(tmp_path: Path) -> None:
    from supervisor_bot.views.callbacks import Act, Press, encode
    from tests.e2e.harness import COORDINATOR, MONDAY, a_world

    fin = "市财政局"
    async with a_world(tmp_path, bind=lambda name: name in (fin, "市教育局")) as world:
        await world.tick(MONDAY)
        pid = next(p.id for p in world.runtime.store.prompts() if p.respondent == fin)
        await world.press(fin, encode(Press(Act.STATUS, pid, 9, Status.IN_PROGRESS)))
        await world.press(fin, encode(Press(Act.STATUS, pid, 12, Status.NOT_STARTED)))
        env = {**os.environ, "SUPERVISOR_DATA_DIR": str(world.data_dir)}
        out = tmp_path / "running.tar.gz"
        backup = await asyncio.create_subprocess_exec(  # another process, while the bot runs
            sys.executable, str(PROJECT_ROOT / "main.py"), "backup", str(out), env=env
        )  # fmt: skip
        assert await backup.wait() == 0
        before = await world.command(COORDINATOR, COORDINATOR, "status", fin)
        store = world.runtime.store
        state = (store.bindings(), store.rounds(), store.reports("2021-W36"), store.audit("2021-W36"), store.prompts())
        await world.stop()

        world.data_dir = tmp_path / "restored"
        restore_backup(out, world.data_dir)
        await world.start()  # the bot started on the restored copy
        store = world.runtime.store
        assert (
            store.bindings(),
            store.rounds(),
            store.reports("2021-W36"),
            store.audit("2021-W36"),
            store.prompts(),
        ) == state
        after = await world.command(COORDINATOR, COORDINATOR, "status", fin)
        assert after.text == before.text
        answer = await world.press(fin, encode(Press(Act.STATUS, pid, 9, Status.NOT_STARTED)))  # its checklist works
        assert answer == "已记录：措施9 未启动"


def test_a_backup_leaves_the_derived_plan_import_out(tmp_path: Path) -> None:
    """`imported-plan.json` is made again from the plan file at the first start after a restore: not data."""
    data = tmp_path / "data"
    store = TinyStore(data)
    store.save_round(Round("2021-W36", "2021-W36", NOW, NOW.add(days=3)))
    store.close()
    for folder in (data, data / "plans" / "营商环境"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / IMPORTED).write_bytes(b"{}")
    made = make_backup(data, tmp_path / "out.tar.gz")
    restore_backup(made.path, tmp_path / "new")
    restored = {p.relative_to(tmp_path / "new").as_posix() for p in (tmp_path / "new").rglob("*") if p.is_file()}
    assert restored and not any(name.endswith(IMPORTED) for name in restored)
    assert "state.json" in restored or "state.jsonl" in restored


def test_a_copy_holds_the_lock_only_to_fix_its_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot writes while the copy is read (its lock is free by then); the copy is the folder as it was."""
    import fcntl

    from storage import backup
    from storage.backup import LOCK_NAME, copy_for_reading

    data = tmp_path / "data"
    store = TinyStore(data, group_commit=True)
    store.save_round(Round("2021-W36", "2021-W36", NOW, NOW.add(days=3)))
    _write_many(store, 3, threading.Event())
    original = backup._Fixed.read
    free: list[bool] = []

    def read(entry: backup._Fixed) -> bytes:
        fd = os.open(data / LOCK_NAME, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            free.append(True)
        except BlockingIOError:
            free.append(False)
        finally:
            os.close(fd)
        if len(free) == 1:  # the bot, meanwhile: two reports and the counter, flushed
            for measure in (10, 11):
                report = Report("2021-W36", measure, "市财政局", Status.IN_PROGRESS, "", NOW, WHO, -1001)
                store.save_reports("2021-W36", [report], [])
                store.next_id("reports")
                store.flush()
        return original(entry)

    monkeypatch.setattr(backup._Fixed, "read", read)
    archive = make_backup(data, tmp_path / "b.tar.gz").path
    copy_for_reading(data, tmp_path / "copy")
    store.close()
    assert free and all(free)
    for folder, count in ((_restored(archive, tmp_path / "r"), 3), (tmp_path / "copy", 5)):
        copied = TinyStore(folder)  # the backup as it was when it began; the copy taken after the writes
        assert copied.next_id("reports") - 1 == len(copied.reports("2021-W36")) == count
        copied.close()
