from __future__ import annotations

import datetime as dt

from supervisor_bot.core.plan_header import read_header
from supervisor_bot.core.plan_text import source_lines


def test_another_citys_notice() -> None:
    header = source_lines(
        "青岛市人民政府办公厅\n青政办字[２０２２]８号\n青岛市人民政府办公厅\n关于印发青岛市稳就业\n"
        "工作任务分工方案的通知\n各区、市人民政府：\n现将《青岛市稳就业工作任务分工方案》印发给你们。\n"
        "青岛市人民政府办公厅\n２０２２年３月５日\n（联系人：市人社局就业处，电话：８５９１２３４５）\n"
    )
    doc = read_header(header)
    assert doc.number == "青政办字〔2022〕8号"
    assert doc.issuer == "青岛市人民政府办公厅"
    assert doc.date == dt.date(2022, 3, 5)
    assert doc.title == "青岛市人民政府办公厅关于印发青岛市稳就业工作任务分工方案的通知"
    assert doc.plan_title == "青岛市稳就业工作任务分工方案"
    assert doc.contact is not None
    assert (doc.contact.unit, doc.contact.phone) == ("市人社局就业处", "85912345")


def test_a_bare_plan_has_no_particulars() -> None:
    doc = read_header([])
    assert (doc.number, doc.issuer, doc.date, doc.title, doc.plan_title, doc.contact) == (None,) * 6


def test_a_plan_title_without_a_notice() -> None:
    doc = read_header(source_lines("稳就业保就业工作分工方案\n为做好稳就业工作，制定本方案。\n"))
    assert doc.plan_title == "稳就业保就业工作分工方案"


def test_a_title_ending_in_a_remark_in_brackets() -> None:
    """（试行）, （征求意见稿）, （演示用）: the title is the whole line, remark and all."""
    for remark in ("（试行）", "（征求意见稿）", "(演示用)"):
        doc = read_header(source_lines(f"某市民生实事项目推进分工方案{remark}\n为推进民生实事，制定本方案。\n"))
        assert doc.plan_title == "某市民生实事项目推进分工方案" + remark.replace("(", "（").replace(")", "）")
    long_aside = read_header(source_lines("民生实事分工方案（本方案由市政府办公厅负责解释）\n"))
    assert long_aside.plan_title is None  # a sentence in brackets is no remark of the title
