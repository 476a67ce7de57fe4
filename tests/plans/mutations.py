"""One mistake from the doubt policy's error list (docs/plans.md), made in a composed plan.

Each returns the plan changed and what the refusal must name: the measure (its index) or the heading
(-1 - its index among the headings), and for a table the column (the writer's key: number, lead, units).
"""

from __future__ import annotations

import random
from dataclasses import replace

from tests.plans.grammar import Expected, Plan, PlanSection, Written


def _measures(plan: Plan) -> list[tuple[int, int]]:
    """(section index, measure index within it) of every measure, in plan order."""
    return [(s, m) for s, section in enumerate(plan.sections) for m in range(len(section.measures))]


def _same_group(plan: Plan, places: list[tuple[int, int]], k: int) -> bool:
    """Whether measure k follows k-1 under the same heading: a number repeated there has no reading (under a new
    heading it may restart)."""
    s, m = places[k]
    return places[k - 1][0] == s and not plan.sections[s].measures[m][1].subheading


def _changed(plan: Plan, where: tuple[int, int], expected: Expected, written: Written) -> Plan:
    s, m = where
    section = plan.sections[s]
    measures = list(section.measures)
    measures[m] = (expected, written)
    sections = list(plan.sections)
    sections[s] = replace(section, measures=tuple(measures))
    return replace(plan, sections=tuple(sections))


def _repeated_label(plan: Plan, rng: random.Random) -> tuple[Plan, int, str | None]:
    """A label the plan already used, on a measure of different text."""
    places = _measures(plan)
    k = rng.choice([k for k in range(1, len(places)) if _same_group(plan, places, k)])
    expected, written = plan.sections[places[k][0]].measures[places[k][1]]
    before, before_written = plan.sections[places[k - 1][0]].measures[places[k - 1][1]]
    changed = _changed(
        plan, places[k], replace(expected, label=before.label), replace(written, marker=before_written.marker)
    )
    return changed, k, "number"


def _stated(plan: Plan, places: list[tuple[int, int]]) -> list[int]:
    """The measures that state their own units (not covered by their sub-heading's statement)."""
    return [k for k, (s, m) in enumerate(places) if plan.style.table or plan.sections[s].measures[m][1].statement]


def _unclosed_bracket(plan: Plan, rng: random.Random) -> tuple[Plan, int, str | None]:
    """A statement's bracket (prose) or a unit's name (table) that never closes."""
    places = _measures(plan)
    k = rng.choice(_stated(plan, places))
    expected, written = plan.sections[places[k][0]].measures[places[k][1]]
    if not plan.style.table and "）" in written.statement:
        statement = (
            written.statement[: written.statement.rindex("）")]
            + written.statement[written.statement.rindex("）") + 1 :]
        )
        return _changed(plan, places[k], expected, replace(written, statement=statement)), k, None
    if not plan.style.table:  # 牵头单位：… on a line of its own: a bracket opened in a unit's name
        statement = written.statement.replace("牵头单位：", "牵头单位：各县（", 1)
        return _changed(plan, places[k], expected, replace(written, statement=statement)), k, None
    column = "lead" if "lead" in written.cells else "units"
    cell = written.cells[column]
    cells = {**written.cells, column: cell[:2] + "（" + cell[2:]}
    return _changed(plan, places[k], expected, replace(written, cells=cells)), k, column


def _lost_heading_mark(plan: Plan, rng: random.Random) -> tuple[Plan, int, str | None]:
    """`二、稳定就业` written `二稳定就业`, exactly where the next section is due."""
    s = rng.randrange(1, len(plan.sections))
    section = plan.sections[s]
    sections = list(plan.sections)
    sections[s] = PlanSection(section.heading.replace("、", "", 1), section.measures)
    return replace(plan, sections=tuple(sections)), -1 - s, None


def _parts(plan: Plan, places: list[tuple[int, int]]) -> list[int]:
    """Which part each measure is in: its section; without sections its sub-heading, or one part for all."""
    style = plan.style
    if style.sectioning == "sections-only" or (style.sectioning == "none" and style.numbering != "subheadings"):
        return [0] * len(places)
    if style.sectioning != "none":
        return [s for s, _ in places]
    part, out = -1, []
    for s, m in places:
        part += bool(plan.sections[s].measures[m][1].subheading)
        out.append(part)
    return out


def _contradicted(plan: Plan, places: list[tuple[int, int]]) -> list[int]:
    """Measures whose part has another measure with a unit: without its own, the plan contradicts itself (a part
    with no unit at all is prose, not measures: imported with a warning)."""
    stated = _stated(plan, places)
    if plan.style.table:
        return stated
    parts = _parts(plan, places)
    return [k for k in stated if any(parts[o] == parts[k] and o != k for o in stated)]


def _no_unit(plan: Plan, rng: random.Random) -> tuple[Plan, int, str | None]:
    """A measure with no unit at all, where the others of its part have one."""
    places = _measures(plan)
    k = rng.choice(_contradicted(plan, places))
    expected, written = plan.sections[places[k][0]].measures[places[k][1]]
    cells = dict.fromkeys(written.cells, "")
    column = "lead" if "lead" in written.cells else "units"
    return _changed(plan, places[k], expected, replace(written, statement="", cells=cells)), k, column


MUTATE = {
    "repeated-label": _repeated_label,
    "unclosed-bracket": _unclosed_bracket,
    "lost-heading-mark": _lost_heading_mark,
    "no-unit": _no_unit,
}


def possible(plan: Plan, mutation: str) -> bool:
    """Whether the plan has the place the mutation needs: two measures in one section, a second heading."""
    places = _measures(plan)
    if mutation == "repeated-label":
        return any(_same_group(plan, places, k) for k in range(1, len(places)))
    if mutation == "lost-heading-mark":
        return len(plan.sections) >= 2
    if mutation == "no-unit":
        return bool(_contradicted(plan, places))
    return bool(_stated(plan, places))


def mutate(plan: Plan, mutation: str, rng: random.Random) -> tuple[Plan, int, str | None]:
    changed, target, column = MUTATE[mutation](plan, rng)
    return changed, target, column if plan.style.table else None
