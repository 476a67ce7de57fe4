"""One digest for the leaders over several plans: a section per plan (each plan's own digest) and a combined
ranking of the units by their on-time rate across every plan they answer for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from supervisor_bot.core.ledger import PROGRESS_ORDER, Digest, OnTime, Progress
from supervisor_bot.core.scoring import Scorecard

RANKED = 10  # units in the combined ranking's shortlist of the lowest


@dataclass(frozen=True)
class PlanSection:
    key: str  # the plan's key
    title: str  # the plan's title
    digest: Digest


@dataclass(frozen=True)
class CombinedDigest:
    title: str
    plans: tuple[PlanSection, ...]
    ranking: tuple[OnTime, ...]  # every rated unit, across plans, the lowest rate first
    scores: Scorecard | None = None  # 考核 over every plan: one score per unit, its deductions by plan

    @property
    def first(self) -> Digest:
        return self.plans[0].digest

    @property
    def totals(self) -> dict[Progress, int]:
        """Measures by progress, over every plan."""
        return {p: sum(s.digest.totals[p] for s in self.plans) for p in PROGRESS_ORDER}

    @property
    def generated_at(self) -> dt.datetime:
        return self.first.generated_at

    @property
    def lowest(self) -> tuple[OnTime, ...]:
        return tuple(o for o in self.ranking if o.rate < 1.0)[:RANKED]


def combined_ranking(rates: Sequence[Sequence[OnTime]]) -> tuple[OnTime, ...]:
    """A unit's items on time and due, summed over the plans (each item counts once, in its plan)."""
    on_time: dict[str, int] = {}
    due: dict[str, int] = {}
    for plan in rates:
        for o in plan:
            on_time[o.respondent] = on_time.get(o.respondent, 0) + o.on_time
            due[o.respondent] = due.get(o.respondent, 0) + o.due
    ranked = [OnTime(name, on_time[name], due[name]) for name in due]
    return tuple(sorted(ranked, key=lambda o: (o.rate, -o.due, o.respondent)))


def combine(sections: Sequence[PlanSection], title: str, scores: Scorecard | None = None) -> CombinedDigest:
    return CombinedDigest(title, tuple(sections), combined_ranking([s.digest.on_time for s in sections]), scores)
