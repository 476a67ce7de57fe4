"""The 督办台账 workbook and the progress chart: what an office opens, read back; Chinese drawn with real glyphs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import struct
import sys
import warnings
from pathlib import Path

import matplotlib
import pytest
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.ft2font import FT2Font
from openpyxl import load_workbook

from supervisor_bot.core.ledger import Digest, LedgerRow, Level, Light, Progress, SectionProgress
from supervisor_bot.core.matrix import Role
from supervisor_bot.exports.cjk_font import CJKFontMissingError, cjk_font_family, cjk_font_path
from supervisor_bot.exports.ledger_xlsx import LEDGER_HEADERS, write_ledger
from supervisor_bot.exports.progress_chart import COLOURS, progress_figure, render_progress
from supervisor_bot.exports.sheet_text import display_width, lines_needed

P = Progress
UTC = dt.UTC

SECTIONS = (
    SectionProgress(
        1, "一", "坚持经济发展就业导向", {P.DONE: 3, P.IN_PROGRESS: 2, P.BLOCKED: 1, P.NOT_STARTED: 0, P.UNREPORTED: 1}
    ),
    SectionProgress(
        2, "二", "延续稳岗扩岗政策", {P.DONE: 1, P.IN_PROGRESS: 4, P.BLOCKED: 0, P.NOT_STARTED: 1, P.UNREPORTED: 0}
    ),
    SectionProgress(
        3, "三", "优化用工保障服务", {P.DONE: 0, P.IN_PROGRESS: 1, P.BLOCKED: 2, P.NOT_STARTED: 0, P.UNREPORTED: 2}
    ),
)
TOTALS = {P.DONE: 4, P.IN_PROGRESS: 7, P.BLOCKED: 3, P.NOT_STARTED: 1, P.UNREPORTED: 3}
PREVIOUS = {P.DONE: 1, P.IN_PROGRESS: 8, P.BLOCKED: 3, P.NOT_STARTED: 3, P.UNREPORTED: 3}


def row(
    measure: int, section: int, respondent: str, role: Role, status: str, light: Light, level: Level, **kw: object
) -> LedgerRow:
    values: dict[str, object] = {
        "measure": measure,
        "section": section,
        "measure_text": f"第{measure}项措施：实施就业优先政策，把稳就业作为经济运行合理区间的下限，推动经济高质量发展和扩大就业良性循环。",
        "respondent": respondent,
        "department": respondent,
        "role": role,
        "status": status,
        "note": "",
        "reported_at": dt.datetime(2021, 9, 13, 2, 30, tzinfo=UTC),
        "light": light,
        "level": level,
        "deadline": dt.date(2021, 12, 31),
        "end_date": dt.date(2021, 12, 31),
        "report_due": dt.date(2021, 9, 15),
        "reason": "",
    }
    values.update(kw)
    return LedgerRow(**values)  # type: ignore[arg-type]


LEDGER = (
    row(1, 1, "市发展改革委", Role.LEAD, "已完成", Light.GREEN, Level.NONE, note="已出台实施意见"),
    row(1, 1, "市人力资源社会保障局", Role.CO, "推进中", Light.YELLOW, Level.REMIND, note="正在会签"),
    row(2, 1, "市财政局", Role.LEAD, "未报送", Light.RED, Level.URGE, reported_at=None, reason="未按时报送"),
    row(5, 2, "市工业和信息化局", Role.LEAD, "有困难", Light.RED, Level.ESCALATE, reason="连续两轮有困难"),
    row(
        9,
        3,
        "各区县政府",
        Role.CO,
        "推进中",
        Light.RED,
        Level.INTERVIEW,
        deadline=None,
        end_date=None,
        reason="逾期未完成",
    ),
)

DIGEST = Digest(
    title="稳就业保就业工作督办周报（2021年第37周）",
    period_start=dt.date(2021, 9, 13),
    period_end=dt.date(2021, 9, 19),
    generated_at=dt.datetime(2021, 9, 19, 10, 0, tzinfo=UTC),
    round_id="2021-W37",
    sections=SECTIONS,
    totals=TOTALS,
    previous_totals=PREVIOUS,
    red=tuple(r for r in LEDGER if r.light is Light.RED),
    lowest_on_time=(),
    upcoming=(),
    interviews_held=(),
    interviews_pending=(),
    ledger=LEDGER,
)


def rows_of(sheet: object) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]


def summary_row(path: Path, first: str) -> tuple[object, ...] | None:
    sheet = load_workbook(path)["汇总"]
    return next((r for r in rows_of(sheet) if r[0] == first), None)


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ledger") / "督办台账.xlsx"
    write_ledger(DIGEST, path)
    return path


def test_the_ledger_sheet(workbook_path: Path) -> None:
    book = load_workbook(workbook_path)
    assert book.sheetnames == ["督办台账", "汇总"]
    assert book.properties.title == DIGEST.title and book.properties.creator == "督办机器人"
    sheet = book["督办台账"]
    rows = rows_of(sheet)
    assert rows[0] == LEDGER_HEADERS
    assert rows[0][:5] == ("序号", "措施", "部分", "措施内容", "责任单位")
    assert len(rows) == 1 + len(LEDGER)
    assert [r[0] for r in rows[1:]] == [1, 2, 3, 4, 5]
    first, unreported, interview = rows[1], rows[3], rows[5]
    header = {title: i for i, title in enumerate(LEDGER_HEADERS)}
    assert first[header["部分"]] == "一" and interview[header["部分"]] == "三"
    assert [r[header["角色"]] for r in rows[1:3]] == ["牵头", "配合"]
    assert first[header["最近说明"]] == "已出台实施意见"
    # 02:30 UTC is 10:30 in Shanghai; Excel cells carry no zone, so openpyxl reads back a naive wall time
    assert first[header["最近报送时间"]] == dt.datetime(2021, 9, 13, 10, 30)  # noqa: DTZ001 - a cell's naive wall time
    assert sheet.cell(row=2, column=header["最近报送时间"] + 1).number_format == "yyyy-mm-dd hh:mm"
    assert unreported[header["最近报送时间"]] is None
    deadline = dt.datetime(2021, 12, 31)  # noqa: DTZ001 - a date cell reads back as a naive midnight
    assert first[header["完成时限"]] == deadline and interview[header["完成时限"]] is None  # the measure's own
    assert first[header["报送截止"]] == dt.datetime(2021, 9, 15)  # noqa: DTZ001 - the report deadline, apart
    assert sheet.cell(row=2, column=header["完成时限"] + 1).number_format == 'yyyy"年"m"月"d"日"'  # as Chinese dates
    assert [r[header["灯号"]] for r in rows[1:]] == ["绿灯", "黄灯", "红灯", "红灯", "红灯"]
    assert [r[header["督办等级"]] for r in rows[1:]] == ["—", "临期提醒", "催办", "督办", "约谈"]
    assert unreported[header["原因"]] == "未按时报送"

    assert sheet.freeze_panes == "F2"
    assert sheet.auto_filter.ref == "A1:Q6"  # 责任领导; 报送截止 beside 完成时限; 本期新报送 and 佐证材料
    light_column = header["灯号"] + 1
    fills = [sheet.cell(row=r, column=light_column).fill.fgColor.rgb[-6:] for r in (2, 3, 4)]
    assert fills == ["C6EFCE", "FFEB9C", "FFC7CE"]  # green, yellow, red tints
    assert sheet.cell(row=1, column=1).font.bold and sheet.cell(row=2, column=4).alignment.wrap_text

    widths = {title: sheet.column_dimensions[chr(ord("A") + i)].width for title, i in header.items()}
    assert widths["措施内容"] >= 40 and widths["最近说明"] >= 30
    assert 18 <= widths["责任单位"] <= 30  # 市人力资源社会保障局: ten Chinese characters
    assert widths["最近报送时间"] >= 16 and widths["序号"] <= 8
    assert all(6 <= w <= 60 for w in widths.values())


def test_the_summary_sheet(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["汇总"]
    rows = rows_of(sheet)
    assert rows[0][0] == DIGEST.title
    assert any("2021-09-13" in str(r[0]) and "2021-09-19" in str(r[0]) for r in rows[:3])
    header = next(r for r in rows if r[0] == "部分")
    assert header[:7] == ("部分", "已完成", "推进中", "有困难", "未启动", "未报送", "合计")
    by_first = {r[0]: r for r in rows if r[0] is not None}
    assert by_first["一、坚持经济发展就业导向"][1:7] == (3, 2, 1, 0, 1, 7)
    assert by_first["三、优化用工保障服务"][1:7] == (0, 1, 2, 0, 2, 5)
    totals = next(r for r in rows if r[0] == "合计" and r[2] is not None)  # the progress table's 合计
    assert totals[1:7] == (4, 7, 3, 1, 3, 18)
    change_row = rows.index(by_first["较上周"])
    assert by_first["较上周"][1:7] == (3, -1, 0, -2, 0, 0)
    assert sheet.cell(row=change_row + 1, column=2).number_format == "+0;-0;0"  # shown as +3, -1, 0
    assert rows.index(totals) == change_row - 1

    assert by_first["红灯"][1] == 3 and by_first["黄灯"][1] == 1 and by_first["绿灯"][1] == 1
    assert by_first["约谈"][1] == 1 and by_first["督办"][1] == 1 and by_first["催办"][1] == 1
    assert by_first["临期提醒"][1] == 1 and by_first["未升级"][1] == 1
    assert sheet.column_dimensions["A"].width >= 24  # the section titles fit


def test_without_last_weeks_totals_there_is_no_change_row(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    write_ledger(dataclasses.replace(DIGEST, previous_totals=None), path)
    firsts = [r[0] for r in rows_of(load_workbook(path)["汇总"])]
    assert "较上周" not in firsts
    assert "合计" in firsts and "一、坚持经济发展就业导向" in firsts


def test_whatever_a_unit_typed_reads_back_as_typed(tmp_path: Path) -> None:
    notes = [
        "  前后有空格 ",
        "控制\x07字符\x1b",
        "<r>a & b</r>",
        "=SUM(A1:A2)",
        "_x0041_",
        "第一行\n第二行",
        "",
        "\x07",
        "长" * 200,
    ]
    ledger = tuple(dataclasses.replace(LEDGER[0], note=note) for note in notes)
    path = tmp_path / "ledger.xlsx"
    write_ledger(dataclasses.replace(DIGEST, ledger=ledger, red=()), path)
    sheet = load_workbook(path)["督办台账"]
    column = LEDGER_HEADERS.index("最近说明") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, 2 + len(notes))]
    expected = ["  前后有空格 ", "控制字符", "<r>a & b</r>", "=SUM(A1:A2)", "_x0041_", "第一行\n第二行", None, None]
    assert [c.value for c in cells] == [*expected, "长" * 200]  # control characters XML forbids are dropped
    assert all(c.border.left.style == "thin" for c in cells)  # an empty cell keeps its column's look
    assert cells[3].data_type == "s"  # text, not a formula
    heights = [sheet.row_dimensions[r].height for r in range(2, 2 + len(notes))]
    assert heights[0] == 45 and heights[-1] == 15 * 12  # the measure text's 3 lines; the long note's 400/35 → 12


def test_display_width_counts_chinese_characters_twice() -> None:
    assert display_width("市财政局 A1") == 11
    assert [lines_needed(text, 9) for text in ("", "市财政局", "市人力资源社会保障局")] == [1, 1, 3]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_chart_is_a_png_drawn_without_missing_glyphs(tmp_path: Path) -> None:
    path = tmp_path / "charts" / "progress.png"
    family_before = list(matplotlib.rcParams["font.family"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_progress(DIGEST, path)
    complaints = [str(w.message) for w in caught if "missing from font" in str(w.message) or "Glyph" in str(w.message)]
    assert complaints == []
    data = path.read_bytes()
    width, height = png_size(data)
    assert 1000 <= width <= 1800 and 600 <= height <= 1100
    assert 20_000 < len(data) < 2_000_000
    assert matplotlib.rcParams["font.family"] == family_before  # the Chinese font was applied for this chart only


def test_a_digest_with_no_sections_still_gets_a_chart_with_a_true_legend(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    empty = dataclasses.replace(DIGEST, sections=(), ledger=(), red=())
    render_progress(empty, path)
    assert png_size(path.read_bytes()) == (1200, 700)
    figure = progress_figure(empty)
    assert "暂无数据" in [t.get_text() for t in figure.axes[0].texts]
    colours = [h.get_facecolor() for h in figure.legends[0].legend_handles]  # type: ignore[union-attr]
    assert colours == [to_rgba(COLOURS[p]) for p in (P.DONE, P.IN_PROGRESS, P.BLOCKED, P.NOT_STARTED, P.UNREPORTED)]


def test_the_chart_labels_use_a_font_that_has_every_character() -> None:
    figure = progress_figure(DIGEST)
    axes = figure.axes[0]
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels == ["一、坚持经济发展就业导向", "二、延续稳岗扩岗政策", "三、优化用工保障服务"]
    legend = figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == ["已完成", "推进中", "有困难", "未启动", "未报送"]
    assert axes.get_title() == DIGEST.title and axes.get_xlabel() == "措施数（项）"
    texts = [*axes.get_yticklabels(), *legend.get_texts(), axes.title, axes.xaxis.label]
    bundled = cjk_font_path()
    for text in texts:
        used = Path(fontManager.findfont(text.get_fontproperties(), fallback_to_default=False))
        # the bundled file, or the same family installed system-wide (Debian's fonts-noto-cjk), never a fallback
        family = FontProperties(fname=str(used)).get_name()
        assert used.resolve() == bundled.resolve() or family.startswith("Noto Sans CJK"), (
            f"{text.get_text()!r} is drawn with {used.name}"
        )
        charmap = FT2Font(str(used)).get_charmap()
        missing = [ch for ch in text.get_text() if ord(ch) not in charmap]
        assert missing == [], f"{used.name} lacks {missing} for {text.get_text()!r}"
    assert cjk_font_family() == "Noto Sans CJK SC"
    numbers = {t.get_text() for t in axes.texts}
    assert {"3", "4", "7", "6", "5"} <= numbers  # segment counts and bar totals are written on the chart


def test_without_mplfonts_the_error_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mplfonts", None)  # as if it were not installed
    with pytest.raises(CJKFontMissingError, match="mplfonts"):
        cjk_font_path()


def test_a_plans_sheet_is_named_by_its_key_never_as_the_workbooks_own() -> None:
    from supervisor_bot.exports.plans_ledger import sheet_name

    assert sheet_name("营商环境") == "营商环境" and sheet_name("a/b") == "a_b"
    assert sheet_name("汇总") == "汇总方案" and sheet_name("考核") == "考核方案"  # the 汇总 and 考核 sheets keep theirs
