"""Every one of the Jinan plan's 63 measures, checked against the document (济政办函〔2021〕16号)."""

from __future__ import annotations

import datetime as dt

import pytest

from supervisor_bot.core.matrix import DateMeaning, Role
from supervisor_bot.core.plan_import import ImportResult

HRSS = "市人力资源社会保障局"
DRC = "市发展改革委"
MIIT = "市工业和信息化局"
FIN = "市财政局"
SASAC = "市国资委"
PBC_JN = "人民银行济南分行营业管理部"
PBC_LW = "人民银行莱芜市中心支行"
DISTRICTS = "各区县政府"

# number: (section, departments in the order the plan names them, open-ended: the list ends in 等)
EXPECTED: dict[int, tuple[int, tuple[str, ...], bool]] = {
    1: (1, (DRC, HRSS), True),
    2: (1, (DRC, MIIT, FIN, "市农业农村局", "市商务局", "市投资促进局", PBC_JN, PBC_LW, "市工商联"), True),
    3: (
        1,
        (
            DRC,
            MIIT,
            "市商务局",
            SASAC,
            "市自然资源和规划局",
            "市投资促进局",
            "市民营经济局",
            "市地方金融监管局",
            PBC_JN,
            PBC_LW,
        ),
        True,
    ),
    4: (1, ("各功能区",), False),
    5: (1, ("市商务局", "莱芜银保监分局", "市地方金融监管局"), False),
    6: (1, (MIIT, HRSS, SASAC, "市残联"), True),
    7: (1, (HRSS, "市民营经济局", "市工商联"), True),
    8: (2, (HRSS, "市税务局"), True),
    9: (2, (HRSS, FIN), True),
    10: (2, (HRSS, FIN, MIIT, "市文化和旅游局", SASAC, "市民营经济局"), True),
    11: (3, (HRSS, MIIT, SASAC), True),
    12: (3, (HRSS, FIN), True),
    13: (3, (DRC, HRSS), True),
    14: (3, (HRSS, MIIT, SASAC), True),
    15: (3, (HRSS, "市总工会"), True),
    16: (3, ("市住房城乡建设局",), True),
    17: (3, ("市住房城乡建设局",), True),
    18: (4, ("市委组织部", HRSS, "市教育局", "团市委"), True),
    19: (4, (SASAC, HRSS), True),
    20: (4, ("市委组织部", HRSS), True),
    21: (4, (HRSS, "市教育局", "团市委"), True),  # the plan writes 人力资源社会保障局, without 市
    22: (4, (HRSS, FIN), True),
    23: (4, (HRSS, FIN), True),
    24: (4, ("市退役军人局",), True),
    25: (4, ("市残联",), True),
    26: (5, ("市乡村振兴局", DRC, "市住房城乡建设局"), True),
    27: (5, (HRSS, "市乡村振兴局"), True),
    28: (5, (HRSS, DRC, "市乡村振兴局"), True),
    29: (5, ("市农业农村局", "市乡村振兴局", DRC, HRSS), True),
    30: (5, ("市乡村振兴局", DRC, FIN, HRSS, "市自然资源和规划局"), True),
    31: (6, ("市政府办公厅", "市行政审批服务局"), True),
    32: (6, (FIN, PBC_JN, PBC_LW, HRSS), True),
    33: (6, (FIN, HRSS), True),
    34: (6, (HRSS, MIIT), True),
    35: (6, (HRSS,), True),
    36: (6, (HRSS, "市行政审批服务局", FIN), True),
    37: (6, (HRSS, FIN), True),
    38: (7, (HRSS, "市教育局", MIIT, SASAC), True),
    39: (7, (MIIT, SASAC, HRSS, "市教育局"), True),
    40: (7, (HRSS, "市教育局", MIIT, SASAC, FIN), True),
    41: (7, (HRSS, FIN), True),
    42: (7, (HRSS, FIN), True),
    43: (8, (HRSS, "市行政审批服务局"), True),
    44: (8, (HRSS, FIN), True),
    45: (8, (HRSS, "市教育局"), True),
    46: (8, (FIN,), True),
    47: (8, (HRSS,), True),
    48: (8, (HRSS, "市市场监管局"), True),
    49: (9, ("国家统计局济南调查队", "市统计局"), True),
    50: (9, ("市委组织部", HRSS), True),
    51: (9, (HRSS, MIIT, "市商务局"), True),
    52: (9, (MIIT, SASAC, HRSS), True),
    53: (9, (HRSS,), True),
    54: (9, (HRSS, FIN), True),
    55: (9, (HRSS, FIN), True),
    56: (10, ("市政府办公厅", DISTRICTS), False),
    57: (10, (DISTRICTS, HRSS), True),
    58: (10, (DISTRICTS, HRSS), True),
    59: (10, (DISTRICTS, FIN), True),
    60: (10, (HRSS,), True),
    61: (10, (HRSS,), False),
    62: (10, ("市委宣传部", HRSS), True),
    63: (10, ("市委宣传部", HRSS), True),
}

D = dt.date
EXPECTED_DATES: dict[int, list[tuple[dt.date, DateMeaning]]] = {
    8: [(D(2022, 4, 30), DateMeaning.POLICY_UNTIL)],
    9: [(D(2021, 12, 31), DateMeaning.APPLICATION_CLOSES)],
    10: [(D(2021, 1, 1), DateMeaning.PERIOD_START), (D(2021, 12, 31), DateMeaning.PERIOD_END)],
    22: [(D(2021, 1, 1), DateMeaning.PERIOD_START), (D(2021, 12, 31), DateMeaning.PERIOD_END)],
    42: [(D(2021, 12, 31), DateMeaning.APPLICATION_CLOSES)],
    55: [(D(2021, 1, 1), DateMeaning.EFFECTIVE_FROM), (D(2021, 12, 31), DateMeaning.APPLICATION_CLOSES)],
}

EXPECTED_TARGETS: dict[int, list[str]] = {
    9: ["60%", "30%"],
    10: ["500元/人/月", "6个月"],
    19: ["50%"],
    31: ["100件"],
    32: ["5至10倍"],
    42: ["1年以上"],
    52: ["100人以上"],
}

SECTIONS = [
    "坚持经济发展就业导向",
    "延续稳岗扩岗政策",
    "优化用工保障服务",
    "加强重点群体就业支持",
    "助力脱贫攻坚与乡村振兴有效衔接",
    "完善创业带动就业保障制度",
    "健全多层次职业技能提升体系",
    "提高人力资源市场化配置水平",
    "增强失业风险防范治理能力",
    "强化就业优先保障",
]


def test_all_63_measures_and_nothing_from_the_attachment(jinan: ImportResult) -> None:
    assert [m.number for m in jinan.matrix.measures] == list(range(1, 64))


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_measure_departments_leads_section_and_open_endedness(jinan: ImportResult, number: int) -> None:
    measure = jinan.matrix.measure(number)
    assert measure is not None
    section, departments, open_ended = EXPECTED[number]
    assert measure.section == section
    assert measure.departments == departments
    assert measure.leads == departments[:1]  # the first named leads, the rest co-operate
    assert all(measure.role_of(d) is Role.CO for d in departments[1:])
    assert measure.open_ended is open_ended
    assert [(d.date, d.meaning) for d in measure.dates] == EXPECTED_DATES.get(number, [])
    assert list(measure.targets) == EXPECTED_TARGETS.get(number, [])
    assert measure.title is None


def test_sections(jinan: ImportResult) -> None:
    assert [(s.number, s.title) for s in jinan.matrix.sections] == list(enumerate(SECTIONS, start=1))


def test_hrss_answers_for_49_measures(jinan: ImportResult) -> None:
    assert len(jinan.matrix.measures_of(HRSS)) == 49
    assert len(jinan.matrix.measures_of(HRSS, Role.LEAD)) == 32


def test_33_departments_all_registered_and_no_problems(jinan: ImportResult) -> None:
    assert len(jinan.matrix.departments) == 33
    assert all(d.registered for d in jinan.matrix.departments)
    assert jinan.problems == ()


def test_districts_are_a_collective_body_of_twelve(jinan: ImportResult) -> None:
    districts = jinan.matrix.department(DISTRICTS)
    assert districts is not None and districts.is_collective
    assert len(districts.members) == 12
    assert "历下区" in districts.members and "商河县" in districts.members


def test_text_is_normalised(jinan: ImportResult) -> None:
    m10 = jinan.matrix.measure(10)
    assert m10 is not None
    assert m10.text.startswith("对2021年1月至12月，新吸纳就业（新吸纳时间以本年度首次")
    assert "每月500元/人、最长6个月" in m10.text
    assert m10.text.endswith("补贴范围扩大到大型企业。")
    m18 = jinan.matrix.measure(18)
    assert m18 is not None
    assert m18.text == "实施高校毕业生（含海归毕业生，下同）留济来济就业创业推进行动，提高应届毕业生留济率。"


def test_document_particulars(jinan: ImportResult) -> None:
    doc = jinan.matrix.document
    assert doc.number == "济政办函〔2021〕16号"
    assert doc.issuer == "济南市人民政府办公厅"
    assert doc.date == dt.date(2021, 9, 1)
    assert doc.title == (
        "济南市人民政府办公厅关于印发贯彻落实鲁政字〔2021〕136号文件做好稳就业保就业工作分工方案的通知"
    )
    assert doc.plan_title == "贯彻落实鲁政字〔2021〕136号文件做好稳就业保就业工作分工方案"
    assert doc.contact is not None
    assert doc.contact.unit == "市人力资源社会保障局就业促进与失业保险处"
    assert doc.contact.phone == "66605937"
