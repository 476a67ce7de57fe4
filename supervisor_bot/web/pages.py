"""The dashboard's pages: each parses the request, makes one service call on the storage worker, renders."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from aiohttp import web

from supervisor_bot.core.ledger import PROGRESS_ORDER, Digest, Light
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.services import dashboard, dashboard_units, timeline, web_pages
from supervisor_bot.services import evidence as evidence_files
from supervisor_bot.services.dashboard import Snapshot
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.services.scoring import current_period
from supervisor_bot.services.viewers import Access, Viewer
from supervisor_bot.views import fmt
from supervisor_bot.views.digest import digest_text
from supervisor_bot.views.scoring import period_name
from supervisor_bot.views.tickets import EXTENSION_CHOICES
from supervisor_bot.web.app import SELECTED, VIEWER, front_of, message, plan_of, render, require_session
from supervisor_bot.web.charts import trend_svg
from supervisor_bot.web.plan_pages import plans_ledger

T = TypeVar("T")
RED_SHOWN = 50
STAGES = {
    "proposed": "待约谈",
    "rectifying": "整改期内",
    "rectified": "整改期满，已无逾期事项",
    "not_rectified": "整改期满，未整改到位",
}
_SORTS: dict[str, tuple[str, Callable[[dashboard_units.UnitLine], Any]]] = {
    "name": ("责任单位", lambda u: 0),
    "light": ("亮灯", lambda u: -({Light.RED: 2, Light.YELLOW: 1, Light.GREEN: 0}.get(u.light, -1) if u.light else -1)),
    "leads": ("牵头", lambda u: -u.leads),
    "supports": ("配合", lambda u: -u.supports),
    "rate": ("准时报送率", lambda u: u.rate),
    "overdue": ("逾期事项", lambda u: -u.overdue),
    "score": ("考核得分", lambda u: u.score if u.score is not None else math.inf),
}


def _everyone(viewer: Viewer) -> bool:
    return True


def _all(viewer: Viewer) -> bool:
    return viewer.sees_all


async def _look(
    request: web.Request, allowed: Callable[[Viewer], bool], page: Callable[[Runtime, Snapshot], T | None]
) -> tuple[dict[str, Any], T] | web.Response:
    """The page's values and what every template needs, or the refusal to show instead."""
    session = require_session(request)
    front = front_of(request)
    who = (session.person.user_id, session.person.name)
    now = front.now()
    rt = plan_of(request)
    cache = front.caches[rt.plan]
    looked: web_pages.Looked[T] = await front.runner.call(
        lambda: web_pages.look(rt, cache, front.settings.leaders, who, now, allowed, page)
    )
    if looked.viewer.access is Access.NOBODY:
        return message(
            request, 403, "无权查看", "您不是协调员、领导或已登记的联络员，不能查看督办看板。", page="nobody"
        )
    request[VIEWER] = looked.viewer  # for the page that puts every plan's together
    common = {
        "viewer": looked.viewer,
        "csrf": front.signer.csrf(session),
        "back": request.path_qs,
        "round_name": fmt.round_name(looked.round_id) if looked.round_id else "",
    }
    if not looked.allowed:
        return message(request, 403, "无权查看", "您无权查看此页面，未显示任何内容。", page="forbidden", **common)
    if looked.page is None:
        return message(request, 404, "未找到", "目前没有进行中的报送轮次，或所查内容不存在。", page="missing", **common)
    return common, looked.page


def _trend_key(trend: tuple[dashboard.TrendPoint, ...]) -> tuple[object, ...]:
    return tuple((p.round_id, tuple(sorted(p.counts.items()))) for p in trend)


async def overview(request: web.Request) -> web.Response:
    found = await _look(request, _everyone, dashboard.overview)
    if isinstance(found, web.Response):
        return found
    common, page = found
    digest = page.digest
    tiles = [(p.label, digest.totals.get(p, 0), p.value) for p in PROGRESS_ORDER]
    tiles.append(("逾期", page.overdue_items, "overdue"))
    return render(
        request,
        "overview.html",
        **common,
        due=_day_time(request, page.round.due_at),
        measures=sum(digest.totals.values()),
        items=len(digest.ledger),
        tiles=tiles,
        progress=PROGRESS_ORDER,
        sections=page.sections,
        chart_version=format(abs(hash(_trend_key(page.trend))), "x"),
        red=digest.red[:RED_SHOWN],
        red_total=len(digest.red),
        upcoming=digest.upcoming,
        unbound=page.unbound,
        pending=digest.interviews_pending,
        held=digest.interviews_held,
    )


async def trend_chart(request: web.Request) -> web.Response:
    found = await _look(request, _everyone, lambda rt, snap: dashboard.overview(rt, snap).trend)
    if isinstance(found, web.Response):
        return found
    _, trend = found
    charts = front_of(request).charts
    key = _trend_key(trend)
    if key not in charts:
        charts.clear()  # only the latest is wanted
        charts[key] = await asyncio.to_thread(trend_svg, trend)
    return web.Response(body=charts[key], content_type="image/svg+xml")


async def units(request: web.Request) -> web.Response:
    found = await _look(request, _all, dashboard_units.unit_lines)
    if isinstance(found, web.Response):
        return found
    common, listed = found
    sort = request.query.get("sort", "name")
    key = _SORTS.get(sort, _SORTS["name"])[1]
    return render(
        request,
        "units.html",
        **common,
        lines=sorted(listed.lines, key=key),
        unbound=listed.unbound,
        sort=sort,
        columns=[(k, title) for k, (title, _) in _SORTS.items()],
        rate_rounds=dashboard.RATE_ROUNDS,
        score_period=score_period_name(plan_of(request), front_of(request).now()),
    )


async def unit(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    found = await _look(
        request, lambda v: v.may_see_unit(name), lambda rt, snap: web_pages.unit_with_files(rt, snap, name)
    )
    if isinstance(found, web.Response):
        return found
    common, page = found
    return render(
        request,
        "unit.html",
        **common,
        page=page.page,
        files=page.files,
        rate_rounds=dashboard.RATE_ROUNDS,
    )


async def measure(request: web.Request) -> web.Response:
    written = request.match_info["label"]  # the plan's label (`二（一）`, URL-quoted) or the running number
    config = plan_of(request).ladder
    found = await _look(request, _all, lambda rt, snap: timeline.measure_page(rt, snap, config, written))
    if isinstance(found, web.Response):
        return found
    common, page = found
    return render(
        request,
        "measure.html",
        **common,
        page=page,
        choices=EXTENSION_CHOICES,
        timeline_rounds=timeline.TIMELINE_ROUNDS,
    )


async def overdue(request: web.Request) -> web.Response:
    found = await _look(request, _all, web_pages.overdue_lines)
    if isinstance(found, web.Response):
        return found
    common, lines = found
    return render(request, "overdue.html", **common, lines=lines, choices=EXTENSION_CHOICES)


async def interviews(request: web.Request) -> web.Response:
    found = await _look(request, _all, web_pages.interviews)
    if isinstance(found, web.Response):
        return found
    common, lines = found
    return render(request, "interviews.html", **common, interviews=lines, stages=STAGES)


def _ledger_bytes(digest: Digest) -> bytes:
    from supervisor_bot.exports.ledger_xlsx import write_ledger

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.xlsx"
        write_ledger(digest, path)
        return path.read_bytes()


def _matrix_bytes(matrix: Matrix) -> bytes:
    from supervisor_bot.exports.matrix_xlsx import write_matrix_xlsx

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "matrix.xlsx"
        write_matrix_xlsx(matrix, path)
        return path.read_bytes()


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(body: bytes, filename: str, content_type: str) -> web.Response:
    return web.Response(
        body=body,
        headers={"Content-Type": content_type, "Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
    )


async def download(request: web.Request) -> web.Response:
    what = request.match_info["file"]
    if what not in ("ledger.xlsx", "matrix.xlsx", "digest.txt"):
        raise web.HTTPNotFound()
    found = await _look(request, _all, lambda rt, snap: snap.digest)
    if isinstance(found, web.Response):
        return found
    _, digest = found
    front = front_of(request)
    if what == "ledger.xlsx" and front.several and request.get(SELECTED, "all") == "all":
        return _attachment(await plans_ledger(request), "ledger.xlsx", _XLSX)
    if what == "ledger.xlsx":
        return _attachment(await asyncio.to_thread(_ledger_bytes, digest), "ledger.xlsx", _XLSX)
    if what == "matrix.xlsx":
        return _attachment(await asyncio.to_thread(_matrix_bytes, plan_of(request).matrix), "matrix.xlsx", _XLSX)
    latest = await asyncio.to_thread(_latest_sent, front.shell.digest_dir)
    text = await asyncio.to_thread(latest.read_text, encoding="utf-8") if latest else digest_text(digest) + "\n"
    kind = front.runtime.ladder.digest_kind  # the file named as the cadence has it: 督办周报.txt, 督办月报.txt
    return _attachment(text.encode("utf-8"), quote(f"{kind}.txt"), "text/plain; charset=utf-8")


def _latest_sent(folder: Path) -> Path | None:
    """The digest last sent, weekly (2021-W37/) or monthly (2021-09/) — never a coordinator's /digest preview."""
    sent = [p for p in folder.glob("*/digest.txt") if not p.parent.name.startswith("preview-")]
    return max(sent, key=lambda p: p.stat().st_mtime, default=None)


async def evidence(request: web.Request) -> web.StreamResponse:
    """A 佐证材料, for a viewer who may see its unit (a liaison its own units; coordinators and leaders all)."""
    session = require_session(request)
    front = front_of(request)
    who = (session.person.user_id, session.person.name)
    number = request.match_info["id"]
    leaders = front.settings.leaders
    plans = front.shell.runtimes  # ids are unique across plans: the plan that has it
    found = [await front.runner.call(web_pages.evidence_file, rt, leaders, who, number) for rt in plans]
    looked = next((f for f in found if f.evidence is not None), found[0])
    if looked.viewer.access is Access.NOBODY:
        return message(
            request, 403, "无权查看", "您不是协调员、领导或已登记的联络员，不能下载佐证材料。", page="nobody"
        )
    if not looked.allowed:
        return message(request, 403, "无权查看", "该佐证材料不属于您所在单位，无权下载。", page="forbidden")
    if looked.evidence is None:
        return message(request, 404, "未找到", "没有该佐证材料。", page="missing")
    folder = (front.shell.data_dir / "evidence").resolve()
    path = (front.shell.data_dir / looked.evidence.path).resolve()
    rt = plans[found.index(looked)]
    if not path.is_relative_to(folder) or not await front.runner.call(
        evidence_files.file_at, rt, looked.evidence, front.shell.data_dir
    ):
        return message(request, 404, "未找到", "该佐证材料的文件已不在数据目录中。", page="missing")
    disposition = f"attachment; filename*=UTF-8''{quote(looked.evidence.name)}"
    return web.FileResponse(path, headers={"Content-Disposition": disposition})


def score_period_name(rt: Runtime, now: dt.datetime) -> str:
    return period_name(current_period(rt, now))


def _day_time(request: web.Request, moment: dt.datetime) -> str:
    return fmt.day_time(moment, front_of(request).runtime.tz)


def add_routes(app: web.Application) -> None:
    from supervisor_bot.web.actions import post_action
    from supervisor_bot.web.plan_pages import by_plan, keyed_measure, one_plan

    app.router.add_get("/", by_plan(overview))
    app.router.add_get("/charts/trend.svg", one_plan(trend_chart))
    app.router.add_get("/units", by_plan(units))
    app.router.add_get("/units/{name}", by_plan(unit))
    app.router.add_get("/measures/{label}", by_plan(measure))
    app.router.add_get("/measures/{key}/{label}", keyed_measure)
    app.router.add_get("/overdue", by_plan(overdue))
    app.router.add_get("/interviews", by_plan(interviews))
    app.router.add_get("/downloads/{file}", one_plan(download))
    app.router.add_get("/evidence/{id}", evidence)
    app.router.add_post("/actions", post_action)
