"""The digest reads as an office writes: changes in words, only the units below the stated on-time threshold, one
sentence when every score is the same, a late digest that says it was late; the schedule and its wording as the
deployment's cadence has them."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pendulum

from supervisor_bot.app.shell import as_scheduled
from supervisor_bot.core.ladder import LadderConfig
from supervisor_bot.core.ledger import OnTime
from supervisor_bot.core.office import Office
from supervisor_bot.core.schedule import Cadence
from supervisor_bot.core.scoring import Period, Scorecard, ScoringRules, UnitScore
from supervisor_bot.views import messages
from supervisor_bot.views.digest import digest_text
from supervisor_bot.views.scoring import digest_line
from tests.unit.test_ledger_exports import DIGEST

TZ = "Asia/Shanghai"


def test_changes_are_said_in_words() -> None:
    text = digest_text(DIGEST)  # 已完成 1 → 4, 推进中 8 → 7, 有困难 3 → 3
    assert "已完成4项（较上周增加3项）" in text and "推进中7项（较上周减少1项）" in text
    assert "有困难3项（与上周持平）" in text
    assert "+3" not in text and "-1" not in text
    monthly = digest_text(dataclasses.replace(DIGEST, period_word="月"))
    assert "较上月增加3项" in monthly


def test_only_units_below_the_threshold_are_named() -> None:
    rated = dataclasses.replace(DIGEST, lowest_on_time=(OnTime("商河县", 1, 4),), rated_rounds=2, low_rate_below=80)
    text = digest_text(rated)
    assert "四、按时报送率较低的单位（低于80%）" in text and "商河县：25%" in text
    none = digest_text(dataclasses.replace(DIGEST, rated_rounds=2, low_rate_below=90))
    assert "各单位按时报送率均不低于90%。" in none


def test_equal_scores_are_one_sentence() -> None:
    period = Period(dt.date(2021, 7, 1), dt.date(2021, 9, 30))
    at = pendulum.datetime(2021, 9, 10, 17, tz=TZ)
    same = Scorecard(
        period, at, tuple(UnitScore(u, 100.0, ()) for u in ("市财政局", "市教育局", "商河县")), ScoringRules()
    )
    line = digest_line(same)
    assert line == "考核得分（2021年第三季度累计）：3个单位均为100分。"
    apart = dataclasses.replace(same, scores=(UnitScore("商河县", 93.5, ()), *same.scores[:2]))
    assert "最低 商河县93.5分；最高 市财政局等2个单位100分" in (digest_line(apart) or "")


def test_a_late_digest_says_when_it_was_due() -> None:
    due = pendulum.datetime(2021, 9, 17, 17, tz=TZ)
    assert as_scheduled(due, due.add(minutes=20)) == due  # a tick's lag is no delay: recorded as scheduled
    assert as_scheduled(due, due.add(hours=5, minutes=22)) == due.add(hours=5, minutes=22)  # late: as it was
    late = dataclasses.replace(DIGEST, scheduled=due, generated_at=due.add(hours=5, minutes=22))
    assert "（本期周报原定9月17日（周五）17:00发送，于9月17日（周五）22:22补发。）" in digest_text(late)
    assert "补发" not in digest_text(DIGEST)


def test_the_wording_follows_the_cadence() -> None:
    monthly = LadderConfig(digest_cadence=Cadence.MONTHLY)
    assert monthly.digest_kind == "督办月报" and LadderConfig().digest_kind == "督办周报"
    assert ("digest", "（协调员）预览督办月报") in messages.commands(monthly.digest_kind)
    assert "每月督办月报" in messages.greeting_leaders(monthly.digest_kind)
    office = Office(bureau="市政府督查室", leaders="市政府办公室", example_unit="市财政局", example_measure="3")
    assert "/digest —— 预览督办月报" in messages.help_text(office, dt.date(2025, 3, 3), monthly.digest_kind)
    assert "周报" not in messages.help_text(office, dt.date(2025, 3, 3), monthly.digest_kind)


def test_a_deadline_the_text_repeats_is_shown_once() -> None:
    from supervisor_bot.core.digest import State, upcoming
    from supervisor_bot.core.matrix import DateMeaning, Document, Matrix, Measure, MeasureDate, Section
    from supervisor_bot.core.rounds import Round

    end = dt.date(2025, 6, 30)
    dates = (
        MeasureDate(end, DateMeaning.DEADLINE, "2025年6月底前"),
        MeasureDate(end, DateMeaning.DEADLINE, "完成时限：2025年6月底前"),
        MeasureDate(end, DateMeaning.PERIOD_END, "至2025年6月"),
    )
    measure = Measure(1, "1.", 1, "推进某项工作。", (), False, dates)
    assert [d.meaning for d in measure.shown_dates] == [DateMeaning.DEADLINE, DateMeaning.PERIOD_END]
    matrix = Matrix(Document(None, None, None, None, None, None), (Section(1, "一部分", "一"),), (measure,), ())
    opened = pendulum.datetime(2025, 6, 16, 9, tz=TZ)
    state = State(matrix, (), Round("2025-W25", "2025-W25", opened, opened.add(days=3, hours=8)), {}, ())
    found = [u for u in upcoming(state, opened, TZ) if "措施1" in u.what]
    assert len(found) == 1 and found[0].date == end  # listed once under 近期时限
