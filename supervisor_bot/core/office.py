"""The deployment's own names, as its messages print them: the coordinating office, whom the digest is for, the
plan's title, the basis of supervision it quotes, and the examples its help gives. Nothing here names a city:
the values come from the settings (`[office]`, `[escalation] basis`) and from the plan itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from supervisor_bot.core.matrix import Matrix, Measure
from supervisor_bot.core.respondents import respondents

GENERIC_BUREAU = "督办牵头部门"  # a settings file without `[office] bureau`
GENERIC_PLAN = "分工方案"
# what establishes supervision in a plan: the 约谈 mechanism first, then 督导/督查/督办 with 考核 or a 机制
_BASIS_PATTERNS = (
    re.compile(r"约谈"),
    re.compile(r"(?:督导|督查|督办)(?:考核|检查|问责|机制|制度)"),
)
_PLAN_WORD = re.compile(r"([\u4e00-\u9fff]{2}方案)$")
_QUOTE_LIMIT = 40


@dataclass(frozen=True)
class Office:
    bureau: str = GENERIC_BUREAU  # the coordinating office, as messages name it (报{bureau}督办)
    leaders: str = ""  # whom the digest is for (报：{leaders}); empty: no such line
    plan_title: str = GENERIC_PLAN  # the plan's own title
    plan_word: str = GENERIC_PLAN  # what the plan calls itself in a sentence: 分工方案, 实施方案
    basis: str | None = None  # 分工方案第58项“加强就业督导考核，建立约谈制度”; None: none is quoted
    example_unit: str = "某单位"  # a unit of this deployment, for examples in /help and error messages
    example_measure: str = "1"  # a measure's label of this plan, for examples

    @property
    def basis_line(self) -> str | None:
        return f"依据：{self.basis}。" if self.basis else None


def basis_measure(matrix: Matrix) -> Measure | None:
    """The measure that establishes the 督导/约谈 mechanism, if the plan has one."""
    for pattern in _BASIS_PATTERNS:
        for measure in matrix.measures:
            if pattern.search(_full_text(measure)):
                return measure
    return None


def _full_text(measure: Measure) -> str:
    return f"{measure.title}。{measure.text}" if measure.title else measure.text


def _quote(measure: Measure) -> str:
    """The words of the measure up to the clause that establishes supervision: 加强就业督导考核，建立约谈制度."""
    text = _full_text(measure).split("。", 1)[0]
    clauses = re.split(r"(?<=[，；])", text)
    for pattern in _BASIS_PATTERNS:
        for index, clause in enumerate(clauses):
            if pattern.search(clause):
                quoted = "".join(clauses[: index + 1]).rstrip("，；")
                return quoted if len(quoted) <= _QUOTE_LIMIT else clause.rstrip("，；")
    return text[:_QUOTE_LIMIT]


def plan_word(title: str) -> str:
    found = _PLAN_WORD.search(title)
    return found.group(1) if found else GENERIC_PLAN


def office_for(
    matrix: Matrix,
    *,
    bureau: str = "",
    leaders: str = "",
    plan_title: str = "",
    basis: str = "",
) -> Office:
    """The office from the settings, completed from the plan: its title, the measure of supervision, examples."""
    title = plan_title or matrix.document.plan_title or GENERIC_PLAN
    word = plan_word(title)
    found = basis_measure(matrix) if not basis else None
    quoted = basis or (f"{word}第{matrix.label(found.number)}项“{_quote(found)}”" if found is not None else None)
    asked = [r for r in respondents(matrix) if not r.is_member]
    unit = asked[0].name if asked else "某单位"
    first = next((m for m in matrix.measures if unit in m.departments), None)
    return Office(
        bureau=bureau or GENERIC_BUREAU,
        leaders=leaders,
        plan_title=title,
        plan_word=word,
        basis=quoted,
        example_unit=unit,
        example_measure=matrix.label(first.number) if first is not None else "1",
    )
