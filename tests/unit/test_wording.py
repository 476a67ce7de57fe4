"""The wording the office noticed, written as an office writes it: the digest's title and headings, its period
and its empty sections, Chinese dates, one full stop, and the checklist's time limits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pendulum

from supervisor_bot.core.digest import State, build_digest
from supervisor_bot.core.ladder import LadderConfig
from supervisor_bot.core.ledger import InterviewLine
from supervisor_bot.core.matrix import Role
from supervisor_bot.core.office import Office
from supervisor_bot.core.oversight import Closure, ClosureState, Interview
from supervisor_bot.core.people import Actor
from supervisor_bot.core.prompts import Prompt
from supervisor_bot.core.respondents import Duty
from supervisor_bot.core.rounds import Round
from supervisor_bot.services.digests import digest_title
from supervisor_bot.views import fmt, supervision
from supervisor_bot.views.checklist import measure_detail
from supervisor_bot.views.digest import digest_text
from tests.unit.test_ledger_exports import DIGEST
from tests.unit.test_oversight_digest import CAL, MATRIX, TZ, UNITS, W36, at
from tests.unit.test_plan_leaders_shown import plan

A = Actor(7, "王协调")
NESTED = re.compile(r"（[^）]*（")  # a bracket opened inside another


def test_the_digest_title_has_the_plans_name_and_no_nested_brackets() -> None:
    title = digest_title("贯彻落实鲁政字〔2021〕136号文件做好稳就业保就业工作分工方案", W36, at(9, 10, 17), TZ)
    assert title == "贯彻落实鲁政字〔2021〕136号文件做好稳就业保就业工作分工方案落实情况（2021年第36周）"
    second = Round("2021-W36-2", "2021-W36", at(9, 7, 9), at(9, 10, 17))
    assert digest_title(None, second, at(9, 10, 17), TZ) == "分工方案落实情况（2021年第36周第2轮）"
    text = digest_text(dataclasses.replace(DIGEST, title=title))
    assert text.splitlines()[0] == f"【督办周报】{title}"
    assert not NESTED.search(text)


def test_headings_do_not_clash() -> None:
    lines = digest_text(DIGEST).splitlines()
    start = lines.index("二、分部分情况")
    assert lines[start + 1].startswith("（一）坚持经济发展就业导向") and lines[start + 2].startswith("（二）")
    top = [line for line in lines if re.match(r"^[一二三四五六七八九十]、", line)]
    assert top == [
        "一、总体情况",
        "二、分部分情况",
        "三、红灯事项（3项）",
        "四、按时报送率较低的单位（低于80%）",
        "五、近期时限",
        "六、约谈情况",
    ]


def test_the_period_and_nothing_due_yet() -> None:
    monday = at(9, 6, 12)  # the round opened at 09:00, due Thursday: nothing was due yet
    state = State(MATRIX, UNITS, W36, {}, ())
    digest = build_digest(state, monday, LadderConfig(), CAL, TZ, "t", None)
    text = digest_text(digest)
    assert "统计时间：2021年9月6日\n" in text  # one day, not 2021年9月6日至2021年9月6日
    assert "各单位均按时报送" not in text and "尚无已过报送截止时间的轮次。" in text
    friday = digest_text(build_digest(state, at(9, 10, 17), LadderConfig(), CAL, TZ, "t", None))
    assert "统计时间：2021年9月6日至2021年9月10日" in friday
    assert "各单位均按时报送" not in friday  # none reported: every unit is below 100%


def test_interviews_in_the_digest_have_chinese_dates_and_one_full_stop() -> None:
    held = InterviewLine("市财政局", dt.date(2021, 9, 28), "明确专人负责，每周按时报送。", dt.date(2021, 10, 15))
    pending = InterviewLine("商河县", dt.date(2021, 9, 30), "连续2轮逾期未报送或未完成")
    text = digest_text(dataclasses.replace(DIGEST, interviews_held=(held,), interviews_pending=(pending,)))
    assert "已约谈：市财政局（2021年9月28日），整改期限2021年10月15日。要点：明确专人负责，每周按时报送。" in text
    assert "待约谈：商河县，拟于9月30日（周四）约谈。事由：连续2轮逾期未报送或未完成。" in text
    assert "2021-10-15" not in text and "。。" not in text


def test_one_full_stop() -> None:
    assert fmt.sentence("请补充材料后再报完成。") == "请补充材料后再报完成。"
    assert fmt.sentence("请补充材料后再报完成") == "请补充材料后再报完成。"
    returned = Closure(
        9, "市财政局", ClosureState.RETURNED, "已完成", at(9, 8), A, at(9, 9), "请补充佐证材料后再报完成。"
    )
    assert "。。" not in supervision.returned_notice(returned, "措施9").text
    assert "理由：请补充佐证材料后再报完成。请继续推进" in supervision.returned_notice(returned, "措施9").text
    interview = Interview("商河县", at(9, 20), at(9, 23, 9), ("连续2轮逾期未报送或未完成",), (3,))
    recorded = dataclasses.replace(interview, held_on=dt.date(2021, 9, 23), points="明确专人负责。")
    assert "。。" not in supervision.interview_recorded(recorded)
    proposal = supervision.interview_proposal(
        "商河县", ("连续2轮逾期未报送或未完成。",), (), at(9, 23, 9), TZ, MATRIX, Office()
    )
    assert "。。" not in proposal.text


def test_the_checklists_time_limits_are_not_doubled() -> None:
    second = plan().matrix.measures[1]  # 完成时限：2025年6月底前
    opened = pendulum.datetime(2025, 6, 2, 9, tz=TZ)
    round_ = Round("2025-06", "2025-06", opened, opened.add(days=3))
    prompt = Prompt("p1", round_.id, "市人社局", -100)
    text = measure_detail(prompt, round_, Duty(second, Role.LEAD), None, TZ, None).text
    assert "时限：完成时限" not in text
    assert "完成时限（方案原文）：2025年6月底前" in text and "完成时限：2025年6月30日" in text
