"""The digest of several plans reads each plan's 考核 facts once: its sections' scores and the combined ones are
what each plan's own scorecard and the scorecard over every plan say."""

from __future__ import annotations

from pathlib import Path

import pytest

from supervisor_bot.app import cycle
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.core.scoring import Facts, Period
from supervisor_bot.core.status import Status
from supervisor_bot.services import scoring
from supervisor_bot.services.plan_digests import combined_digest
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.services.scoring import current_period, facts, scorecard, scorecard_all, scorecards
from tests.service.test_plans_month import FIN, LIVES, START, _plan, report_all, two_plans


async def test_each_plan_s_scores_and_the_combined_ones_are_read_once_and_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell, _, _ = two_plans(tmp_path)
    clock = shell.clock
    assert isinstance(clock, ManualClock)
    later = START.add(days=12)  # past the first rounds' deadlines: the units that never answered lose points
    moment = START
    while moment <= later:  # the bot's ticks, as in a month's run
        clock.set(moment)
        await cycle.tick(shell, moment)
        if moment == START.add(days=1, hours=2):
            await report_all(_plan(shell, LIVES), FIN, Status.IN_PROGRESS)
        moment = moment.add(hours=2) if 8 <= moment.hour < 20 else moment.add(hours=12)
    period = current_period(shell.runtimes[0], later)
    each, combined = scorecards(shell.runtimes, period, later)
    assert each == {rt.plan: scorecard(rt, period, later) for rt in shell.runtimes}
    assert combined == scorecard_all(shell.runtimes, period, later)
    assert any(s.score < combined.rules.start for s in combined.scores)  # something was deducted
    read: list[str] = []

    def counted(rt: Runtime, period: Period) -> Facts:
        read.append(rt.plan)
        return facts(rt, period)

    monkeypatch.setattr(scoring, "facts", counted)
    digest = combined_digest(shell.runtimes, later, None)
    assert sorted(read) == sorted(rt.plan for rt in shell.runtimes)  # each plan's facts once
    assert digest is not None
    assert digest.scores == combined
    assert {s.key: s.digest.scores for s in digest.plans} == {k: each[k] for k in (s.key for s in digest.plans)}
