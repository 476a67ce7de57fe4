"""Two plans in one bot on WeCom, as people use it in the sandbox: 稳就业 (Jinan's plan, weekly) and 民生实事 (the
project's own, monthly) open on the same Monday; each group bound once gets each plan's checklist, its summary
naming its plan and a card per measure of that plan; a press on one plan's card records in that plan only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from supervisor_bot.core.status import Status
from supervisor_bot.services.runtime import Runtime
from tests.service.test_plans_month import JOBS, LIVES, plan_runtimes
from tests.wecom.harness import CHATS, EDU, FIN, MONDAY, ZHANG, Rig, eventually, rig
from tests.wecom.test_supervision import button


@pytest.fixture
async def plans(tmp_path: Path) -> AsyncIterator[Rig]:
    async with rig(tmp_path, plans=plan_runtimes) as found:
        yield found


def _plan(wecom: Rig, key: str) -> Runtime:
    return next(rt for rt in wecom.shell.runtimes if rt.plan == key)


def _titles(cards: list[dict[str, Any]], key: str) -> list[str]:
    return [c["main_title"]["title"] for c in cards if c["main_title"]["title"].startswith(f"{key} 措施")]


async def test_each_plans_checklist_names_its_plan_in_the_group_bound_once(plans: Rig) -> None:
    await plans.tick(MONDAY)  # 6 September: the week's Monday and the month's 6th — both plans open
    jobs, lives = _plan(plans, JOBS), _plan(plans, LIVES)
    assert len(plans.store.bindings()) == len(CHATS)  # one group per unit, serving both plans
    for unit in (FIN, EDU):
        heads = [t.split("\n", 1)[0] for t in await plans.texts(CHATS[unit]) if t.startswith("【督办】")]
        assert heads == [f"【督办】{JOBS} 2021年第36周 落实情况报送", f"【督办】{LIVES} 2021年9月 落实情况报送"]
        cards = await plans.cards(CHATS[unit])
        assert len(_titles(cards, JOBS)) == len(jobs.duties[unit]) and len(_titles(cards, LIVES)) == len(
            lives.duties[unit]
        )
        assert len(cards) == len(jobs.duties[unit]) + len(lives.duties[unit])  # every card names its plan
    assert f"{LIVES} 措施一（三）【配合】" in _titles(await plans.cards(CHATS[FIN]), LIVES)  # the plan's own labels


async def test_a_press_in_one_plan_never_touches_the_other(plans: Rig) -> None:
    await plans.tick(MONDAY)
    jobs, lives = _plan(plans, JOBS), _plan(plans, LIVES)
    both = {d.measure.number for d in jobs.duties[FIN]} & {d.measure.number for d in lives.duties[FIN]}
    shared = min(both)  # a measure number 市财政局 answers for in both plans
    titled = f"{lives.item(shared)}【"  # `民生实事 措施一（二）【配合】`
    card = next(c for c in await plans.cards(CHATS[FIN]) if c["main_title"]["title"].startswith(titled))
    await plans.control.press(ZHANG, card["task_id"], button(card, Status.IN_PROGRESS))
    live, other = lives.current_round(), jobs.current_round()
    assert live is not None and other is not None

    async def recorded() -> bool:
        return (shared, FIN) in lives.store.reports(live.id)

    await eventually(recorded)
    assert lives.store.reports(live.id)[(shared, FIN)].status is Status.IN_PROGRESS
    assert not jobs.store.reports(other.id)  # 稳就业's measure of the same number: untouched
    assert not [a for a in jobs.store.audit(other.id) if a.measure == shared]  # nor its trail

    async def shows_it() -> bool:
        return any(c["task_id"] == card["task_id"] and "✔ 推进中" in str(c) for c in await plans.cards(CHATS[FIN]))

    await eventually(shows_it)  # the pressed card shows the choice; no card of the other plan does
    untouched = [c for c in await plans.cards(CHATS[FIN]) if c["main_title"]["title"].startswith(f"{JOBS} ")]
    assert not any("✔" in str(c) for c in untouched)
