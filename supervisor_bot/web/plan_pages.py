"""The dashboard of a deployment of several plans: every page has a plan switch (`?plan=KEY`, default all). One
plan's page is the one-plan page on that plan; "all" puts each plan's page in a section of its own
(`<section data-plan="KEY">`), and a unit's page lists its items grouped by plan."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import unquote

from aiohttp import web

from supervisor_bot.web.app import BARE, PLAN, SELECTED, VIEWER, front_of, message, render

Handler = Callable[[web.Request], Awaitable[web.Response]]
ALL = "all"


def by_plan(handler: Handler) -> Handler:
    """`handler` on the plan chosen, or on each plan in turn for "all"."""

    async def page(request: web.Request) -> web.Response:
        front = front_of(request)
        if not front.several:
            return await handler(request)
        chosen = request.query.get("plan", ALL)
        request[SELECTED] = chosen
        if chosen != ALL:
            if front.plan(chosen) is None:
                return message(request, 404, "未找到", f"没有简称为“{chosen}”的方案。", page="missing")
            request[PLAN] = chosen
            return await handler(request)
        return await _every_plan(request, handler)

    return page


async def _every_plan(request: web.Request, handler: Handler) -> web.Response:
    sections: list[tuple[str, str, str]] = []
    missing: web.Response | None = None
    for rt in front_of(request).shell.runtimes:
        request[PLAN], request[BARE] = rt.plan, True
        response = await handler(request)
        if response.status == 404:  # no round yet in this plan, or nothing of that name in it
            missing = response
            continue
        if response.status != 200:  # a refusal is the answer, whichever plan it came from
            return response
        assert response.text is not None
        sections.append((rt.plan, rt.office.plan_title, response.text))
    request[PLAN], request[BARE] = "", False
    if not sections and missing is not None:
        return missing
    return render(request, "plans.html", sections=sections, viewer=request.get(VIEWER))


async def keyed_measure(request: web.Request) -> web.Response:
    """`/measures/<key>/<label>`: a measure of one plan."""
    from supervisor_bot.web.pages import measure

    key = unquote(request.match_info["key"])
    front = front_of(request)
    if front.plan(key) is None:
        return message(request, 404, "未找到", f"没有简称为“{key}”的方案。", page="missing")
    request[PLAN], request[SELECTED] = key, key
    return await measure(request)


def one_plan(handler: Handler) -> Handler:
    """A chart or a download of the plan `?plan=KEY` names (the first plan's without one)."""

    async def page(request: web.Request) -> web.Response:
        front = front_of(request)
        chosen = request.query.get("plan", ALL)
        request[SELECTED] = chosen
        request[PLAN] = chosen if front.plan(chosen) is not None else front.runtime.plan
        return await handler(request)

    return page


async def plans_ledger(request: web.Request) -> bytes:
    """The ledger of every plan as one workbook (汇总 and a sheet per plan), as the digest sends it."""
    import tempfile
    from pathlib import Path

    from supervisor_bot.exports.plans_ledger import write_plans_ledger
    from supervisor_bot.services import plan_digests

    front = front_of(request)
    now = front.now()
    combined = await front.runner.call(plan_digests.combined_digest, front.shell.runtimes, now, None, False)
    if combined is None:
        raise web.HTTPNotFound()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.xlsx"
        await asyncio.to_thread(write_plans_ledger, combined, path)
        return path.read_bytes()
