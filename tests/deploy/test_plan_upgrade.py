"""A one-plan data folder of today moves to `[[plans]]` with nothing lost. The folder in tests/fixtures was written
by the code of commit cd2002f (its demo, two weeks of Jinan's plan: reports, 督办单, 延期, 办结销号, 约谈, 佐证材料,
digests' totals) with the plan.json its first start records; the upgrade gives every record the key of the plan
whose file is the plan it was made under."""

from __future__ import annotations

import dataclasses
import tarfile
from pathlib import Path
from typing import Any

import openpyxl
import pendulum
import pytest

from storage.plan_scope import PlanScope
from storage.tinydb_store import TinyStore
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.cli import main
from supervisor_bot.composition.assemble import assemble
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import load_settings
from tests.conftest import CONFIG, DEPARTMENTS, JINAN_PLAN

FIXTURE = Path(__file__).parent.parent / "fixtures" / "one-plan-2021.tar.gz"
NOW = pendulum.datetime(2021, 9, 21, 10, 0, tz="Asia/Shanghai")
ENV = {"TELEGRAM_BASE_URL": "http://127.0.0.1:1"}
SECOND = CONFIG / "plans" / "minsheng-demo.txt"


def _folder(tmp: Path) -> Path:
    with tarfile.open(FIXTURE) as archive:
        archive.extractall(tmp, filter="data")
    return tmp / "one-plan-2021"


def _settings(tmp: Path, data: Path, jobs_file: Path = JINAN_PLAN) -> Path:
    path = tmp / "settings.toml"
    path.write_text(
        f'data_dir = "{data}"\ndepartments = "{DEPARTMENTS}"\n\n[calendar]\noverrides = "{CONFIG / "calendar_overrides.toml"}"\n\n'
        f'[[plans]]\nkey = "民生实事"\nfile = "{SECOND}"\nrounds = {{ cadence = "monthly", monthday = 6 }}\n\n'
        f'[[plans]]\nkey = "稳就业"\nfile = "{jobs_file}"\ntitle = "稳就业保就业工作分工方案"\n',
        encoding="utf-8",
    )
    return path


def _unkeyed(value: Any) -> Any:
    return dataclasses.replace(value, plan="")


def _everything(store: Any) -> dict[str, Any]:
    """What the folder holds, the plan's key left out."""
    rounds = store.rounds()
    return {
        "rounds": [_unkeyed(r) for r in rounds],
        "reports": {r.id: store.reports(r.id) for r in rounds},
        "audit": {r.id: store.audit(r.id) for r in rounds},
        "steps": {r.id: store.done(r.id) for r in rounds},
        "resolutions": {r.id: store.resolutions(r.id) for r in rounds},
        "extensions": [_unkeyed(e) for e in store.extensions()],
        "closures": [_unkeyed(c) for c in store.closures()],
        "interviews": [_unkeyed(i) for i in store.interviews()],
        "tickets": [_unkeyed(t) for t in store.tickets()],
        "prompts": [_unkeyed(p) for p in store.prompts()],
        "evidence": [_unkeyed(e) for e in store.evidence()],
        "journal": [_unkeyed(a) for a in store.audit(None)],
        "digests": {k: store.digest_totals(k) for k in store.lasting_done()},
    }


def test_a_one_plan_folder_moves_to_plans_with_nothing_lost(tmp_path: Path) -> None:
    data = _folder(tmp_path)
    old = TinyStore(data)
    before = _everything(old)
    bindings = old.bindings()
    old.close()
    assert before["rounds"] and before["extensions"] and before["closures"] and before["interviews"]
    assert before["evidence"] and before["tickets"] and sum(len(r) for r in before["reports"].values()) > 100

    assembled = assemble(load_settings(_settings(tmp_path, data), ENV), ManualClock(NOW))
    try:
        jobs, lives = (next(rt for rt in assembled.runtimes if rt.plan == key) for key in ("稳就业", "民生实事"))
        assert isinstance(jobs.store, PlanScope)
        after = _everything(jobs.store)
        assert after == before  # every record, now 稳就业's
        assert all(r.plan == "稳就业" for r in jobs.store.rounds())
        assert lives.store.rounds() == [] and lives.store.extensions() == [] and lives.store.evidence() == []
        assert assembled.store.bindings() == bindings  # the groups serve every plan
        assert all((data / e.path).exists() for e in jobs.store.evidence())
        assert jobs.office.plan_title == "稳就业保就业工作分工方案"
    finally:
        assembled.store.close()
    assert (data / "plans" / "稳就业" / "plan.json").exists() and not (data / "plan.json").exists()
    assert list((data / "plans").glob("plan-*-before-plans.json"))

    again = assemble(load_settings(_settings(tmp_path, data), ENV), ManualClock(NOW))  # a restart: as it was
    try:
        assert _everything(next(rt for rt in again.runtimes if rt.plan == "稳就业").store) == before
    finally:
        again.store.close()


def test_no_plan_of_the_folder_is_refused_with_how_to_move(tmp_path: Path) -> None:
    data = _folder(tmp_path)
    with pytest.raises(ConfigError) as refused:
        assemble(load_settings(_settings(tmp_path, data, jobs_file=SECOND.parent / "minsheng-demo.txt"), ENV))
    assert "单一方案" in str(refused.value) and "[[plans]]" in str(refused.value)


def test_the_upgraded_history_makes_the_digest_of_every_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUPERVISOR_SETTINGS", str(_settings(tmp_path, _folder(tmp_path))))
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    assert main(["digest", "--out", str(tmp_path / "out"), "--at", "2021-09-17T17:00"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("【督办周报】督办事项落实情况（2021年第37周）") and "【稳就业】" in text
    assert openpyxl.load_workbook(tmp_path / "out" / "ledger.xlsx").sheetnames == ["汇总", "稳就业", "考核"]
