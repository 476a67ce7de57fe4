"""Whether the plan file still matches the plan the stored data was made under (data folder's plan.json)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from storage.plan_snapshot import StoredPlan, read_stored_plan, write_stored_plan
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.core.plan_diff import PlanDiff, diff_plans, fingerprint, plan_measures
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.views import plans as texts


def stored_plan_diff(data_dir: Path, matrix: Matrix) -> tuple[StoredPlan | None, PlanDiff | None]:
    """The plan stored with the data, and — when the matrix differs from it — how."""
    stored = read_stored_plan(data_dir)
    if stored is None:
        return None, None
    current = plan_measures(matrix)
    if fingerprint(current) == stored.fingerprint:
        return stored, None
    return stored, diff_plans(stored.measures, current)


def require_same_plan(data_dir: Path, plan_file: Path, matrix: Matrix, now: dt.datetime) -> None:
    """At start: the first run records the plan; a later one refuses a plan the data was not made under, naming
    the file and what changed (stored reports are keyed by the measures' numbers: never re-keyed in silence)."""
    stored, diff = stored_plan_diff(data_dir, matrix)
    if stored is None:
        write_stored_plan(data_dir, plan_measures(matrix), plan_file, now)
    elif diff is not None and diff.changes:
        raise ConfigError(plan_file, "", texts.mismatch(str(plan_file), diff))
