"""Build the assignment matrix from a plan's text, as extracted from its PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from supervisor_bot.core import responsibility
from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.matrix import Assignment, Department, Matrix, Measure, Section, Subsection
from supervisor_bot.core.plan_dates import find_dates
from supervisor_bot.core.plan_header import read_header
from supervisor_bot.core.plan_structure import Level, Node, outline, walk
from supervisor_bot.core.plan_targets import find_targets
from supervisor_bot.core.plan_text import normalise, source_lines
from supervisor_bot.core.registry import EMPTY_REGISTRY, Ambiguous, DepartmentRegistry, Resolved, Unknown

EXPECTED_STATEMENT = "应以“（A、B等负责）”“（A牵头，B配合）”或“（牵头单位：A；责任单位：B）”写明责任单位"
EXPECTED_OUTLINE = "未找到编号的措施：应有“一、”形式的部分标题，以及“1.”或“（一）”形式的措施编号"
# "（一）加大援企稳岗力度。对…": a short first sentence with no pause and no figures is the measure's title
_TITLE_SENTENCE = re.compile(r"^([^。，、；：！？0-9%]{2,16})。(.+)$")


@dataclass(frozen=True)
class ImportProblem:
    """Something the importer could not settle by itself: reported, never dropped."""

    line: int
    measure: int | None
    message: str

    def __str__(self) -> str:
        where = f"第{self.line}行" + (f"（措施{self.measure}）" if self.measure is not None else "")
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class ImportResult:
    matrix: Matrix
    problems: tuple[ImportProblem, ...]


@dataclass(frozen=True)
class _Parsed:
    node: Node
    body: str
    statement: str | None


def _sentence_end(text: str) -> str:
    text = text.strip("，；、：: ")
    return text if not text or text[-1] in "。！？”" else text + "。"


def _heading_title(body: str) -> str:
    return body.split("。", 1)[0].strip("，；、：: ")


def _statement_of(node: Node, parsed: dict[int, _Parsed]) -> tuple[str | None, Node]:
    """A measure's own statement of responsibility, or the nearest heading's above it."""
    current: Node | None = node
    while current is not None:
        statement = parsed[id(current)].statement
        if statement:
            return statement, current
        current = current.parent
    return None, node


def _ancestor(node: Node, level: Level) -> Node | None:
    current: Node | None = node
    while current is not None and current.marker.level is not level:
        current = current.parent
    return current


def import_plan(text: str, registry: DepartmentRegistry = EMPTY_REGISTRY) -> ImportResult:
    """Read a plan's text into the matrix; problems with department names are reported, not fatal.

    Raises PlanFormatError, naming the line and what was expected, when the text is not a plan.
    """
    lines = source_lines(text)
    if not lines:
        raise PlanFormatError(1, "文件为空，" + EXPECTED_OUTLINE)
    shape = outline(lines)
    if not shape.roots:
        raise PlanFormatError(lines[0].number, EXPECTED_OUTLINE)
    nodes = walk(shape.roots)
    parsed: dict[int, _Parsed] = {}
    for node in nodes:
        body, statement = responsibility.split_trailing(normalise(node.raw))
        parsed[id(node)] = _Parsed(node, body, statement)
    leaves = [n for n in nodes if not n.children]
    problems: list[ImportProblem] = []
    sections = tuple(
        Section(n.marker.value, _heading_title(parsed[id(n)].body), n.marker.label.rstrip("、.").strip())
        for n in nodes
        if n.marker.level is Level.SECTION
    )
    unique_numbers = all(n.marker.level is Level.ITEM for n in leaves) and len({n.marker.value for n in leaves}) == len(
        leaves
    )
    departments: dict[str, Department] = {}
    lead_rule_stated = bool(responsibility.LEAD_RULE.search(normalise(text)))
    measures: list[Measure] = []
    for index, leaf in enumerate(leaves, start=1):
        number = leaf.marker.value if unique_numbers else index
        statement, owner = _statement_of(leaf, parsed)
        body = parsed[id(leaf)].body
        if statement is None:
            statement, body, leftover = _statement_inside(parsed[id(leaf)].body)
            if statement is None:
                raise PlanFormatError(leaf.line, f"措施{leaf.marker.label}未写明责任单位，{EXPECTED_STATEMENT}")
            if leftover and leaf is not leaves[-1]:
                problems.append(ImportProblem(leaf.line, number, f"责任单位之后的文字未计入措施：“{leftover}”"))
        try:
            stated = responsibility.parse(statement)
        except responsibility.ResponsibilityError as error:
            raise PlanFormatError(owner.line, f"措施{leaf.marker.label}：{error}，{EXPECTED_STATEMENT}") from None
        assignments = _resolve(stated, registry, departments, problems, leaf.line, number)
        measures.append(_measure(leaf, number, body, assignments, stated.open_ended, parsed))
    document = replace(read_header(list(shape.header)), lead_rule_stated=lead_rule_stated)
    matrix = Matrix(document, sections, tuple(measures), tuple(departments.values()))
    return ImportResult(matrix, tuple(problems))


def _statement_inside(body: str) -> tuple[str | None, str, str]:
    """For the last measure: its bracket may be followed by a signature; split there."""
    for match in reversed(list(re.finditer(r"[（(〔【]([^（）()〔〕【】]*)[）)〕】]", body))):
        inner = match.group(1)
        if responsibility.RESPONSIBILITY_WORDS.search(inner):
            return inner, body[: match.start()], body[match.end() :].strip("。，；、 ")
    return None, body, ""


def _resolve(
    stated: responsibility.Responsibility,
    registry: DepartmentRegistry,
    departments: dict[str, Department],
    problems: list[ImportProblem],
    line: int,
    number: int,
) -> tuple[Assignment, ...]:
    assignments: dict[str, Assignment] = {}
    for named in stated.named:
        resolution = registry.resolve(named.name)
        if isinstance(resolution, Resolved):
            department = registry.get(resolution.name)
            assert department is not None
            name = department.name
            departments.setdefault(name, department)
        else:
            name = named.name
            if isinstance(resolution, Ambiguous):
                message = f"单位名称“{name}”有歧义，可能是：{'、'.join(resolution.candidates)}"
            else:
                assert isinstance(resolution, Unknown)
                message = f"单位名称“{name}”不在单位名录中（请在 departments.toml 中登记或添加别名）"
            problems.append(ImportProblem(line, number, message))
            departments.setdefault(name, Department(name, registered=False))
        if name not in assignments or named.role.value == "lead":
            assignments[name] = Assignment(name, named.role)
    return tuple(assignments.values())


def _measure(
    leaf: Node,
    number: int,
    body: str,
    assignments: tuple[Assignment, ...],
    open_ended: bool,
    parsed: dict[int, _Parsed],
) -> Measure:
    text = _sentence_end(body)
    title = None
    titled = _TITLE_SENTENCE.match(text)
    if titled:
        title, text = titled.group(1), titled.group(2)
    full = f"{title}。{text}" if title else text
    dates, spans = find_dates(full)
    section = _ancestor(leaf, Level.SECTION)
    sub = _ancestor(leaf, Level.SUBSECTION)
    subsection = (
        Subsection(sub.marker.value, _heading_title(parsed[id(sub)].body), sub.marker.label)
        if sub is not None and sub is not leaf
        else None
    )
    return Measure(
        number=number,
        label=leaf.marker.label,
        section=section.marker.value if section else 0,
        text=text,
        assignments=assignments,
        open_ended=open_ended,
        dates=tuple(dates),
        targets=tuple(find_targets(full, spans)),
        title=title,
        subsection=subsection,
        line=leaf.line,
    )
