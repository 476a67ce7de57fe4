"""Build the assignment matrix from a plan's text, as extracted from its PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from supervisor_bot.core import responsibility
from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.matrix import Assignment, Matrix, Measure, Section, Subsection
from supervisor_bot.core.plan_header import read_header
from supervisor_bot.core.plan_measures import (
    Draft,
    ImportProblem,
    ImportResult,
    Units,
    build_measure,
    check_name,
    known_parts,
    unclosed,
)
from supervisor_bot.core.plan_structure import Level, Node, outline, walk
from supervisor_bot.core.plan_text import normalise, source_lines
from supervisor_bot.core.registry import EMPTY_REGISTRY, DepartmentRegistry

__all__ = ["ImportProblem", "ImportResult", "import_plan"]

EXPECTED_STATEMENT = "应以“（A、B等负责）”“（A牵头，B配合）”或“（牵头单位：A；责任单位：B）”写明责任单位"
EXPECTED_OUTLINE = "未找到编号的措施：应有“一、”形式的部分标题，以及“1.”或“（一）”形式的措施编号"
# label lines after a measure: 牵头领导：… / 完成时限：… (牵头单位：/责任单位： are statements of responsibility)
_LEADERS = re.compile(r"^(?:责任|牵头|分管)领导\s*[:：]\s*")
_DEADLINE = re.compile(r"^(?:完成时限|时间节点|完成时间)\s*[:：]\s*")


@dataclass(frozen=True)
class _Parsed:
    node: Node
    body: str
    statement: str | None
    leaders: tuple[str, ...] = ()
    deadline_text: str | None = None


def _parse(node: Node) -> _Parsed:
    """A node's text, its statement of responsibility, and its label lines (领导, 完成时限)."""
    leaders: list[str] = []
    deadline = None
    kept: list[str] = []
    for part in node.parts:
        inside = bool(responsibility.depths("".join(kept) + " ")[-1])  # a bracket still open: the line is its text
        if _LEADERS.match(part) and not inside:
            leaders.extend(responsibility.split_names(normalise(_LEADERS.sub("", part)).strip("。；，")))
        elif _DEADLINE.match(part) and not inside:
            deadline = normalise(_DEADLINE.sub("", part)).strip("。；，") or None
        else:
            kept.append(part)
    text = normalise("".join(kept))
    problem = unclosed(text)
    if problem:
        raise PlanFormatError(node.line, f"“{node.marker.label}”一项的括号不配对：{problem}，应补全括号")
    body, statement = responsibility.split_trailing(text)
    return _Parsed(node, body, statement, tuple(leaders), deadline)


def _heading_title(body: str, first_line: str = "") -> str:
    """A heading's title: its own short line where the text goes on below it, else its first sentence."""
    line = normalise(first_line).strip()
    if line and len(line) <= 20 and not re.search(r"[。；，：:]", line) and len(line) < len(body):
        return line
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


def _lineage(node: Node, parsed: dict[int, _Parsed]) -> list[_Parsed]:
    """The node and the headings above it, nearest first: a heading's label lines cover the measures below."""
    out = []
    current: Node | None = node
    while current is not None:
        out.append(parsed[id(current)])
        current = current.parent
    return out


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
    parsed = {id(node): _parse(node) for node in nodes}
    units = Units(registry, {}, [ImportProblem(line, None, message) for line, message in shape.gaps])
    skipped = _narrative([n for n in nodes if not n.children], parsed)
    for node in skipped:
        title = _heading_title(parsed[id(node)].body, node.parts[0])
        heading = f"{node.marker.label}{title}"
        message = (
            f"“{heading}”是部分标题，其下没有编号的措施：未计入措施"
            if title == parsed[id(node)].body.strip("。")
            else f"“{heading}”没有写明责任单位，同一部分的各项也都没有：按说明性内容读取，未计入措施"
        )
        units.problems.append(ImportProblem(node.line, None, message))
    leaves = [n for n in nodes if not n.children and n not in skipped]
    sections = tuple(
        Section(n.marker.value, _heading_title(parsed[id(n)].body, n.parts[0]), n.marker.label.rstrip("、.").strip())
        for n in nodes
        if n.marker.level is Level.SECTION
    )
    unique_numbers = all(n.marker.level is Level.ITEM for n in leaves) and len({n.marker.value for n in leaves}) == len(
        leaves
    )
    lead_rule_stated = bool(responsibility.LEAD_RULE.search(normalise(text)))
    measures: list[Measure] = []
    for index, leaf in enumerate(leaves, start=1):
        number = leaf.marker.value if unique_numbers else index
        statement, owner = _statement_of(leaf, parsed)
        body = parsed[id(leaf)].body
        if statement is None:
            statement, body, leftover = _statement_inside(parsed[id(leaf)].body)
            if statement is None:
                raise PlanFormatError(leaf.line, _no_statement(leaf, parsed[id(leaf)]))
            if leftover and leaf is not leaves[-1]:
                units.problems.append(ImportProblem(leaf.line, number, f"责任单位之后的文字未计入措施：“{leftover}”"))
        try:
            stated = responsibility.parse(statement, lambda name: known_parts(name, registry))
        except responsibility.ResponsibilityError as error:
            raise PlanFormatError(owner.line, f"措施{leaf.marker.label}：{error}，{EXPECTED_STATEMENT}") from None
        for named in stated.named:
            check_name(named.name, leaf.marker.label, owner.line)
        assignments = units.resolve(stated, leaf.line, number)
        measures.append(_measure(leaf, number, body, assignments, stated, parsed))
    document = replace(read_header(list(shape.header)), lead_rule_stated=lead_rule_stated)
    matrix = Matrix(document, sections, tuple(measures), tuple(units.departments.values()))
    return ImportResult(matrix, tuple(units.problems))


def _stated(leaf: Node, parsed: dict[int, _Parsed]) -> bool:
    return _statement_of(leaf, parsed)[0] is not None or _statement_inside(parsed[id(leaf)].body)[0] is not None


def _neighbourhood(leaf: Node) -> tuple[int, int]:
    """The part a leaf belongs to: its top-level section, or (a top-level leaf) the others at its level."""
    top = leaf
    while top.parent is not None:
        top = top.parent
    return (0, int(leaf.marker.level)) if top is leaf else (1, top.line)


def _narrative(leaves: list[Node], parsed: dict[int, _Parsed]) -> list[Node]:
    """Leaves that name no unit in a part where no leaf does (总体要求, 保障措施 written as prose): a reading exists,
    they are not measures. A leaf with no unit beside leaves with units contradicts them: it stays, and is refused."""
    stated = {id(leaf): _stated(leaf, parsed) for leaf in leaves}
    if not any(stated.values()):
        return []
    parts: dict[tuple[int, int], list[Node]] = {}
    for leaf in leaves:
        parts.setdefault(_neighbourhood(leaf), []).append(leaf)
    return [
        leaf
        for leaf in leaves
        if not stated[id(leaf)] and not any(stated[id(other)] for other in parts[_neighbourhood(leaf)])
    ]


def _no_statement(leaf: Node, parsed: _Parsed) -> str:
    if leaf.marker.level is Level.SECTION:
        heading = f"{leaf.marker.label}{_heading_title(parsed.body, leaf.parts[0])}"
        return f"“{heading}”是部分标题，其下没有找到编号的措施；每项措施应以“1.”或“（一）”编号并写明责任单位"
    return f"措施{leaf.marker.label}未写明责任单位，{EXPECTED_STATEMENT}"


def _statement_inside(body: str) -> tuple[str | None, str, str]:
    """For the last measure: its bracket may be followed by a signature; split there."""
    for start, end in reversed(responsibility.outer_brackets(body)):
        inner = body[start + 1 : end]
        if responsibility.RESPONSIBILITY_WORDS.search(inner):
            return inner, body[:start], body[end + 1 :].strip("。，；、 ")
    return None, body, ""


def _measure(
    leaf: Node,
    number: int,
    body: str,
    assignments: tuple[Assignment, ...],
    stated: responsibility.Responsibility,
    parsed: dict[int, _Parsed],
) -> Measure:
    section = _ancestor(leaf, Level.SECTION)
    sub = _ancestor(leaf, Level.SUBSECTION)
    subsection = (
        Subsection(sub.marker.value, _heading_title(parsed[id(sub)].body, sub.parts[0]), sub.marker.label)
        if sub is not None and sub is not leaf
        else None
    )
    draft = Draft(
        number=number,
        label=leaf.marker.label,
        section=section.marker.value if section else 0,
        body=body,
        assignments=assignments,
        open_ended=stated.open_ended,
        subsection=subsection,
        line=leaf.line,
        leaders=next((p.leaders for p in _lineage(leaf, parsed) if p.leaders), ()),
        deadline_text=next((p.deadline_text for p in _lineage(leaf, parsed) if p.deadline_text), stated.deadline),
    )
    return build_measure(draft)
