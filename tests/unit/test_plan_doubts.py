"""Nothing imported wrong in silence: each mistake a new user made is an error naming the line and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from supervisor_bot.cli import main
from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.plan_document import import_document
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.documents import read_document
from tests.documents import Grid, write_docx_table, write_xlsx

FOUR = "".join(f"（{n}）做好第{n}项工作。（市财政局负责）\n" for n in "一二三四")


def refused(text: str) -> PlanFormatError:
    with pytest.raises(PlanFormatError) as error:
        import_plan(text)
    return error.value


def test_a_repeated_number_does_not_swallow_the_measures_after_it() -> None:
    assert len(import_plan("一、稳定就业\n" + FOUR).matrix.measures) == 4
    error = refused("一、稳定就业\n" + FOUR.replace("（二）", "（一）"))
    assert str(error) == "第3行：编号“（一）”重复（上一项也是“（一）”），应为“（二）”"


def test_a_skipped_number_is_read_as_written_with_a_warning() -> None:
    result = import_plan("一、稳定就业\n1.做好甲。（市财政局负责）\n3.做好丙。（市教育局负责）\n")
    assert [m.label for m in result.matrix.measures] == ["1.", "3."]
    (gap,) = (p for p in result.problems if p.name is None)
    assert str(gap) == "第3行：编号“3.”不连续（上一项是“1.”），已按“3.”读取，请核对是否漏项"


def test_a_number_that_goes_back_is_refused() -> None:
    error = refused(
        "一、稳定就业\n1.做好甲。（市财政局负责）\n2.做好乙。（市教育局负责）\n1.做好丙。（市财政局负责）\n"
    )
    assert str(error) == "第4行：编号“1.”不连续（上一项是“2.”），应为“3.”"


def test_a_section_heading_without_its_mark() -> None:
    text = "一、稳定就业\n1.做好甲。（市财政局负责）\n二提升服务水平\n2.做好乙。（市教育局负责）\n"
    error = refused(text)
    assert error.line == 3
    assert "“二提升服务水平”像是部分标题，但编号后缺少“、”，应写作“二、提升服务水平”" in str(error)


def test_a_sub_heading_whose_bracket_does_not_close() -> None:
    error = refused("一、稳定就业\n（一）做好甲。（市财政局负责）\n（二做好乙。（市教育局负责）\n")
    assert str(error) == "第3行：编号“（二”的括号没有闭合，应写作“（二）”"


def test_a_missing_opening_bracket_is_not_a_unit_called_with_a_bracket() -> None:
    text = "一、稳定就业\n1.做好甲工作。牵头单位：市财政局；责任单位：市教育局、各县区政府）\n"
    error = refused(text)
    assert error.line == 2 and "括号不配对" in str(error) and "缺少“（”" in str(error)


def test_a_unit_name_with_stray_punctuation() -> None:
    error = refused("一、稳定就业\n1.做好甲工作。（牵头单位：市财政局；责任单位：市教育局：各县区政府）\n")
    assert error.line == 2
    assert "单位名称“市教育局：各县区政府”含有多余的标点“：”" in str(error)


def test_text_is_kept_as_written() -> None:
    (m,) = import_plan("一、推进数字政府\n1.推广“一网通办”2.0，2025年底前全覆盖。（市大数据局负责）\n").matrix.measures
    assert m.text == "推广“一网通办”2.0，2025年底前全覆盖。"
    (half,) = import_plan("一、甲\n1.比例为3.5%,即1,000人。(市财政局负责)\n").matrix.measures
    assert half.text == "比例为3.5%，即1,000人。"  # ASCII punctuation inside numbers stays ASCII


def test_a_section_heading_with_nothing_under_it_is_read_as_such_with_a_warning() -> None:
    result = import_plan("一、优化营商环境\n二、提升服务\n1.做好乙。（市教育局负责）\n")
    assert [m.label for m in result.matrix.measures] == ["1."]
    (warning,) = (p for p in result.problems if p.name is None)
    assert str(warning) == "第1行：“一、优化营商环境”是部分标题，其下没有编号的措施：未计入措施"


def test_prose_parts_with_no_unit_are_not_measures_but_a_measure_without_one_beside_others_is_refused() -> None:
    text = (
        "一、总体要求\n坚持问题导向。\n二、重点任务\n（一）做好甲。（市财政局负责）\n（二）做好乙。（市教育局负责）\n"
    )
    result = import_plan(text)
    assert [m.label for m in result.matrix.measures] == ["（一）", "（二）"]
    assert "“一、总体要求”没有写明责任单位" in str(next(p for p in result.problems if p.name is None))
    error = refused(text.replace("（二）做好乙。（市教育局负责）", "（二）做好乙。"))
    assert error.line == 5 and "措施（二）未写明责任单位" in str(error)


def table(tmp_path: Path, *rows: list[str]) -> Path:
    grid = Grid([["序号", "重点任务", "牵头单位", "责任单位", "完成时限"], ["一、稳定就业"] * 5, *map(list, rows)])
    return write_docx_table(tmp_path / "plan.docx", grid)


def table_error(path: Path) -> str:
    with pytest.raises(PlanFormatError) as error:
        import_document(read_document(path))
    return str(error.value)


def test_a_table_row_without_units_names_row_and_column(tmp_path: Path) -> None:
    path = table(tmp_path, ["1", "做好甲。", "市财政局", "", ""], ["2", "做好乙。", "", "", "长期坚持"])
    assert table_error(path) == "表格第4行“牵头单位”列：未写明责任单位，应写明牵头单位或责任单位"


def test_a_table_number_that_repeats(tmp_path: Path) -> None:
    path = table(tmp_path, ["1", "做好甲。", "市财政局", "", ""], ["1", "做好乙。", "市教育局", "", ""])
    assert table_error(path) == "表格第4行“序号”列：序号“1”重复（上一项也是“1”），应为“2”"


def test_a_table_unit_with_stray_punctuation(tmp_path: Path) -> None:
    path = table(tmp_path, ["1", "做好甲。", "市财政局）", "市教育局", ""])
    assert table_error(path).startswith("表格第3行“牵头单位”列：措施1的单位名称“市财政局）”含有多余的不配对的括号")


def test_an_excel_sheet_is_named_in_the_error(tmp_path: Path) -> None:
    grid = Grid([["序号", "工作任务", "责任单位"], ["1", "", "市财政局"]])
    path = write_xlsx(tmp_path / "plan.xlsx", grid, sheet="任务分解")
    assert table_error(path) == "工作表“任务分解”第2行“工作任务”列：未写明任务内容"


def test_a_table_with_a_header_and_no_measures(tmp_path: Path) -> None:
    assert "表格中没有措施" in table_error(table(tmp_path))


def test_matrix_refuses_with_status_2_and_names_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("一、稳定就业\n" + FOUR.replace("（二）", "（一）"), encoding="utf-8")
    assert main(["matrix", str(path), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "第3行" in err and "应为“（二）”" in err


def test_matrix_reads_a_word_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = table(tmp_path, ["1", "做好甲。", "市财政局", "市教育局", "2025年6月底前"])
    assert main(["matrix", str(path), "--json"]) == 0
    out, _ = capsys.readouterr()
    assert '"deadline_text": "2025年6月底前"' in out and '"leaders": []' in out


def test_a_table_laid_out_as_text_names_the_files_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    lines = ["关于印发任务分解表的通知", "", "序号\t重点任务\t牵头单位\t责任单位", "一、稳定就业", "1\t做好甲。\t\t"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert table_error(path) == "第5行“牵头单位”列：未写明责任单位，应写明牵头单位或责任单位"
