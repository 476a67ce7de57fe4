"""A plan revised: what the stored data was made under, against the new file, measure by measure.

Measures are matched first by identical text, then by text similarity (difflib), the plan's label counting in a
pair's favour; what is left over was added or removed. A matched pair may be renumbered (its running number or
its label changed), edited (its text) and re-assigned (its units or their roles). A unit taken off a measure hands
its open items to the unit put on in its place (in the order the plan names them), or — if none is — they close.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from supervisor_bot.core.matrix import Matrix

SIMILAR = 0.6  # text similarity at which two measures are one measure revised
SIMILAR_SAME_LABEL = 0.45  # the same, when the plan prints the same label


@dataclass(frozen=True)
class PlanMeasure:
    """What the stored data remembers of a measure."""

    number: int
    label: str
    text: str
    units: tuple[tuple[str, str], ...]  # (unit, role) in the plan's order

    @property
    def unit_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.units)


def plan_measures(matrix: Matrix) -> tuple[PlanMeasure, ...]:
    return tuple(
        PlanMeasure(m.number, m.label, m.text, tuple((a.department, a.role.value) for a in m.assignments))
        for m in matrix.measures
    )


def fingerprint(measures: Sequence[PlanMeasure]) -> str:
    canonical = [[m.number, m.label, m.text, [list(u) for u in m.units]] for m in measures]
    return hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    RENUMBERED = "renumbered"
    REASSIGNED = "reassigned"
    EDITED = "edited"


@dataclass(frozen=True)
class MeasureChange:
    old: PlanMeasure | None
    new: PlanMeasure | None
    changes: tuple[Change, ...]
    similarity: float = 1.0
    handed: tuple[tuple[str, str], ...] = ()  # (unit taken off, unit put on in its place)
    closed: tuple[str, ...] = ()  # units taken off with none in their place: their open items close
    joined: tuple[str, ...] = ()  # units put on beyond those taking over
    roles: tuple[str, ...] = ()  # units kept whose role changed (牵头 ↔ 配合)


@dataclass(frozen=True)
class PlanDiff:
    changes: tuple[MeasureChange, ...]  # only measures that changed, in the new plan's order (removed last)
    unchanged: int

    @property
    def moves(self) -> dict[int, int]:
        """Old running number → new, for every measure kept whose number changed."""
        return {
            c.old.number: c.new.number
            for c in self.changes
            if c.old is not None and c.new is not None and c.old.number != c.new.number
        }

    @property
    def dropped(self) -> frozenset[int]:
        return frozenset(c.old.number for c in self.changes if c.old is not None and c.new is None)

    def count(self, change: Change) -> int:
        return sum(1 for c in self.changes if change in c.changes)


def _pairs(old: Sequence[PlanMeasure], new: Sequence[PlanMeasure]) -> list[tuple[PlanMeasure, PlanMeasure, float]]:
    """Matched pairs: identical texts first (the same label first among them), then the most similar texts."""
    pairs: list[tuple[PlanMeasure, PlanMeasure, float]] = []
    left, right = list(old), list(new)
    for a in sorted(left, key=lambda m: m.number):
        same = [b for b in right if b.text == a.text]
        if same:
            b = next((b for b in same if b.label == a.label), same[0])
            pairs.append((a, b, 1.0))
            right.remove(b)
    matched = {id(a) for a, _, _ in pairs}
    left = [a for a in left if id(a) not in matched]
    scored = []
    for a in left:
        for b in right:
            matcher = difflib.SequenceMatcher(None, a.text, b.text, autojunk=False)
            if matcher.real_quick_ratio() < SIMILAR_SAME_LABEL or matcher.quick_ratio() < SIMILAR_SAME_LABEL:
                continue
            ratio = matcher.ratio()
            if ratio >= (SIMILAR_SAME_LABEL if a.label == b.label else SIMILAR):
                scored.append((ratio + (0.1 if a.label == b.label else 0.0), a, b, ratio))
    taken: set[int] = set()
    for _, a, b, ratio in sorted(scored, key=lambda s: (-s[0], s[1].number, s[2].number)):
        if id(a) not in taken and id(b) not in taken:
            pairs.append((a, b, ratio))
            taken.update((id(a), id(b)))
    return pairs


def _compare(a: PlanMeasure, b: PlanMeasure, similarity: float) -> MeasureChange:
    changes = []
    if a.number != b.number or a.label != b.label:
        changes.append(Change.RENUMBERED)
    if a.units != b.units:
        changes.append(Change.REASSIGNED)
    if a.text != b.text:
        changes.append(Change.EDITED)
    off = [u for u in a.unit_names if u not in b.unit_names]
    on = [u for u in b.unit_names if u not in a.unit_names]
    handed = tuple(zip(off, on, strict=False))
    old_roles, new_roles = dict(a.units), dict(b.units)
    roles = tuple(u for u in b.unit_names if u in old_roles and old_roles[u] != new_roles[u])
    return MeasureChange(
        a, b, tuple(changes), similarity, handed, tuple(off[len(handed) :]), tuple(on[len(handed) :]), roles
    )


def diff_plans(old: Sequence[PlanMeasure], new: Sequence[PlanMeasure]) -> PlanDiff:
    pairs = _pairs(old, new)
    by_new = {id(b): (a, b, ratio) for a, b, ratio in pairs}
    kept_old = {id(a) for a, _, _ in pairs}
    changes: list[MeasureChange] = []
    unchanged = 0
    for b in new:
        if id(b) not in by_new:
            changes.append(MeasureChange(None, b, (Change.ADDED,), 0.0, joined=b.unit_names))
            continue
        compared = _compare(*by_new[id(b)])
        if compared.changes:
            changes.append(compared)
        else:
            unchanged += 1
    changes += [MeasureChange(a, None, (Change.REMOVED,), 0.0) for a in old if id(a) not in kept_old]
    return PlanDiff(tuple(changes), unchanged)
