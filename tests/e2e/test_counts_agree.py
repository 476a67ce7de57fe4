"""One rule for counts: a unit not yet bound is out of every figure — the digest, the ledger's 汇总, the
dashboard's tiles, /status and the scores — and listed apart; the figures agree wherever they are shown, whether
every unit is asked or only the leads (`[rounds] ask`)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from supervisor_bot.core.ledger import PROGRESS_ORDER
from supervisor_bot.core.matrix import Ask, Role
from supervisor_bot.core.schedule import RoundSchedule
from supervisor_bot.core.status import UNREPORTED_LABEL, Status
from supervisor_bot.exports.ledger_xlsx import write_ledger
from supervisor_bot.services import digests, scoring
from supervisor_bot.views.digest import digest_text
from tests.e2e.harness import COORDINATOR, MONDAY, a_world
from tests.e2e.web_harness import with_web

UNBOUND = {"市发展改革委", "商河县", "市工商联"}  # leads of some measures (市工商联: the only lead of some)
TILE = re.compile(r'data-tile="([^"]+)"><span class="n">(\d+)</span>')


@pytest.mark.parametrize("ask", [Ask.ALL, Ask.LEADS])
async def test_the_figures_agree_everywhere_with_unbound_leads(tmp_path: Path, ask: Ask) -> None:
    bound = lambda name: name not in UNBOUND  # noqa: E731
    async with a_world(tmp_path, bound, schedule=RoundSchedule(ask=ask)) as world, with_web(world) as web:
        rt = world.runtime
        await world.tick(MONDAY)
        asked = [name for name in world.chats if name in rt.respondents]
        for index, unit in enumerate(asked[:12]):  # some report, the others stay silent
            for duty in rt.duties[unit][:2]:
                status = Status.IN_PROGRESS if index % 3 else Status.NOT_STARTED
                await world.report(unit, duty.measure.number, status)
        after_due = MONDAY.add(days=3, hours=9)
        world.clock.set(after_due)
        await world.tick(after_due)

        built = digests.digest(rt, rt.ladder, after_due)
        assert built is not None
        rows = built.ledger
        shown = {row.respondent for row in rows} | {o.respondent for o in built.lowest_on_time}
        assert not shown & UNBOUND and set(built.unbound) == UNBOUND & set(rt.respondents)
        assert built.lead_unbound  # measures whose every lead is unbound: out of the figures, listed apart
        if ask is Ask.LEADS:  # the 配合单位 listed with the measure, as 配合, and never asked
            assert {row.role for row in rows} == {Role.LEAD}
            shared = next(m for m in rt.matrix.measures if rt.matrix.listed_only(m) and set(m.leads) - UNBOUND)
            label, co = rt.label(shared.number), rt.matrix.listed_only(shared)
            info = (await world.command(COORDINATOR, COORDINATOR, "measure", label)).text or ""
            assert "配合单位：" in info and "（向牵头单位报送，不单独督办）" in info
            picture = (await world.command(COORDINATOR, COORDINATOR, "status", label)).text or ""
            assert f"{'、'.join(co)}（配合）向牵头单位报送，不单独督办" in picture
            assert any(row.cooperating == co for row in rows if row.measure == shared.number)
            assert not {name for name in co if name in rt.respondents and not rt.duties.get(name)}
            only_co = next(
                d.name for d in rt.matrix.departments if d.reports and not d.members and d.name not in rt.respondents
            )
            told = (await world.command(COORDINATOR, COORDINATOR, "status", only_co)).text or ""
            assert told.startswith(f"{only_co}在") and "为配合单位" in told and "不单独督办" in told

        # the digest's measures by progress = the ledger's 汇总 = the dashboard's tiles
        text = digest_text(built)
        assert "尚未绑定工作群的单位" in text and "牵头单位尚未绑定工作群，暂不计入" in text
        book = tmp_path / "ledger.xlsx"
        write_ledger(built, book)
        workbook = openpyxl.load_workbook(book, read_only=True)
        summary = list(workbook["汇总"].iter_rows(values_only=True))
        workbook.close()
        total_row = next(r for r in summary if r[0] == "合计" and len(r) > len(PROGRESS_ORDER))
        assert list(total_row[1 : 1 + len(PROGRESS_ORDER)]) == [built.totals[p] for p in PROGRESS_ORDER]
        lights_total = [r for r in summary if r[0] == "合计" and r[1] == len(rows)]
        assert lights_total  # the lights and levels tables count the ledger's items, and nothing else
        session = await web.logged_in(COORDINATOR)
        async with session.get(web.url + "/") as response:
            page = await response.text()
        tiles = dict(TILE.findall(page))
        assert {p.label: built.totals[p] for p in PROGRESS_ORDER} == {
            p.label: int(tiles[p.label]) for p in PROGRESS_ORDER
        }
        assert all(f'data-unit="{u}" data-bound="false"' in page for u in built.unbound)

        # /status counts the same items as the ledger, over the same units
        answer = (await world.command(COORDINATOR, COORDINATOR, "status")).text or ""
        counts = re.search(r"应报送(\d+)项（措施×责任单位），已报送(\d+)项", answer)
        assert counts is not None
        assert int(counts.group(1)) == len(rows)
        assert int(counts.group(2)) == sum(row.status != UNREPORTED_LABEL for row in rows)
        assert f"▫️{UNREPORTED_LABEL} {sum(row.status == UNREPORTED_LABEL for row in rows)}" in answer
        assert "尚未绑定工作群的单位" in answer

        # and the scores: only units bound (and, under "leads", only leads) are scored
        card = scoring.scorecard(rt, scoring.current_period(rt, after_due), after_due)
        scored = {s.unit for s in card.scores}
        assert scored and not scored & UNBOUND and scored <= set(rt.respondents)
