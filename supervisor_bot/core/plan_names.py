"""The names a plan writes that the registry could not settle, grouped: each once, with the measures it is in."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from supervisor_bot.core.plan_measures import ImportProblem


@dataclass(frozen=True)
class UnresolvedName:
    name: str
    measures: tuple[int, ...]  # in plan order, each once
    count: int  # how many times the plan writes it

    @property
    def summary(self) -> str:
        """`"市大数局"：措施3、7、12（3处）`"""
        numbers = "、".join(str(m) for m in self.measures)
        return f'"{self.name}"：措施{numbers}（{self.count}处）'


def closest_name(written: str, names: Mapping[str, str], cutoff: float = 0.6) -> str | None:
    """The unit a mistyped name most likely means: `names` maps every way of writing a unit (its name, its
    aliases) to the unit; `市大数局` → `市大数据局`."""
    found = difflib.get_close_matches(written.strip(), list(names), n=1, cutoff=cutoff)
    return names[found[0]] if found else None


def unresolved_names(problems: Iterable[ImportProblem]) -> tuple[UnresolvedName, ...]:
    """Each unresolved name once, in the order the plan first writes it."""
    measures: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    for problem in problems:
        if problem.name is None:
            continue
        found = measures.setdefault(problem.name, [])
        if problem.measure is not None and problem.measure not in found:
            found.append(problem.measure)
        counts[problem.name] = counts.get(problem.name, 0) + 1
    return tuple(UnresolvedName(name, tuple(found), counts[name]) for name, found in measures.items())
