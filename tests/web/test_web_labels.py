"""The dashboard of a second deployment: its plan numbers measures `（一）` in each part, so every page names them by
the plan's label (`二（一）`) and links `/measures/<label>`; its unit 西山区 has no group yet, so it is 未绑定 —
listed apart, with no light, in no rate, ranking, overdue count or trend. The 考核 names measures by label too."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

import aiohttp
import openpyxl

from supervisor_bot.core.ledger import Progress
from supervisor_bot.core.status import Status
from supervisor_bot.exports.score_xlsx import write_scores
from supervisor_bot.services import dashboard, dashboard_units
from supervisor_bot.services.dashboard import DashboardCache
from supervisor_bot.services.scoring import current_period, scorecard
from supervisor_bot.views.scoring import unit_detail
from tests.e2e.harness import COORDINATOR as JINAN_COORDINATOR
from tests.e2e.harness import MONDAY as JINAN_MONDAY
from tests.e2e.harness import eventually
from tests.e2e.test_second_deployment import COORDINATOR, MONDAY, SILENT, UNBOUND, a_week, deployment
from tests.e2e.test_supervision import FIN, report
from tests.e2e.web_harness import a_web_world, with_web

TZ = "Asia/Shanghai"
EDU = "市教育局"
RED = ("二（一）", "二（三）", "二（六）")  # the silent unit's measures, red after the first week


async def get(session: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with session.get(url) as response:
        return response.status, await response.text()


def row_of(html: str, marker: str) -> str:
    return html.split(marker, 1)[1].split("</tr>", 1)[0]


async def test_labels_and_unbound_units_on_the_dashboard(tmp_path: Path) -> None:
    async with deployment(tmp_path) as world, with_web(world) as web:
        await a_week(world, MONDAY)
        rt = world.runtime
        coordinator = await web.logged_in(COORDINATOR)
        base = web.url

        status, home = await get(coordinator, base + "/")
        assert status == 200
        red = home.split("红灯事项", 1)[1].split("</table>", 1)[0]
        for label in RED:
            row = row_of(red, f'<tr data-measure="{label}" data-unit="{SILENT}" data-light="red">')
            assert f'href="/measures/{quote(label)}"' in row and f"措施{label}</a>" in row
        assert UNBOUND not in red
        apart = home.split("尚未绑定工作群的单位", 1)[1].split("</ul>", 1)[0]
        assert f'data-unit="{UNBOUND}"' in apart and "data-light" not in apart and "未绑定" in apart
        assert "各轮次进展趋势" in home.split("尚未绑定工作群的单位", 1)[1]  # apart, before the trend

        status, units = await get(coordinator, base + "/units?sort=rate")
        listed, unbound = units.split("尚未绑定工作群的单位", 1)
        assert status == 200 and f'data-unit="{UNBOUND}"' not in listed  # not ranked
        assert f'<tr data-unit="{UNBOUND}" data-bound="false">' in unbound and "data-light" not in unbound
        assert f'<tr data-unit="{SILENT}" data-light="red"' in listed

        status, page = await get(coordinator, base + f"/units/{quote(UNBOUND)}")
        assert status == 200 and f'data-unit="{UNBOUND}"' in page and "未绑定" in page
        assert "data-light" not in page.split('data-page="unit"', 1)[1].split(">", 1)[0]
        assert re.search(r'<tr data-measure="[一二三四五六七八九十]+（[一二三四五六七八九十]+）">', page)

        status, page = await get(coordinator, base + f"/units/{quote(SILENT)}")
        assert status == 200 and all(f'<tr data-measure="{label}" data-light="red">' in page for label in RED)

        measure = rt.matrix.find("二（一）")
        assert measure is not None and rt.matrix.label(measure.number) == "二（一）" and measure.number != 1
        for written in (quote("二（一）"), quote("二(一)"), str(measure.number)):
            status, page = await get(coordinator, base + f"/measures/{written}")
            assert status == 200 and 'data-measure="二（一）"' in page and "<h1>措施二（一）</h1>" in page
        assert (await get(coordinator, base + f"/measures/{quote('四十')}"))[0] == 404
        shared = rt.duties[UNBOUND][0].measure  # a measure 西山区 answers for: its page lists it 未绑定
        status, page = await get(coordinator, base + f"/measures/{quote(rt.matrix.label(shared.number))}")
        assert status == 200 and f'<tr data-unit="{UNBOUND}" data-bound="false">' in page

        status, overdue = await get(coordinator, base + "/overdue")
        assert status == 200 and UNBOUND not in overdue
        for label in RED:
            assert f'<tr data-measure="{label}" data-unit="{SILENT}" data-light="red">' in overdue
            assert f'href="/measures/{quote(label)}">措施{label}</a>' in overdue

        for path in ("/", "/units", f"/units/{quote(SILENT)}", f"/units/{quote(UNBOUND)}", "/overdue", "/interviews"):
            html = (await get(coordinator, base + path))[1]
            assert not re.search(r"措施\d", html), path  # no running number where the plan prints a label
            assert not re.search(r'data-measure="\d', html), path

        card = scorecard(rt, current_period(rt, world.clock.now()), world.clock.now())
        assert UNBOUND not in {s.unit for s in card.scores}
        silent_score = card.of(SILENT)
        assert silent_score is not None
        detail = unit_detail(silent_score, card, TZ)
        assert "未报送 措施二（一）" in detail and not re.search(r"措施\d", detail)
        out = tmp_path / "score.xlsx"
        write_scores(card, out, TZ)
        sheet = openpyxl.load_workbook(out)["考核"]
        column = {row[3] for row in sheet.iter_rows(values_only=True) if row[0] == SILENT and row[2] == "未报送"}
        assert set(RED) <= column


async def test_a_unit_unbound_leaves_every_figure_and_the_trend(tmp_path: Path) -> None:
    """市财政局 reports in week 36, then its group drops the bot: from then on it is 未绑定 — its week-36 reports
    leave the trend and its rates, it is listed apart, and the dashboard's kept round summaries are redone."""
    async with a_web_world(tmp_path, bind=lambda name: name in (FIN, EDU)) as web:
        world = web.world
        rt, run = world.runtime, world.shell.runner.call  # type: ignore[union-attr]
        await world.tick(JINAN_MONDAY)
        for duty in rt.duties[FIN]:
            await report(world, duty.measure.number, Status.IN_PROGRESS)
        later = JINAN_MONDAY.add(weeks=1)
        await world.tick(later)
        cache = DashboardCache(rt.ladder)

        async def picture() -> tuple[dashboard.Overview, dashboard_units.UnitList]:
            cache.invalidate()
            snap = await run(dashboard.snapshot, rt, cache, later)
            assert snap is not None
            return dashboard.overview(rt, snap), dashboard_units.unit_lines(rt, snap)

        before, lines = await picture()
        assert before.trend[0].counts[Progress.IN_PROGRESS] > 0 and FIN not in before.unbound
        assert next(u for u in lines.lines if u.name == FIN).on_time is not None
        world.sandbox.remove_bot_from_chat(world.chats[FIN], world.liaisons[FIN])
        await eventually(lambda: FIN not in rt.bound())
        after, lines = await picture()
        assert after.trend[0].counts[Progress.IN_PROGRESS] == 0  # only 市财政局 had reported
        assert sum(after.trend[0].counts.values()) == sum(before.trend[0].counts.values())  # every measure still
        assert FIN in after.unbound and FIN not in {u.name for u in lines.lines}
        [apart] = [u for u in lines.unbound if u.name == FIN]
        assert apart.light is None and apart.on_time is None and apart.overdue == 0 and apart.score is None
        coordinator = await web.logged_in(JINAN_COORDINATOR)
        status, page = await get(coordinator, f"{web.url}/units/{quote(FIN)}")
        assert status == 200 and "未绑定" in page and "历轮报送情况" not in page


async def test_the_latest_digest_download_is_the_last_sent_of_any_cadence(tmp_path: Path) -> None:
    """A monthly digest's folder (2021-09/) counts as sent; a coordinator's /digest preview does not."""
    async with a_web_world(tmp_path) as web:
        await web.world.tick(JINAN_MONDAY)
        folder = web.world.data_dir / "digests"
        for name, text in (("2021-W35", "上周周报"), ("2021-09", "九月月报"), ("preview-20210906120000", "预览")):
            (folder / name).mkdir(parents=True, exist_ok=True)
            (folder / name / "digest.txt").write_text(text, encoding="utf-8")
        session = await web.logged_in(JINAN_COORDINATOR)
        preview = folder / "preview-20210906120000" / "digest.txt"
        os.utime(folder / "2021-09" / "digest.txt", (preview.stat().st_mtime - 5,) * 2)
        os.utime(folder / "2021-W35" / "digest.txt", (preview.stat().st_mtime - 60,) * 2)
        status, text = await get(session, f"{web.url}/downloads/digest.txt")
        assert (status, text) == (200, "九月月报")
