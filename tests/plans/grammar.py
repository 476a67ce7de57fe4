"""A grammar of plans: each dimension a convention Chinese offices write in, and the matrix a plan must yield.

A `Style` picks one value per dimension; `compose` fills it with measures (random but reproducible from a seed)
and returns the `Plan`: its sections, its measures as they must be imported, and how each measure is written.
The writers (tests/plans/writers.py) turn a plan into a file of one format.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

NUMERALS = "一二三四五六七八九十"

# numbering × sections: how measures and their parts are numbered
NUMBERINGS = (
    "paren-restart",
    "paren-continue",
    "dot-restart",
    "dot-continue",
    "dun-restart",
    "dun-continue",
    "fullwidth-restart",
    "fullwidth-continue",
    "subheadings",  # 一、 / （一）a sub-heading / 1. measures running on
    "article",
)
SECTIONINGS = ("numeral", "none", "sections-only", "chapter")
UNIT_NAMES = ("plain", "county", "district-note", "units-paren", "ascii-paren", "square-note")
PROSE_SEPARATORS = ("、", "，", ",")
TABLE_SEPARATORS = ("、", "，", ",", ";", "；", " ", "line", "paragraph")
PROSE_ROLES: tuple[str, ...] = ("fuze", "fuze-deng", "fuze-co", "huitong", "lead-co", "lead-canyu", "duty", "labelled")
PROSE_ROLES += ("labelled-comma", "responsible-only", "fenbie", "lines")
TABLE_ROLES = ("columns", "single", "single-rule", "worded")
PROSE_FORMATS = ("txt", "docx-prose", "pdf-prose", "html-prose")
TABLE_FORMATS = ("docx-table", "xlsx", "pdf-table", "html-table")
FORMATS = PROSE_FORMATS + TABLE_FORMATS

PLAIN_UNITS = (
    "市发展改革委",
    "市教育局",
    "市科技局",
    "市工业和信息化局",
    "市公安局",
    "市民政局",
    "市司法局",
    "市财政局",
    "市人力资源社会保障局",
    "市自然资源和规划局",
    "市生态环境局",
    "市住房城乡建设局",
    "市交通运输局",
    "市农业农村局",
    "市商务局",
    "市文化和旅游局",
    "市卫生健康委",
    "市应急局",
    "市市场监管局",
    "市医保局",
    "市大数据局",
    "市税务局",
    "团市委",
    "市妇联",
)
# a unit name carrying its own bracketed note, as written and as the matrix keeps it (normalised)
NOTED_UNITS = {
    "county": ("各县（市、区）人民政府", "各县（市、区）人民政府"),
    "district-note": ("各区人民政府〈含开发区、风景区，下同〉", "各区人民政府〈含开发区、风景区，下同〉"),
    "units-paren": ("市直有关部门（单位）", "市直有关部门（单位）"),
    "ascii-paren": ("高新区管委会(含创新谷园区)", "高新区管委会（含创新谷园区）"),
    "square-note": ("各功能区管委会【含托管镇、街道】", "各功能区管委会【含托管镇、街道】"),
}
LEADERS = ("张明", "李华", "王强", "刘洋", "陈静", "赵磊")
DEADLINES = ("2025年6月底前", "2025年12月31日前", "长期坚持", "每季度末", "持续推进", "2026年底前")
SECTION_TITLES = (
    "稳定就业岗位",
    "优化营商环境",
    "推进科技创新",
    "加强民生保障",
    "提升城市品质",
    "深化改革开放",
    "强化要素保障",
    "加强组织实施",
)
TITLES = ("加大支持力度", "完善工作机制", "强化督促检查", "优化服务流程", "夯实基层基础", "健全政策体系")
PHRASES = (
    "健全常态化工作机制，细化任务分工",
    "到2025年底，建成示范项目30个以上",
    "企业开办时间压缩至1个工作日以内",
    "一是完善政策体系；二是强化资金保障；三是加强督促检查",
    "对符合条件的企业给予一次性补贴",
    "推动政务服务事项全部实现网上可办",
    "重点企业用工需求满足率达到90%以上",
    "加强部门协同，形成工作合力",
)
# brackets in a measure's text that are not statements of responsibility
TEXT_BRACKETS = (
    "支持社区（村）建设综合服务设施",
    "规模以上（含）企业全部纳入监测范围",
    "制定《市级财政专项资金管理办法（试行）》",
    "落实《数字经济发展实施方案（2025—2027年）》",
    "建立重点项目联审机制（以下简称“联审机制”）",
)
ENUMERATIONS = (("（1）", "（2）", "（3）"), ("①", "②", "③"), ("1）", "2）", "3）"))
TASK_WORDS: tuple[str, ...] = ("重点任务", "工作任务", "任务内容", "主要任务", "工作要点", "具体措施", "工作措施")
TASK_WORDS += ("工作内容", "主要内容", "任务事项", "目标任务")
LEAD_WORDS = ("牵头单位", "牵头部门", "主责单位", "责任主体")
CO_WORDS = ("责任单位", "配合单位", "协办单位", "参与单位", "责任部门", "配合部门", "协同单位")
LEADER_WORDS = ("责任领导", "牵头领导", "分管领导", "牵头市领导", "责任市领导")
DEADLINE_WORDS = ("完成时限", "时间节点", "完成时间", "时限要求", "完成期限", "进度安排")
LEAD_RULE = "（排在第一位的为牵头单位）"


@dataclass(frozen=True)
class Style:
    numbering: str
    sectioning: str
    unit_names: str
    separator: str
    role: str
    format: str
    enumerations: bool = False
    text_brackets: bool = False
    particulars: bool = False  # 责任领导 and 完成时限 given
    grouped: bool = False  # a table's 重点任务 merged down the rows, each row's 具体措施 beside it
    two_row_header: bool = False  # 责任单位 merged over 牵头单位 | 配合单位

    def having(self, dimension: str, value: object) -> Style:
        """The same style with one dimension set (`numbering`, `separator`, …)."""
        changes: dict[str, Any] = {dimension: value}
        return replace(self, **changes)

    @property
    def table(self) -> bool:
        return self.format in TABLE_FORMATS

    def conventions(self) -> tuple[str, ...]:
        """The values this plan stands for, one per dimension: a share is counted for each."""
        out = [
            f"numbering={self.numbering}",
            f"sections={self.sectioning}",
            f"units={self.unit_names}",
            f"separator={self.separator}",
            f"role={self.role}",
            f"format={self.format}",
        ]
        flags = (
            ("enumerations", self.enumerations),
            ("text-brackets", self.text_brackets),
            ("task-groups", self.grouped),
            ("two-row-header", self.two_row_header and self.role == "columns"),
        )
        out += [name for name, on in flags if on]
        return tuple(out)


@dataclass(frozen=True)
class Expected:
    """A measure as the importer must give it back."""

    label: str  # as printed, without its stop: （三）, 3, 第三条, 一
    section: int  # 0: the plan has no sections
    text: str  # the whole text, title included, normalised
    leads: tuple[str, ...]
    co: tuple[str, ...]
    leaders: tuple[str, ...] = ()
    deadline: str | None = None


@dataclass(frozen=True)
class Written:
    """How one measure is written: its marker, text lines, statement, the names as they must come back."""

    marker: str
    lines: tuple[str, ...]  # the text; more than one where an enumeration puts each item on its own line
    statement: str  # prose: the bracket; a table: "" (its cells say it)
    cells: dict[str, str] = field(default_factory=dict)  # a table: lead / units / co cells
    leaders: tuple[str, ...] = ()
    deadline: str | None = None
    before_stop: bool = False  # the bracket before the sentence's last 。, not after it
    subheading: str = ""  # （一）支持企业: a sub-heading (no statement) above this measure
    deadline_form: str = (
        "line"  # 完成时限：… on a line of its own, or inside the bracket: "label" (；完成时限：…), "plain"
    )


@dataclass(frozen=True)
class PlanSection:
    heading: str  # as written: 一、稳定就业岗位 / 第一章　总则 / "" without sections
    measures: tuple[tuple[Expected, Written], ...]


@dataclass(frozen=True)
class Plan:
    style: Style
    title: str
    rule_stated: bool
    sections: tuple[PlanSection, ...]
    units: tuple[str, ...]  # every unit named, normalised: the registry of the deployment

    @property
    def expected(self) -> tuple[Expected, ...]:
        return tuple(e for s in self.sections for e, _ in s.measures)


def _label(style: Style, section: int, index: int, running: int) -> tuple[str, str]:
    """The marker as written and the label as the matrix gives it back."""
    flows_on = style.numbering.endswith("continue") or style.numbering in ("article", "none", "subheadings")
    number = running if flows_on else index
    if style.sectioning == "sections-only":
        return f"{_numeral(section)}、", _numeral(section)
    if style.numbering.startswith("paren"):
        return f"（{_numeral(number)}）", f"（{_numeral(number)}）"
    if style.numbering == "article":
        return f"第{_numeral(number)}条\u3000", f"第{_numeral(number)}条"
    mark = {"dun": "、", "fullwidth": "．"}.get(style.numbering.split("-")[0], ".")
    digits = str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return (digits if style.numbering.startswith("fullwidth") else str(number)) + mark, str(number)


def _numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    return (
        "十" + NUMERALS[n - 11] if n < 20 else NUMERALS[n // 10 - 1] + "十" + (NUMERALS[n % 10 - 1] if n % 10 else "")
    )


def _text(rng: random.Random, style: Style) -> tuple[str, ...]:
    """The measure's text as lines: a title sometimes, sentences, an enumeration's items each on a line."""
    title = f"{rng.choice(TITLES)}。" if rng.random() < 0.5 else ""
    sentences = rng.sample(PHRASES, rng.randint(1, 2))
    if style.text_brackets:
        sentences.insert(rng.randint(0, len(sentences)), rng.choice(TEXT_BRACKETS))
    first = title + "，".join(sentences)
    if not style.enumerations:
        return (first + "。",)
    marks = rng.choice(ENUMERATIONS)
    items = rng.sample(PHRASES, 3)
    return (
        first + "，重点抓好：",
        *(f"{m}{item}；" if i < 2 else f"{m}{item}。" for i, (m, item) in enumerate(zip(marks, items, strict=True))),
    )


def _units(rng: random.Random, style: Style) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Leads and co-operating units, each (as written, as kept); a noted unit where the style has one."""
    count = rng.randint(1, 4)
    plain = [(u, u) for u in rng.sample(PLAIN_UNITS, count)]
    if style.unit_names != "plain" and rng.random() < 0.7:
        plain[rng.randrange(count)] = NOTED_UNITS[style.unit_names]
    several_leads = style.role in ("duty", "lead-co", "lead-canyu", "labelled", "columns") and rng.random() < 0.3
    leads = 2 if several_leads and count >= 3 else 1
    if style.role == "fenbie":
        leads = count  # 分别负责: each answers for its own part
    return plain[:leads], plain[leads:]


def _join(names: list[tuple[str, str]], separator: str) -> str:
    joiner = {"line": "\n", "paragraph": "\n"}.get(separator, separator)
    return joiner.join(written for written, _ in names)


def _statement(style: Style, leads: list[tuple[str, str]], co: list[tuple[str, str]], rng: random.Random) -> str:
    """The bracket a prose plan closes a measure with."""
    sep, role = style.separator, style.role
    both = _join(leads + co, sep)
    if role in ("fuze", "fenbie") or (not co and role not in ("labelled", "labelled-comma")):
        return f"（{both}{'分别负责' if role == 'fenbie' else '负责'}）"
    if role == "fuze-deng":
        return f"（{both}等负责）"
    if role == "responsible-only":
        return f"（责任单位：{both}）"
    if role in ("fuze-co", "huitong") and len(leads) == 1:
        if role == "huitong":
            return f"（{_join(leads, sep)}会同{_join(co, sep)}负责）"
        return f"（{_join(leads, sep)}负责，{_join(co, sep)}配合）"
    if role in ("lead-co", "lead-canyu", "duty"):
        verb = {"lead-co": "配合", "lead-canyu": "参与", "duty": "按职责分工负责"}[role]
        return f"（{_join(leads, sep)}牵头，{_join(co, sep)}{verb}）"
    if role == "lines":  # 牵头单位：… and 责任单位：… on lines of their own, no bracket
        return f"\n牵头单位：{_join(leads, sep)}" + (f"\n责任单位：{_join(co, sep)}" if co else "")
    group = "；" if role == "labelled" else rng.choice("，;")
    rest = f"{group}责任单位：{_join(co, sep)}" if co else ""
    return f"（牵头单位：{_join(leads, sep)}{rest}）"


def _cells(style: Style, leads: list[tuple[str, str]], co: list[tuple[str, str]], rng: random.Random) -> dict[str, str]:
    """A table's unit cells: a lead and a co-operating column, one column, or one column in words; a list may
    end in 等 (and others)."""
    sep = style.separator
    more = rng.choice(("", "", "等", "等部门", "等单位")) if sep not in ("line", "paragraph") else ""
    if style.role == "columns":
        return {"lead": _join(leads, sep), "co": _join(co, sep) + (more if co else "")}
    if style.role == "worded" and co:
        joiner = "、" if sep in ("line", "paragraph", " ") else sep
        verb = rng.choice(("配合", "参与", "按职责分工负责", "协同"))
        return {"units": f"{_join(leads, joiner)}牵头，{_join(co, joiner)}{verb}"}
    return {"units": _join(leads + co, sep) + more}


def _measure(rng: random.Random, style: Style, label: tuple[str, str], section: int) -> tuple[Expected, Written]:
    leads, co = _units(rng, style)
    if style.role in ("single", "single-rule") or (style.role == "worded" and not co):
        leads, co = leads[:1], leads[1:] + co  # one column: the first named leads
    lines = _text(rng, style)
    leaders = tuple(rng.sample(LEADERS, rng.randint(1, 2))) if style.particulars else ()
    deadline = rng.choice(DEADLINES) if style.particulars else None
    statement = "" if style.table else _statement(style, leads, co, rng)
    expected = Expected(
        label=label[1],
        section=section,
        text="".join(lines),
        leads=tuple(kept for _, kept in leads),
        co=tuple(kept for _, kept in co),
        leaders=leaders,
        deadline=deadline,
    )
    cells = _cells(style, leads, co, rng) if style.table else {}
    form = rng.choice(("line", "label", "plain")) if statement.endswith("）") and "\n" not in statement else "line"
    written = Written(label[0], lines, statement, cells, leaders, deadline, rng.random() < 0.3, "", form)
    return expected, written


def _heading(style: Style, number: int, title: str) -> str:
    if style.sectioning == "none":
        return ""
    if style.sectioning == "chapter":
        return f"第{_numeral(number)}章\u3000{title}"
    return f"{_numeral(number)}、{title}"


def compose(style: Style, seed: int) -> Plan:
    """A plan in this style: 1–4 sections of 1–4 measures (one section without sections)."""
    rng = random.Random(seed)
    count = 1 if style.sectioning == "none" else rng.randint(2, 4)
    titles = rng.sample(SECTION_TITLES, count)
    sections: list[PlanSection] = []
    running = 0
    for s, title in enumerate(titles, start=1):
        many = 1 if style.sectioning == "sections-only" else rng.randint(1, 4) if count > 1 else rng.randint(2, 6)
        measures = []
        for index in range(1, many + 1):
            running += 1
            label = _label(style, s, index, running)
            measures.append(_measure(rng, style, label, 0 if style.sectioning == "none" else s))
        if style.numbering == "subheadings" and style.sectioning != "sections-only":
            measures = _subheadings(measures, rng)
        sections.append(PlanSection(_heading(style, s, title), tuple(measures)))
    if style.sectioning == "sections-only":  # the section's heading is its measure's title
        sections = [_titled(section, title) for section, title in zip(sections, titles, strict=True)]
    units = {kept for s in sections for e, _ in s.measures for kept in e.leads + e.co}
    rule = style.role == "single-rule" or (not style.table and rng.random() < 0.3)
    return Plan(style, f"关于{rng.choice(SECTION_TITLES)}的实施方案", rule, tuple(sections), tuple(sorted(units)))


SUBHEADINGS = ("支持企业发展", "帮扶重点群体", "优化公共服务", "强化示范引领")


def _subheadings(measures: list[tuple[Expected, Written]], rng: random.Random) -> list[tuple[Expected, Written]]:
    """`（一）支持企业发展` above the first measure of each group (one or two groups a section, numbered on)."""
    cut = rng.randint(1, len(measures)) if len(measures) > 1 else 1
    starts = {0: 1} if cut == len(measures) else {0: 1, cut: 2}
    out: list[tuple[Expected, Written]] = []
    covering: Expected | None = None  # the sub-heading's own statement covers the measures below it
    for n, (expected, written) in enumerate(measures):
        if n in starts:
            heading = f"（{_numeral(starts[n])}）{rng.choice(SUBHEADINGS)}"
            covering = None
            if "\n" not in written.statement and rng.random() < 0.3:
                heading, covering = heading + written.statement, expected
            written = replace(written, subheading=heading)
        if covering is not None:
            expected = replace(expected, leads=covering.leads, co=covering.co)
            written = replace(written, statement="", deadline_form="line")
        out.append((expected, written))
    return out


def _titled(section: PlanSection, title: str) -> PlanSection:
    ((expected, written),) = section.measures
    lines = (f"{title}。{written.lines[0]}", *written.lines[1:])
    text = "".join(lines)
    return PlanSection("", ((_replace(expected, text), _replace_lines(written, lines)),))


def _replace(expected: Expected, text: str) -> Expected:
    return replace(expected, text=text)


def _replace_lines(written: Written, lines: tuple[str, ...]) -> Written:
    return replace(written, lines=lines)
