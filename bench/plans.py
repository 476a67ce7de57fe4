"""Several plans at province scale: 5 plans of 60 measures (300 in all) over 60 units, against the same 300 measures
as one plan — the Monday fan-out and the digest.

The plans are built from the Jinan plan's measures (texts, dates), each plan's measures assigned to the 60 units in
a rotation of its own (a lead and two co-units each), so every unit answers in every plan. The one plan has the 300
measures with the same assignments.

- fanout: Monday's tick over the real Telegram front on the sandbox, with Telegram's limits: five plans send a
  checklist per plan per unit (300), one plan one per unit (60). Each run is timed against the floor Telegram's
  limits set for what it sent, the coordinators' notices included (bench.fanout.floor_seconds), from the tick's
  start to the last message; `plans_fanout_vs_one` = the five plans' ratio to their floor / the one plan's.
  Without limits (`…_unlimited_per_message_ms`), the time per message: the bot's own work and the sandbox's.
- digest: the digest built from the store after everyone reported (figures, ledger, 考核, text) and its ledger
  written as .xlsx — one digest with a section per plan and the combined ranking, against the one plan's digest;
  `plans_digest_vs_one` = the ratio of the medians. The charts are left out: one per plan by design.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import MONDAY, UNLIMITED, jinan, our_bot, record, runtime
from bench.fanout import COORDINATOR, Run, count_refusals, measured
from storage.plan_scope import PlanScope
from storage.tinydb_store import TinyStore
from supervisor_bot.core import tick
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.matrix import Assignment, Department, Matrix, Role
from supervisor_bot.core.people import SYSTEM
from supervisor_bot.core.registry import DepartmentRegistry
from supervisor_bot.core.reports import AuditEntry, Report
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RateLimits, Sandbox
from supervisor_bot.services import digests, plan_digests, supervision
from supervisor_bot.services.runtime import Runtime

PLANS = 5
PER_PLAN = 60
UNITS = tuple(f"省直单位{i:02d}" for i in range(1, 61))
FRIDAY = MONDAY.add(days=4, hours=8)
REPEATS = 5


def _measures(offset: int, count: int, first: int) -> tuple[Any, ...]:
    base, _ = jinan()
    out = []
    for k in range(count):
        template = base.measures[k % len(base.measures)]
        lead = (3 * k + 7 * offset) % len(UNITS)
        units = [UNITS[lead], UNITS[(lead + 1) % len(UNITS)], UNITS[(lead + 2) % len(UNITS)]]
        assignments = (Assignment(units[0], Role.LEAD), *(Assignment(u, Role.CO) for u in units[1:]))
        out.append(replace(template, number=first + k, label=f"{first + k}.", assignments=assignments))
    return tuple(out)


def plans() -> tuple[tuple[tuple[str, Matrix], ...], Matrix, DepartmentRegistry]:
    """The five plans (key, matrix), the same 300 measures as one plan, and the registry of the 60 units."""
    base, _ = jinan()
    departments = tuple(Department(name) for name in UNITS)
    keyed = tuple(
        (f"方案{p + 1}", Matrix(base.document, base.sections, _measures(p, PER_PLAN, 1), departments))
        for p in range(PLANS)
    )
    everything = tuple(m for p in range(PLANS) for m in _measures(p, PER_PLAN, p * PER_PLAN + 1))
    return keyed, Matrix(base.document, base.sections, everything, departments), DepartmentRegistry(departments)


async def fanout(keyed: tuple[tuple[str, Matrix], ...], one: Matrix | None, registry: Any, limits: RateLimits) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        async with Sandbox(limits=limits) as sandbox:
            sandbox.add_user(COORDINATOR, "协调人")
            sandbox.create_private_chat(COORDINATOR)
            async with our_bot(sandbox, Path(tmp), matrix=one, registry=registry, plans=keyed) as world:
                refused = count_refusals(sandbox)
                mark, start = sandbox.mark(), time.time()
                await world.tick(MONDAY)
                return measured(sandbox, start, mark, refused(), skip=COORDINATOR)


def _reported(runtimes: tuple[Runtime, ...]) -> None:
    """A round open in each plan, and every item reported (a seeded mix of statuses)."""
    chance = random.Random(7)
    for rt in runtimes:
        for action in supervision.due(rt, MONDAY):
            if isinstance(action, tick.OpenRound):
                supervision.open_round(rt, action)
        live = rt.current_round()
        assert live is not None
        statuses = (Status.IN_PROGRESS, Status.DONE, Status.BLOCKED, Status.NOT_STARTED)
        reports = [
            Report(
                live.id, duty.measure.number, name, chance.choice(statuses), "进展正常", MONDAY.add(hours=3), SYSTEM, 0
            )
            for name, duties in rt.duties.items()
            for duty in duties
        ]
        rt.store.save_reports(live.id, reports, [])
    runtimes[0].store.flush()


def _digest_once(runtimes: tuple[Runtime, ...], folder: Path) -> float:
    from supervisor_bot.exports.ledger_xlsx import write_ledger
    from supervisor_bot.exports.plans_ledger import write_plans_ledger
    from supervisor_bot.views.digest import digest_text
    from supervisor_bot.views.plan_digest import combined_text

    start = time.perf_counter()
    if len(runtimes) > 1:
        combined = plan_digests.combined_digest(runtimes, FRIDAY, None)
        assert combined is not None
        combined_text(combined)
        write_plans_ledger(combined, folder / "ledger.xlsx")
    else:
        single = digests.digest(runtimes[0], runtimes[0].ladder, FRIDAY, None)
        assert single is not None
        digest_text(single)
        write_ledger(single, folder / "ledger.xlsx")
    return time.perf_counter() - start


def digest_seconds(keyed: tuple[tuple[str, Matrix], ...], one: Matrix | None, registry: Any) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store = TinyStore(Path(tmp) / "data", group_commit=True)
        runtimes = tuple(
            replace(runtime(store, m, registry), store=PlanScope(store, key), plan=key) for key, m in keyed
        ) or (runtime(store, one, registry),)
        for index, name in enumerate(UNITS, start=1):
            binding = Binding(name, -20_000 - index, frozenset({1}), True, f"{name}群")
            store.save_binding(binding, AuditEntry(MONDAY, SYSTEM, binding.chat_id, "bind", respondent=name))
        _reported(runtimes)
        times = [_digest_once(runtimes, Path(tmp)) for _ in range(REPEATS)]
        store.close()
    return statistics.median(times)


async def main() -> None:
    keyed, one, registry = plans()
    figures: dict[str, Any] = {}
    for limits, name in ((RateLimits(), "telegram"), (UNLIMITED, "unlimited")):
        several = await fanout(keyed, None, registry, limits)
        single = await fanout((), one, registry, limits)
        print(
            f"fan-out ({name} limits): 5 plans {len(several.sends)} messages in {several.whole:.2f} s "
            f"(floor {several.floor:.2f} s, {several.refused} × 429); one plan {len(single.sends)} in "
            f"{single.whole:.2f} s (floor {single.floor:.2f} s)"
        )
        if name == "telegram":
            figures |= {
                "plans_fanout_s": round(several.whole, 3),
                "plans_fanout_floor_s": round(several.floor, 3),
                "plans_fanout_ratio": round(several.whole / several.floor, 3),
                "plans_one_fanout_s": round(single.whole, 3),
                "plans_one_fanout_ratio": round(single.whole / single.floor, 3),
                "plans_fanout_vs_one": round((several.whole / several.floor) / (single.whole / single.floor), 3),
            }
        else:
            per_several = several.whole / len(several.sends)
            per_single = single.whole / len(single.sends)
            figures |= {
                "plans_unlimited_per_message_ms": round(per_several * 1000, 2),
                "plans_one_unlimited_per_message_ms": round(per_single * 1000, 2),
                "plans_unlimited_per_message_vs_one": round(per_several / per_single, 3),
            }
    several_digest, single_digest = digest_seconds(keyed, None, registry), digest_seconds((), one, registry)
    print(f"digest: 5 plans {several_digest * 1000:.0f} ms; one plan {single_digest * 1000:.0f} ms")
    figures |= {
        "plans_digest_ms": round(several_digest * 1000, 1),
        "plans_one_digest_ms": round(single_digest * 1000, 1),
        "plans_digest_vs_one": round(several_digest / single_digest, 3),
    }
    print({k: v for k, v in figures.items() if k.endswith("vs_one")})
    record(figures)


if __name__ == "__main__":
    asyncio.run(main())
