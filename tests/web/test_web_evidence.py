"""佐证材料 on the dashboard: listed on the unit's page with a download link; the download asks afresh who is
looking (the unit's liaison, coordinators and leaders; not another unit's liaison, nor anyone after unbinding)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from supervisor_bot.sandbox import RecordFilter
from tests.e2e.harness import COORDINATOR, MONDAY, eventually
from tests.e2e.web_harness import LEADER, a_web_world

FIN, EDU = "市财政局", "市教育局"
PDF = b"%PDF-1.4 evidence"


async def test_files_on_the_unit_page_and_their_download(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=lambda name: name in (FIN, EDU)) as web:
        world = web.world
        await world.tick(MONDAY)
        world.sandbox.post_message(
            world.chats[FIN],
            world.liaisons[FIN],
            reply_to_message_id=int(world.checklist(FIN)["message_id"]),
            document=("验收报告 第1版.pdf", PDF, "application/pdf"),
            caption="措施46",
        )
        await world.wait(RecordFilter(chat_id=world.chats[FIN], text_contains="已收到佐证材料"))
        [kept] = world.runtime.store.evidence()
        coordinator = await web.logged_in(COORDINATOR)
        async with coordinator.get(f"{web.url}/units/{FIN}") as response:
            html = await response.text()
        assert response.status == 200
        row = html.split('data-measure="46"', 1)[1].split("</tr>", 1)[0]
        assert f'data-evidence="{kept.id}"' in row and f'href="/evidence/{kept.id}"' in row
        assert "验收报告 第1版.pdf" in row and "1KB" in row
        no_files = html.split('data-measure="9"', 1)[1].split("</tr>", 1)[0]
        assert "data-evidence" not in no_files
        for person in (COORDINATOR, LEADER, world.liaisons[FIN]):
            client = coordinator if person == COORDINATOR else await web.logged_in(person)
            async with client.get(f"{web.url}/evidence/{kept.id}") as response:
                assert response.status == 200 and await response.read() == PDF
                disposition = response.headers["Content-Disposition"]
                assert disposition.startswith("attachment;") and unquote(disposition).endswith("验收报告 第1版.pdf")
        async with coordinator.get(f"{web.url}/measures/46") as response:  # 一件一档: the file in the timeline
            timeline = (await response.text()).split('class="timeline"', 1)[1]
        assert "佐证材料" in timeline and "验收报告 第1版.pdf" in timeline
        other = await web.logged_in(world.liaisons[EDU])
        async with other.get(f"{web.url}/evidence/{kept.id}") as response:
            assert response.status == 403 and PDF not in await response.read()
        async with coordinator.get(f"{web.url}/evidence/999") as response:
            assert response.status == 404
        async with web.client().get(f"{web.url}/evidence/{kept.id}", allow_redirects=False) as response:
            assert response.status == 302
        # the bot removed from the unit's group: its liaison's session ends, and nothing is downloaded
        liaison = await web.logged_in(world.liaisons[FIN])
        world.sandbox.remove_bot_from_chat(world.chats[FIN], world.liaisons[FIN])
        await eventually(lambda: not any(b.active for b in world.runtime.store.bindings() if b.respondent == FIN))
        async with liaison.get(f"{web.url}/evidence/{kept.id}", allow_redirects=False) as response:
            assert response.status == 302 and response.headers["Location"] == "/welcome"
            assert PDF not in await response.read()
