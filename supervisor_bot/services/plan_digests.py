"""One digest over every plan (`[[plans]]`): each plan's digest from its own view of the store, put together;
sent by the lead plan's ladder (the first plan still supervised), recorded in every plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from supervisor_bot.core import ladder
from supervisor_bot.core.plan_digest import CombinedDigest, PlanSection, combine
from supervisor_bot.services import digests
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.services.scoring import current_period, scorecards
from supervisor_bot.views import fmt
from supervisor_bot.views.plan_digest import combined_text


def lead(runtimes: tuple[Runtime, ...]) -> Runtime:
    """The plan whose ladder sends the one digest (and keeps its steps): the first plan still supervised."""
    return next((rt for rt in runtimes if not rt.retired), runtimes[0])


def combined_digest(
    runtimes: tuple[Runtime, ...], now: dt.datetime, previous_key: str | None, scored: bool = True
) -> CombinedDigest | None:
    main = lead(runtimes)
    supervised = tuple(rt for rt in runtimes if not rt.retired)
    each, scores = scorecards(supervised, current_period(main, now), now) if scored else ({}, None)
    sections = []
    for rt in supervised:
        found = digests.digest(rt, rt.ladder, now, previous_key, scored=False)
        if found is not None:
            section = replace(found, scores=each.get(rt.plan))
            sections.append(PlanSection(rt.plan, rt.office.plan_title, section))
    if not sections:
        return None
    period = digests.period_now(main, now)
    return combine(sections, f"督办事项落实情况（{fmt.round_name(period)}）", scores)


def combined_sent(runtimes: tuple[Runtime, ...], step: ladder.SendDigest, result: CombinedDigest) -> None:
    """Each plan keeps its own totals (its next section's change) and the digest's moment; a plan with no
    round yet keeps that it was sent, so that its ladder does not ask for it."""
    sent = {s.key: s.digest for s in result.plans}
    for rt in runtimes:
        if rt.plan in sent:
            digests.digest_sent(rt, step, sent[rt.plan])
        else:
            rt.store.mark_lasting_done(step.key)


@dataclass(frozen=True)
class CombinedFiles:
    text: str
    ledger: Path
    charts: tuple[tuple[str, Path], ...]  # each plan's chart, by key


def write_combined_files(result: CombinedDigest, folder: Path) -> CombinedFiles:
    from supervisor_bot.exports.plans_ledger import sheet_name, write_plans_ledger
    from supervisor_bot.exports.progress_chart import render_progress

    folder.mkdir(parents=True, exist_ok=True)
    text = combined_text(result)
    (folder / "digest.txt").write_text(text + "\n", encoding="utf-8")
    write_plans_ledger(result, folder / "ledger.xlsx")
    charts = []
    for section in result.plans:
        chart = folder / f"progress-{sheet_name(section.key)}.png"
        render_progress(section.digest, chart)
        charts.append((section.key, chart))
    return CombinedFiles(text, folder / "ledger.xlsx", tuple(charts))
