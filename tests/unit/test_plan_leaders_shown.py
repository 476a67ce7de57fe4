"""Leaders and the 完成时限 as written travel from the plan to /measure, the checklist, the ledger, the 约谈建议
and `matrix --json`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from supervisor_bot.core.matrix import Measure, Role
from supervisor_bot.core.office import Office
from supervisor_bot.core.oversight import OverdueItem, Reason
from supervisor_bot.core.plan_document import import_document
from supervisor_bot.core.plan_import import ImportResult
from supervisor_bot.core.plan_table import Table
from supervisor_bot.core.prompts import Prompt
from supervisor_bot.core.respondents import Duty
from supervisor_bot.core.rounds import Round
from supervisor_bot.exports.ledger_xlsx import LEDGER_HEADERS, write_ledger
from supervisor_bot.exports.matrix_json import matrix_to_json
from supervisor_bot.views import status
from supervisor_bot.views.checklist import measure_detail
from supervisor_bot.views.supervision import interview_proposal
from tests.unit.test_ledger_exports import DIGEST, LEDGER

UTC = dt.UTC


def plan() -> ImportResult:
    rows = (
        ("序号", "重点任务", "牵头单位", "责任单位", "责任领导", "完成时限"),
        ("一、稳定就业",) * 6,
        ("1", "落实稳岗返还政策。", "市人社局", "市财政局", "王强、赵敏", "长期坚持"),
        ("2", "开展技能培训。", "市人社局", "", "", "2025年6月底前"),
    )
    return import_document([Table(rows)])


def first() -> Measure:
    return plan().matrix.measures[0]


def test_measure_info_shows_leaders_and_the_time_limit_as_written() -> None:
    result = plan()
    text = status.measure_info(result.matrix, result.matrix.measures[0])
    assert "责任领导：王强、赵敏" in text and "完成时限（方案原文）：长期坚持" in text
    second = status.measure_info(result.matrix, result.matrix.measures[1])
    assert "责任领导" not in second and "完成时限（方案原文）：2025年6月底前" in second
    assert "完成时限：2025年6月30日" in second  # and supervision's date, with its meaning


def test_the_interview_proposal_names_the_leaders() -> None:
    since = dt.datetime(2025, 7, 1, tzinfo=UTC)
    item = OverdueItem(1, "市人社局", Role.LEAD, Reason.PAST_DEADLINE, since, dt.date(2025, 6, 30), first().leaders)
    matrix, office = plan().matrix, Office()
    view = interview_proposal("市人社局", ("逾期未完成",), (item,), since, "Asia/Shanghai", matrix, office)
    assert "方案明确的责任领导：王强、赵敏。" in view.text
    plain = interview_proposal(
        "市人社局", ("逾期未完成",), (dataclasses.replace(item, leaders=()),), since, "UTC", matrix, office
    )
    assert "责任领导" not in plain.text


def test_json_gains_label_leaders_and_deadline_text() -> None:
    measure = matrix_to_json(plan().matrix)["measures"][0]
    assert (measure["label"], measure["leaders"], measure["deadline_text"]) == ("1", ["王强", "赵敏"], "长期坚持")


def test_the_ledger_has_the_leaders_and_the_plans_time_limit(tmp_path: Path) -> None:
    rows = (dataclasses.replace(LEDGER[0], leaders=("王强", "赵敏"), deadline_text="长期坚持"), *LEDGER[1:])
    path = tmp_path / "ledger.xlsx"
    write_ledger(dataclasses.replace(DIGEST, ledger=rows), path)
    sheet = load_workbook(path)["督办台账"]
    header = {title: i for i, title in enumerate(LEDGER_HEADERS)}
    values = [c.value for c in sheet[2]]
    assert values[header["责任领导"]] == "王强、赵敏" and values[header["完成时限"]] == "长期坚持"
    assert [c.value for c in sheet[3]][header["责任领导"]] is None  # empty where the plan names no one


def test_the_checklists_measure_shows_leaders_and_the_time_limit() -> None:
    opened = dt.datetime(2025, 6, 2, 1, 0, tzinfo=UTC)
    round_ = Round("2025-W23", "2025-W23", opened, opened + dt.timedelta(days=3))
    prompt = Prompt("p1", round_.id, "市人社局", -100)
    view = measure_detail(prompt, round_, Duty(first(), Role.LEAD), None, "Asia/Shanghai", None)
    assert "责任领导：王强、赵敏" in view.text and "完成时限（方案原文）：长期坚持" in view.text
