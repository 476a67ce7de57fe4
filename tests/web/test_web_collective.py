"""A collective body (各区县政府, 各县（市、区）人民政府) has a page of its own listing its members' items, and its row on
/units links to it; a member not yet bound is listed apart there too."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from supervisor_bot.core.status import Status
from tests.e2e.harness import COORDINATOR, MONDAY
from tests.e2e.web_harness import a_web_world
from tests.web.test_web_labels import get

BODY, UNBOUND = "各区县政府", "商河县"


async def test_a_collective_body_has_a_page_with_its_members_items(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=lambda name: name != UNBOUND) as web:
        world = web.world
        await world.tick(MONDAY)
        first = world.runtime.duties["历下区"][0].measure.number
        await world.report("历下区", first, Status.IN_PROGRESS)
        session = await web.logged_in(COORDINATOR)
        status, units = await get(session, web.url + "/units")
        assert status == 200 and f'<a href="/units/{quote(BODY)}">{BODY}</a>' in units
        status, page = await get(session, web.url + f"/units/{quote(BODY)}")
        assert status == 200 and 'data-collective="true"' in page
        members = [r.name for r in world.runtime.respondents.values() if r.department == BODY]
        assert all(f'data-unit="{m}"' in page for m in members)
        assert f'data-unit="{UNBOUND}" data-bound="false"' in page  # listed apart, in no figure
        assert 'data-unit="历下区" data-light=' in page and "推进中" in page
        assert f'data-unit="{UNBOUND}" data-light=' not in page
        status, _ = await get(session, web.url + f"/units/{quote('各区县政府X')}")
        assert status == 404
