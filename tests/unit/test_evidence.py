"""佐证材料's pure parts: where a file goes, the measure a caption names, what is refused; and what is new since
the last digest."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from supervisor_bot.core.evidence import (
    MAX_BYTES,
    EvidenceRefusal,
    check_file,
    measure_named,
    photo_name,
    relative_path,
    stored_name,
)
from supervisor_bot.core.people import Actor
from supervisor_bot.core.reports import Report
from supervisor_bot.core.status import Status
from supervisor_bot.services import fresh
from supervisor_bot.views import evidence as texts

NOW = pendulum.datetime(2021, 9, 10, 17, 0, tz="Asia/Shanghai")


@pytest.mark.parametrize(
    ("caption", "measure"),
    [
        ("措施9", 9),
        ("9", 9),
        ("措施 46 验收报告", 46),
        ("第5项：照片", 5),
        ("9，现场", 9),
        ("", None),
        ("5月份报表", None),
    ],
)
def test_the_measure_a_caption_names(caption: str, measure: int | None) -> None:
    assert measure_named(caption) == measure


def test_where_a_file_goes() -> None:
    assert (
        relative_path("2021-W36", "市财政局", 46, "验收报告.pdf", set()) == "evidence/2021-W36/市财政局/46-验收报告.pdf"
    )
    taken = {"evidence/2021-W36/市财政局/46-验收报告.pdf", "evidence/2021-W36/市财政局/46-验收报告(2).pdf"}
    assert relative_path("2021-W36", "市财政局", 46, "验收报告.pdf", taken).endswith("46-验收报告(3).pdf")
    assert relative_path("2021-W36", "各区县政府/历下区", 1, "../../etc/passwd", set()) == (
        "evidence/2021-W36/各区县政府_历下区/1-_.._etc_passwd"
    )
    long = stored_name(9, "很" * 200 + ".docx")
    assert long.endswith(".docx") and len(long) <= 2 + 80
    assert photo_name("AgADBAAD/xyz") == "照片-AgADBAAD_xyz.jpg"


def test_what_is_refused_for_the_file_itself() -> None:
    assert check_file("a.pdf", MAX_BYTES) is None
    assert check_file("a.pdf", MAX_BYTES + 1) is EvidenceRefusal.TOO_LARGE
    assert check_file(None, 10) is EvidenceRefusal.NO_NAME and check_file("  ", 10) is EvidenceRefusal.NO_NAME
    assert check_file("a.pdf", None) is None  # a size Telegram did not give: checked after the download
    assert all(text.endswith("。") and "未保存" in text for text in texts.DECLINED.values())
    assert texts.size(512) == "1KB" and texts.size(3 * 1024 * 1024) == "3.0MB"


def _report(at: dt.datetime, carried: bool = False) -> Report:
    return Report("2021-W37", 9, "市财政局", Status.IN_PROGRESS, "", at, Actor(1, "甲"), -1, carried)


def test_new_since_the_last_digest() -> None:
    totals = {"done": 3, fresh.SENT_AT: fresh.stamp(NOW)}
    since = fresh.sent_at(totals)
    assert since == NOW
    assert fresh.sent_at({"done": 3}) is None and fresh.sent_at(None) is None
    assert fresh.is_new(_report(NOW.add(minutes=1)), since)
    assert not fresh.is_new(_report(NOW), since) and not fresh.is_new(_report(NOW.subtract(days=1)), since)
    assert not fresh.is_new(_report(NOW.add(days=3), carried=True), since)
    assert fresh.is_new(_report(NOW.subtract(days=1)), None) and not fresh.is_new(None, None)
