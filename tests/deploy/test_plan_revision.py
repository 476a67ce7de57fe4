"""A revised plan: detected at start and by check-config, shown measure by measure, applied with the history
following each measure and every change in the audit trail."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pendulum
import pytest

from storage.memory import MemoryStore
from storage.tinydb_store import TinyStore
from supervisor_bot.cli import main
from supervisor_bot.cli.check_config import check
from supervisor_bot.composition.assemble import assemble
from supervisor_bot.composition.lock import data_dir_lock
from supervisor_bot.core.oversight import Extension
from supervisor_bot.core.people import Actor
from supervisor_bot.core.plan_diff import Change, PlanMeasure, diff_plans
from supervisor_bot.core.prompts import Prompt
from supervisor_bot.core.reports import AuditEntry, Report
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import Ticket, TicketKind
from supervisor_bot.ports.store import Store
from supervisor_bot.services.plan_update import apply_plan_update
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import load_settings
from tests.deploy.deployment import PLAN, a_deployment

NOW = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
WHO = Actor(7, "李四")
SANDBOX = {"TELEGRAM_BASE_URL": "http://127.0.0.1:8081"}

REVISED = """关于印发某市数字政府建设分工方案（修订）的通知

一、夯实数字底座
1.建设全市统一的政务云平台，推进部门系统迁移上云。（市大数据局牵头，市财政局配合）
2.建设城市运行管理中心，实现城市运行“一屏统览”。（市大数据局牵头）
3.完善政务数据共享交换平台，年底前实现部门数据按需共享。（市大数据局、市教育局负责）
二、提升服务能力
4.推进“一网通办”，政务服务事项网上可办率达到98%，高频事项实现“掌上办”。（市政府督查室牵头，市大数据局配合）
5.建设全民健康信息平台，推动电子健康卡普及应用。（市卫生健康委牵头，市教育局配合）
"""


def m(number: int, text: str, *units: tuple[str, str], label: str = "") -> PlanMeasure:
    return PlanMeasure(number, label or f"{number}.", text, units)


A, B, C = ("市财政局", "lead"), ("市教育局", "co"), ("市大数据局", "co")


def test_the_diff_measure_by_measure() -> None:
    old = [
        m(1, "建设政务云平台，推进系统迁移上云。", A),
        m(2, "完善数据共享交换平台，实现按需共享。", A, B),
        m(3, "推进一网通办，网上可办率达到95%。", A, C),
        m(4, "建设智慧校园。", B),
    ]
    new = [
        m(1, "建设政务云平台，推进系统迁移上云。", A),
        m(2, "建设城市运行管理中心。", A),
        m(3, "完善数据共享交换平台，实现按需共享。", A, B),
        m(4, "推进一网通办，网上可办率达到98%，高频事项掌上办。", A, B),
    ]
    found = diff_plans(old, new)
    kinds = {(c.old.number if c.old else None, c.new.number if c.new else None): c.changes for c in found.changes}
    assert kinds == {
        (None, 2): (Change.ADDED,),
        (2, 3): (Change.RENUMBERED,),
        (3, 4): (Change.RENUMBERED, Change.REASSIGNED, Change.EDITED),
        (4, None): (Change.REMOVED,),
    }
    assert found.unchanged == 1 and found.moves == {2: 3, 3: 4} and found.dropped == {4}
    edited = next(c for c in found.changes if Change.EDITED in c.changes)
    assert edited.handed == (("市大数据局", "市教育局"),) and edited.closed == ()
    assert diff_plans(old, old).changes == ()


def _seed(store: Store) -> None:
    store.save_round(Round("2026-W10", "2026-W10", NOW, NOW.add(days=3)))
    reports = [Report("2026-W10", n, u, Status.IN_PROGRESS, f"措施{n}进展", NOW, WHO, -1) for n, u in
               [(2, "市大数据局"), (3, "市大数据局"), (4, "市大数据局"), (5, "市教育局")]]  # fmt: skip
    audit = [AuditEntry(NOW, WHO, -1, "report", "2026-W10", r.measure, r.respondent) for r in reports]
    store.save_reports("2026-W10", reports, audit)
    store.save_extension(Extension(4, "市大数据局", dt.date(2026, 3, 20), WHO, NOW), audit[2])
    store.save_ticket(Ticket("t1", TicketKind.ESCALATION, "2026-W10", "市大数据局", (3, 4), -2, 5))
    store.save_prompt(Prompt("p1", "2026-W10", "市大数据局", -1, 11))
    store.save_prompt(Prompt("p2", "2026-W10", "市财政局", -3, 12))


@pytest.mark.parametrize("backend", ["memory", "tinydb"])
def test_history_follows_its_measure(backend: str, tmp_path: Path) -> None:
    from supervisor_bot.core.plan_diff import plan_measures
    from supervisor_bot.services.plans import load_plan

    settings = a_deployment(tmp_path / "dep")
    (tmp_path / "dep" / "revised.txt").write_text(REVISED, encoding="utf-8")
    registry = tmp_path / "dep" / "departments.toml"
    old = plan_measures(load_plan(settings.parent / "plan.txt", registry).matrix)
    new = plan_measures(load_plan(settings.parent / "revised.txt", registry).matrix)
    found = diff_plans(old, new)
    store: Store = MemoryStore() if backend == "memory" else TinyStore(tmp_path / "data")
    _seed(store)
    updated = apply_plan_update(store, found, "revised.txt", NOW)
    if isinstance(store, TinyStore):
        store.close()
        store = TinyStore(tmp_path / "data")
    reports = store.reports("2026-W10")
    # old 2 is new 3, old 3 is new 4 (edited), old 4 is new 5 (市大数据局 → 市教育局), old 5 was removed
    assert {k: r.note for k, r in reports.items()} == {
        (3, "市大数据局"): "措施2进展",
        (4, "市大数据局"): "措施3进展",
        (5, "市大数据局"): "措施4进展",  # what it reported stays its own
    }
    assert sorted(a.measure or 0 for a in store.audit("2026-W10")) == [3, 4, 5, 5]  # with the 延期
    assert store.extensions() == [Extension(5, "市教育局", dt.date(2026, 3, 20), WHO, NOW)]  # handed over
    assert [t.measures for t in store.tickets()] == [(4,)]  # 5 went with the duty
    # every unit of a measure changed gets its checklist again (市财政局: its measure 5 was removed)
    assert updated.resent == ("市大数据局", "市财政局") and store.prompts() == []
    said = [a for a in store.audit(None) if a.action == "plan"]
    assert len(said) == len(found.changes) and all("revised.txt" in (a.note or "") for a in said)


def test_start_and_check_config_refuse_a_changed_plan_until_updated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file = a_deployment(tmp_path)
    monkeypatch.setenv("SUPERVISOR_SETTINGS", str(settings_file))
    for name, value in SANDBOX.items():
        monkeypatch.setenv(name, value)
    first = assemble(load_settings())  # the first run records the plan
    first.store.close()
    assert (tmp_path / "data" / "plan.json").exists()
    plan = tmp_path / "plan.txt"
    plan.write_text(REVISED, encoding="utf-8")  # the office replaced the file

    with pytest.raises(ConfigError) as refused:
        assemble(load_settings())
    assert str(plan) in str(refused.value) and "plan diff" in str(refused.value)
    assert any("不一致" in line for line in check(NOW.date(), environ=SANDBOX).errors)

    assert main(["plan", "diff", str(plan)]) == 0
    shown = capsys.readouterr().out
    assert "新增1项" in shown and "删除1项" in shown and "重新编号" in shown
    assert "市大数据局 → 市教育局" in shown and "文字修改" in shown
    with data_dir_lock(tmp_path / "data"):  # a bot running on the folder: nothing is changed under it
        assert main(["plan", "update", str(plan)]) == 3
    assert f"PID {os.getpid()}" in capsys.readouterr().err
    with pytest.raises(ConfigError):
        assemble(load_settings())  # still the old plan's data
    assert main(["plan", "update", str(plan)]) == 0
    assert "已按新方案更新" in capsys.readouterr().out
    again = assemble(load_settings())
    again.store.close()
    assert not check(NOW.date(), environ=SANDBOX).errors
    assert list((tmp_path / "data" / "plans").glob("plan-*.json"))  # the plan replaced, kept
    assert PLAN != REVISED
