"""A department's name mistyped in a command: the bot says which unit it most likely means, and changes nothing."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.harness import BUREAU_CHAT, COORDINATOR, MONDAY, a_world

MEANT = '未找到单位"市民营经局"，是否为"市民营经济局"？'


async def test_status_invite_yuetan_and_score_suggest_the_unit(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=lambda name: name == "市财政局") as world:
        await world.tick(MONDAY)
        status = await world.command(COORDINATOR, COORDINATOR, "status", "市民营经局")
        assert MEANT in (status.text or "")
        invite = await world.command(COORDINATOR, COORDINATOR, "invite", "市民营经局")
        assert MEANT in (invite.text or "") and "/bind" not in (invite.text or "")
        yuetan = await world.command(
            BUREAU_CHAT, COORDINATOR, "yuetan", "市民营经局 2021-09-08 要点 整改期限2021-09-30"
        )
        assert MEANT in (yuetan.text or "")
        assert world.runtime.store.interviews() == []
        score = await world.command(COORDINATOR, COORDINATOR, "score", "市民营经局")
        assert MEANT in (score.text or "")
        nothing = await world.command(COORDINATOR, COORDINATOR, "status", "宇宙飞船局")
        assert "是否为" not in (nothing.text or "") and "未找到单位" in (nothing.text or "")
