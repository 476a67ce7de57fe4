"""`plan update`: a revised plan applied to the stored data — every stored value follows its measure, a unit taken
off a measure hands its open items over or they close, the live checklists of every unit concerned are sent again
(the old ones' buttons carry old numbers, so they turn stale), and each change is in the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from supervisor_bot.core.people import SYSTEM, Actor
from supervisor_bot.core.plan_diff import MeasureChange, PlanDiff
from supervisor_bot.core.plan_rekey import rekeying
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.ports.store import Store
from supervisor_bot.views import plans as texts


@dataclass(frozen=True)
class PlanUpdated:
    diff: PlanDiff
    resent: tuple[str, ...]  # units whose live checklist will be sent again


def _units(change: MeasureChange) -> set[str]:
    return set(change.old.unit_names if change.old else ()) | set(change.new.unit_names if change.new else ())


def _audit(change: MeasureChange, now: dt.datetime, actor: Actor, source: str) -> AuditEntry:
    number = change.new.number if change.new is not None else change.old.number if change.old is not None else None
    return AuditEntry(
        now,
        actor,
        0,
        "plan",
        None,
        number,
        None,
        change.old.text if change.old is not None else None,
        change.new.text if change.new is not None else None,
        f"{texts.change_line(change)}（{source}）",
    )


def apply_plan_update(
    store: Store, diff: PlanDiff, source: str, now: dt.datetime, actor: Actor = SYSTEM
) -> PlanUpdated:
    concerned = set().union(*(_units(c) for c in diff.changes)) if diff.changes else set()
    resent = sorted({p.respondent for p in store.prompts() if p.respondent in concerned})
    store.apply_plan_change(rekeying(diff), [_audit(c, now, actor, source) for c in diff.changes])
    for respondent in resent:
        store.delete_prompts(respondent)
    return PlanUpdated(diff, tuple(resent))
