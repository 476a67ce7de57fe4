"""`plan add KEY FILE`, `plan diff KEY FILE`, `plan update KEY FILE`, `plan retire KEY` on a `[[plans]]` deployment's
folder, refused while a bot runs on it; a revision of one plan never touches another's records."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pendulum
import pytest

from storage.plan_scope import PlanScope
from storage.tinydb_store import TinyStore
from supervisor_bot.app import cycle
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.app.runner import ServiceRunner
from supervisor_bot.app.shell import Shell
from supervisor_bot.cli import main
from supervisor_bot.composition.assemble import assemble
from supervisor_bot.composition.lock import data_dir_lock
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.oversight import Extension
from supervisor_bot.core.people import SYSTEM, Actor
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.settings.settings import load_settings
from tests.deploy.test_plan_revision import REVISED
from tests.deploy.test_plans_settings import SANDBOX, a_plans_deployment
from tests.service.fakes import FakeMessenger

NOW = pendulum.datetime(2026, 3, 2, 10, 0, tz="Asia/Shanghai")
WHO = Actor(1, "王协调")
THIRD = """关于印发某市卫生健康民生实事分工方案的通知

一、提升基层卫生服务
1.建设社区医院3家。（市卫生健康委牵头，市财政局配合）
"""


@pytest.fixture
def deployment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings = a_plans_deployment(tmp_path)
    monkeypatch.setenv("SUPERVISOR_SETTINGS", str(settings))
    for name, value in SANDBOX.items():
        monkeypatch.setenv(name, value)
    assemble(load_settings(), ManualClock(NOW)).store.close()  # the first start records both plans
    return tmp_path


def test_plan_add_checks_records_and_names_it_in_the_settings(
    deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    third = deployment / "third.txt"
    third.write_text(THIRD, encoding="utf-8")
    with data_dir_lock(deployment / "data"):
        assert main(["plan", "add", "卫生健康", str(third)]) == 3
    assert f"PID {os.getpid()}" in capsys.readouterr().err
    assert main(["plan", "add", "教育民生", str(third)]) == 2
    assert "已有简称为“教育民生”的方案" in capsys.readouterr().err
    unknown = deployment / "unknown.txt"
    unknown.write_text(THIRD.replace("市财政局配合", "市体育局配合"), encoding="utf-8")
    assert main(["plan", "add", "体育", str(unknown)]) == 2
    assert "市体育局" in capsys.readouterr().err
    assert main(["plan", "add", "卫生健康", str(third)]) == 0
    assert "已添加方案“卫生健康”：1项措施" in capsys.readouterr().out
    settings = load_settings()
    assert [p.key for p in settings.plans] == ["数字政府", "教育民生", "卫生健康"]
    assert (deployment / "data" / "plans" / "卫生健康" / "plan.json").exists()
    again = assemble(settings, ManualClock(NOW))
    again.store.close()
    assert [rt.plan for rt in again.runtimes] == ["数字政府", "教育民生", "卫生健康"]


def test_plan_update_of_one_plan_leaves_the_other_alone(deployment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = TinyStore(deployment / "data")
    for key in ("数字政府", "教育民生"):
        audit = AuditEntry(NOW, WHO, -1, "extend", None, 2, "市教育局")
        PlanScope(store, key).save_extension(Extension(2, "市教育局", NOW.date(), WHO, NOW), audit)
    store.close()
    revised = deployment / "revised.txt"
    revised.write_text(REVISED, encoding="utf-8")
    assert main(["plan", "diff", str(revised)]) == 2
    assert "请写明方案简称" in capsys.readouterr().err
    assert main(["plan", "diff", "数字政府", str(revised)]) == 0
    assert "新增1项" in capsys.readouterr().out
    assert main(["plan", "update", "数字政府", str(revised)]) == 0
    assert "数字政府" in capsys.readouterr().out
    store = TinyStore(deployment / "data")
    try:
        assert [e.measure for e in PlanScope(store, "数字政府").extensions()] == [3]  # measure 2 is now 3
        assert [e.measure for e in PlanScope(store, "教育民生").extensions()] == [2]
    finally:
        store.close()


def test_plan_retire_keeps_the_history_and_opens_no_more_rounds(
    deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "retire", "无此方案"]) == 2
    assert "没有简称为“无此方案”的方案" in capsys.readouterr().err
    assert main(["plan", "retire", "教育民生"]) == 0
    assert "已停止督办" in capsys.readouterr().out
    assembled = assemble(load_settings(), ManualClock(NOW))
    assembled.store.close()
    assert [(rt.plan, rt.retired) for rt in assembled.runtimes] == [("数字政府", False), ("教育民生", True)]


async def test_digest_and_score_read_every_plan_from_a_copy_while_a_bot_runs(
    deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The read-only commands on a `[[plans]]` folder: each plan's records read from a copy of the store, under
    the lock a running bot holds; the digest has a section per plan, the scores name their plan, and every file
    of the data folder is as it was, byte for byte."""
    data = deployment / "data"
    clock = ManualClock(NOW)
    assembled = assemble(load_settings(), clock)
    store = assembled.store
    for unit, chat in (("市财政局", -1001), ("市教育局", -1002)):
        binding = Binding(unit, chat, frozenset({7}), True, f"{unit}工作群")
        store.save_binding(binding, AuditEntry(NOW, SYSTEM, chat, "bind", respondent=unit))
    runner = ServiceRunner(flush=store.flush)
    shell = Shell(assembled.runtime, clock, runner, FakeMessenger(), data / "digests", plans=assembled.runtimes)
    for day in (3, 5, 20):  # 数字政府 opens on Tuesdays, 教育民生 on the 5th; by the 20th both are overdue
        clock.set(NOW.replace(day=day, hour=9))
        await cycle.tick(shell)
    store.flush()
    with data_dir_lock(data):  # as the running bot holds it
        before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
        assert main(["digest", "--out", str(deployment / "out")]) == 0
        digest = capsys.readouterr().out
        assert main(["score", "--from", "2026-03-01", "--to", "2026-03-31", "--json"]) == 0
        scores = json.loads(capsys.readouterr().out)
        after = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    assert "数字政府" in digest and "教育民生" in digest
    plans = {d["plan"] for unit in scores["units"] for d in unit["deductions"]}
    assert plans == {"数字政府", "教育民生"}
    assert after == before
    store.close()
