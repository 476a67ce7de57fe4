"""Small plans written in each convention Chinese plans use; the same importer reads them all."""

from __future__ import annotations

import datetime as dt

import pytest

from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.matrix import DateMeaning, Department, Measure
from supervisor_bot.core.plan_import import ImportResult, import_plan
from supervisor_bot.core.registry import DepartmentRegistry

REGISTRY = DepartmentRegistry(
    [
        Department("市人力资源社会保障局", aliases=("市人社局",)),
        Department("市财政局"),
        Department("市教育局"),
        Department("市发展改革委", aliases=("市发改委",)),
        Department("市住房城乡建设局"),
        Department("市市场监管局"),
        Department("各县(区)人民政府"),
        Department("各区人民政府〈含开发区〉"),
        Department("各功能区", members=("高新区", "起步区")),
        Department("区教育局"),
    ]
)


def load(text: str) -> ImportResult:
    return import_plan(text, REGISTRY)


def only(result: ImportResult) -> Measure:
    assert len(result.matrix.measures) == 1
    return result.matrix.measures[0]


def test_first_named_leads_and_trailing_deng_means_open() -> None:
    m = only(load("一、稳定就业\n1.做好工作。（市人社局、市财政局、市教育局等负责）\n"))
    assert m.departments == ("市人力资源社会保障局", "市财政局", "市教育局")
    assert m.leads == ("市人力资源社会保障局",)
    assert m.open_ended


def test_a_closed_list() -> None:
    m = only(load("一、稳定就业\n1.做好工作。（市人社局、市财政局负责）\n"))
    assert not m.open_ended


@pytest.mark.parametrize(
    "statement",
    [
        "(牵头单位:市发改委;责任单位:市财政局、市教育局)",
        "（牵头单位：市发改委；责任单位：市财政局、市教育局）",
        "〔牵头单位：市发改委；责任单位：市财政局、市教育局〕",
        "(牵头单位：市发改委;责任单位:市财政局、市教育局)",
        "（牵头单位：市发改委，责任单位：市财政局、市教育局）",
    ],
)
def test_labelled_lead_and_responsible_units_in_any_bracket(statement: str) -> None:
    m = only(load(f"一、稳定就业\n1.做好工作。{statement}\n"))
    assert m.departments == ("市发展改革委", "市财政局", "市教育局")
    assert m.leads == ("市发展改革委",)
    assert not m.open_ended


def test_labelled_responsible_units_alone_first_leads() -> None:
    m = only(load("一、稳定就业\n1.做好工作。（责任单位：市财政局、市教育局等）\n"))
    assert m.leads == ("市财政局",)
    assert m.open_ended


def test_several_leads_and_the_rest_by_their_duties() -> None:
    m = only(load("一、稳定就业\n1.做好工作。(市人社局、市财政局牵头,市教育局、市发改委按职责分工负责)\n"))
    assert m.leads == ("市人力资源社会保障局", "市财政局")
    assert m.departments == ("市人力资源社会保障局", "市财政局", "市教育局", "市发展改革委")


def test_lead_and_co_operators() -> None:
    m = only(load("一、稳定就业\n1.做好工作。（市财政局牵头，市人社局、市教育局配合）\n"))
    assert m.leads == ("市财政局",)
    assert m.departments == ("市财政局", "市人力资源社会保障局", "市教育局")


def test_huitong_names_the_lead_first() -> None:
    m = only(load("一、稳定就业\n1.做好工作。（市财政局会同市教育局负责）\n"))
    assert m.leads == ("市财政局",)
    assert m.departments == ("市财政局", "市教育局")


def test_lead_rule_note_in_the_notice() -> None:
    text = (
        "关于印发方案的通知\n各部门：\n（列第一位者为牵头单位，下同）\n"
        "一、稳定就业\n1.做好工作。（市财政局、市教育局负责）\n"
    )
    result = load(text)
    assert result.matrix.document.lead_rule_stated
    assert only(result).leads == ("市财政局",)


def test_lead_rule_note_inside_the_first_bracket() -> None:
    text = (
        "一、稳定就业\n1.做好工作。（市财政局、市教育局负责，列第一位者为牵头单位，下同）\n"
        "2.做好另一项工作。（市教育局、市财政局负责）\n"
    )
    result = load(text)
    assert result.matrix.document.lead_rule_stated
    first, second = result.matrix.measures
    assert first.departments == ("市财政局", "市教育局")
    assert first.leads == ("市财政局",)
    assert second.leads == ("市教育局",)


@pytest.mark.parametrize("separator", ["、", ",", "，", "及"])
def test_department_separators(separator: str) -> None:
    m = only(load(f"一、稳定就业\n1.做好工作。（市财政局{separator}市教育局负责）\n"))
    assert m.departments == ("市财政局", "市教育局")


def test_brackets_inside_department_names() -> None:
    m = only(load("一、稳定就业\n1.做好工作.(各县(区)人民政府、各区人民政府〈含开发区〉、市财政局负责)\n"))
    assert m.departments == ("各县(区)人民政府", "各区人民政府〈含开发区〉", "市财政局")


def test_explanatory_brackets_in_the_text_are_not_departments() -> None:
    m = only(load("一、稳定就业\n1.支持高校毕业生(含海归毕业生，下同)就业(招聘).(市教育局负责)\n"))
    assert m.departments == ("市教育局",)
    assert m.text == "支持高校毕业生（含海归毕业生，下同）就业（招聘）。"


def test_fullwidth_digits_letters_and_ascii_punctuation() -> None:
    text = "一、稳定就业\n１．提高ＡＢＣ类企业补贴至每月５００元/人,比例不低于６０％.(市人社局、市财政局等负责)\n"
    m = only(load(text))
    assert m.number == 1
    assert m.text == "提高ABC类企业补贴至每月500元/人，比例不低于60%。"
    assert m.targets == ("500元/人/月", "60%")


def test_lines_broken_inside_names_and_dates_with_footers_and_indentation() -> None:
    text = (
        "一、稳定就业\n\n"
        "１．阶段性降低失业保险费率政策延续实施至２０２\n\n"
        "—７１—\n\n"
        " ２年４月３０日. (市人力资源社会保\n"
        "- 2 -\n"
        "   障局、市财  政局等\n"
        "负责)\n"
        "第 3 页\n"
        "２．做好其他工作.(市教育局负责)\n"
    )
    result = load(text)
    first, second = result.matrix.measures
    assert first.text == "阶段性降低失业保险费率政策延续实施至2022年4月30日。"
    assert first.departments == ("市人力资源社会保障局", "市财政局")
    assert first.dates[0].date == dt.date(2022, 4, 30)
    assert first.dates[0].meaning is DateMeaning.POLICY_UNTIL
    assert second.departments == ("市教育局",)
    assert result.problems == ()


def test_measure_number_followed_directly_by_a_year() -> None:
    text = "一、稳定就业\n1.做好工作。(市教育局负责)\n2.2021年1月至12月，给予补贴。(市财政局负责)\n"
    result = load(text)
    assert [m.number for m in result.matrix.measures] == [1, 2]
    assert result.matrix.measures[1].dates[1].date == dt.date(2021, 12, 31)


def test_chinese_numbered_measures_with_titles() -> None:
    text = (
        "一、稳定就业岗位\n"
        "（一）加大援企稳岗力度。对不裁员企业给予返还。（牵头单位：市人社局；责任单位：市财政局）\n"
        "（二）做好帮扶工作。加强帮扶。（牵头单位：市财政局）\n"
        "二、促进创业\n"
        "（一）优化创业环境。提供担保服务。（牵头单位：市发改委；责任单位：市人社局）\n"
    )
    result = load(text)
    assert [(m.number, m.section, m.label, m.title) for m in result.matrix.measures] == [
        (1, 1, "（一）", "加大援企稳岗力度"),
        (2, 1, "（二）", "做好帮扶工作"),
        (3, 2, "（一）", "优化创业环境"),
    ]
    assert result.matrix.measures[0].text == "对不裁员企业给予返还。"
    assert [s.title for s in result.matrix.sections] == ["稳定就业岗位", "促进创业"]


def test_sub_headings_above_numbered_measures() -> None:
    text = (
        "一、稳定就业\n"
        "（一）支持企业\n"
        "1.做好甲工作。（市财政局负责）\n"
        "2.做好乙工作。（市教育局负责）\n"
        "（二）帮扶群体\n"
        "3.做好丙工作。（市人社局负责）\n"
        "二、保障措施\n"
        "4.做好丁工作。（市发改委负责）\n"
    )
    result = load(text)
    measures = result.matrix.measures
    assert [m.number for m in measures] == [1, 2, 3, 4]
    assert [m.subsection.title if m.subsection else None for m in measures] == [
        "支持企业",
        "支持企业",
        "帮扶群体",
        None,
    ]
    assert [m.section for m in measures] == [1, 1, 1, 2]


def test_a_heading_statement_covers_the_measures_below_it() -> None:
    text = "一、稳定就业\n（一）支持企业（牵头单位：市财政局）\n1.做好甲工作。\n2.做好乙工作。\n"
    measures = load(text).matrix.measures
    assert [m.leads for m in measures] == [("市财政局",), ("市财政局",)]


def test_numbering_restarting_in_each_section_is_renumbered_in_order() -> None:
    text = "一、甲\n1.做好甲。（市财政局负责）\n二、乙\n1.做好乙。（市教育局负责）\n"
    measures = load(text).matrix.measures
    assert [(m.number, m.label, m.section) for m in measures] == [(1, "1.", 1), (2, "1.", 2)]


def test_a_line_starting_with_a_number_out_of_sequence_is_text() -> None:
    text = "一、稳定就业\n1.担保基金放大\n3.5倍，试点企业\n5、家以上。（市财政局负责）\n2.做好乙。（市教育局负责）\n"
    measures = load(text).matrix.measures
    assert [m.number for m in measures] == [1, 2]
    assert measures[0].text == "担保基金放大3.5倍，试点企业5、家以上。"


def test_attachment_and_cc_are_not_measures() -> None:
    text = (
        "一、稳定就业\n1.做好工作。（市财政局负责）\n"
        "附件：关于某事的通知\n附件\n一、另一个文件\n1.不是本方案的措施。（市教育局负责）\n"
    )
    assert len(load(text).matrix.measures) == 1


def test_signature_after_the_last_measure_is_not_text() -> None:
    text = "一、稳定就业\n1.做好工作。（市财政局负责）\n济南市人民政府办公厅\n2021年9月1日\n"
    m = only(load(text))
    assert m.text == "做好工作。"
    assert m.departments == ("市财政局",)


def test_unknown_and_ambiguous_names_are_reported_with_the_measure() -> None:
    text = "一、稳定就业\n1.做好工作。（市财政局负责）\n2.做好工作。（市国资委、教育局等负责）\n"
    result = load(text)
    messages = [(p.measure, p.message) for p in result.problems]
    assert len(messages) == 2
    assert messages[0][0] == 2 and "市国资委" in messages[0][1] and "不在单位名录" in messages[0][1]
    assert messages[1][0] == 2 and "有歧义" in messages[1][1] and "区教育局" in messages[1][1]
    second = result.matrix.measures[1]
    assert second.departments == ("市国资委", "教育局")  # kept, never dropped
    unknown = result.matrix.department("市国资委")
    assert unknown is not None and not unknown.registered


def test_a_name_without_its_place_prefix_resolves() -> None:
    m = only(load("一、稳定就业\n1.做好工作。（人力资源社会保障局、财政局负责）\n"))
    assert m.departments == ("市人力资源社会保障局", "市财政局")


def test_collective_bodies_carry_their_members() -> None:
    result = load("一、稳定就业\n1.发挥开发区作用。（各功能区负责）\n")
    body = result.matrix.department("各功能区")
    assert body is not None and body.members == ("高新区", "起步区")


def test_text_that_is_not_a_plan_names_the_line_and_what_was_expected() -> None:
    with pytest.raises(PlanFormatError) as error:
        load("\n\n这不是一个方案。\n只是几行字。\n")
    assert error.value.line == 3
    assert "一、" in str(error.value) and "第3行" in str(error.value)


def test_a_measure_without_departments_names_its_line() -> None:
    with pytest.raises(PlanFormatError) as error:
        load("一、稳定就业\n1.做好工作。（市财政局负责）\n2.做好另一项工作。\n")
    assert error.value.line == 3
    assert "措施2." in str(error.value) and "负责" in str(error.value)


def test_an_empty_file() -> None:
    with pytest.raises(PlanFormatError, match="文件为空"):
        load("  \n\n")


def test_a_statement_that_names_no_one() -> None:
    with pytest.raises(PlanFormatError) as error:
        load("一、稳定就业\n1.做好工作。（负责）\n")
    assert error.value.line == 2
