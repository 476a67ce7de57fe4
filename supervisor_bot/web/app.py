"""The aiohttp application: security headers on every response, logging in and out, static files, the pages."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from supervisor_bot.exports.cjk_font import cjk_font_path
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.services.viewers import Access, Viewer, viewer
from supervisor_bot.views import fmt
from supervisor_bot.web.auth import SESSION_SECONDS, Session
from supervisor_bot.web.front import WebFront
from supervisor_bot.web.render import STATIC

FRONT = web.AppKey("front", WebFront)
PLAN = web.RequestKey("plan", str)  # the plan a page is about (several plans)
BARE = web.RequestKey("bare", bool)  # one plan's part of a page of every plan: no header, no footer
SELECTED = web.RequestKey("selected", str)  # the plan switch's choice: a key, or "all"
VIEWER = web.RequestKey("viewer", object)  # who is looking, for a page of every plan
COOKIE = "dbsession"
WELCOME = "/welcome"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
    response.headers.popall("Server", None)  # the server's name and version tell an attacker what to try
    if not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"


def front_of(request: web.Request) -> WebFront:
    return request.app[FRONT]


def session_of(request: web.Request) -> Session | None:
    front = front_of(request)
    return front.signer.session(request.cookies.get(COOKIE), front.wall())


def require_session(request: web.Request) -> Session:
    """The request's session; without a valid one, a redirect to the page that says how to log in."""
    found = session_of(request)
    if found is None:
        raise web.HTTPFound(WELCOME)
    return found


async def same_role(request: web.Request, session: Session, seen: Viewer) -> None:
    """A session outlives no change of role: a coordinator or leader taken off the settings, a liaison unbound
    (or bound to another unit) is logged out at this very request."""
    if seen.role != session.role:
        front_of(request).signer.end_session(session)
        response = web.HTTPFound(WELCOME)
        response.del_cookie(COOKIE, path="/")
        raise response


def plan_of(request: web.Request) -> Runtime:
    """The plan a page is about: `?plan=KEY` (set on the request by web.plan_pages), else the first."""
    front = front_of(request)
    return front.plan(request.get(PLAN, "")) or front.runtime


def render(request: web.Request, template: str, status: int = 200, **values: Any) -> web.Response:
    front = front_of(request)
    values.setdefault("viewer", None)
    now = fmt.local(front.now(), front.runtime.tz)
    values.setdefault("generated", f"{fmt.full_day(now.date())} {now.hour:02d}:{now.minute:02d}")
    bare = request.get(BARE, False) and template != "message.html"  # one plan's part of an all-plans page
    values.update(layout="_bare.html" if bare else "base.html", selected=request.get(SELECTED, ""))
    values.setdefault("path", request.path)
    html = front.environments[plan_of(request).plan].get_template(template).render(**values)
    return web.Response(text=html, content_type="text/html", charset="utf-8", status=status)


def message(
    request: web.Request, status: int, heading: str, *lines: str, page: str = "message", **values: Any
) -> web.Response:
    return render(request, "message.html", status=status, heading=heading, lines=lines, page_name=page, **values)


async def welcome(request: web.Request) -> web.Response:
    return message(
        request,
        200,
        "请先登录",
        "督办看板只对协调员、领导和各责任单位联络员开放。",
        "请在 Telegram 中与督办机器人私聊，发送 /web，机器人会回复一个登录链接（10分钟内有效，只能使用一次）。",
        page="welcome",
    )


def _link_refused(request: web.Request) -> web.Response:
    return message(
        request,
        403,
        "登录链接无效",
        "该链接已使用、已过期或无法识别，未登录。",
        "请在与督办机器人的私聊中重新发送 /web 获取新的登录链接。",
        page="login-refused",
    )


async def login_page(request: web.Request) -> web.Response:
    """Opening the link (a person, or a link preview fetching it) spends nothing: one button, which POSTs."""
    front = front_of(request)
    token = request.query.get("t", "")
    person = front.signer.check_link(token, front.wall())
    if person is None:
        return _link_refused(request)
    return render(request, "login.html", page_name="login", token=token, name=person.name)


async def login(request: web.Request) -> web.Response:
    """The button: the link is spent, the session recorded with the person's role as it is now."""
    front = front_of(request)
    form = await request.post()
    person = front.signer.redeem(str(form.get("t", "")), front.wall())
    if person is None:
        return _link_refused(request)
    seen = await front.runner.call(viewer, front.runtime, front.leaders, person.user_id, person.name)
    if seen.access is Access.NOBODY:
        return message(
            request, 403, "无权查看", "您不是协调员、领导或已登记的联络员，不能查看督办看板。", page="nobody"
        )
    response = web.HTTPFound("/")
    response.set_cookie(
        COOKIE,
        front.signer.start_session(person, seen.role, front.wall()),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=front.url.startswith("https://"),
        path="/",
    )
    raise response


async def logout(request: web.Request) -> web.Response:
    session = require_session(request)
    form = await request.post()
    front = front_of(request)
    if not front.signer.csrf_ok(session, str(form.get("csrf", ""))):
        return message(request, 403, "操作未完成", "表单已失效或来源不明，未做任何更改。", page="csrf-refused")
    front.signer.end_session(session)  # the same cookie, sent again, finds no session
    response = web.HTTPFound(WELCOME)
    response.del_cookie(COOKIE, path="/")
    raise response


async def no_icon(_: web.Request) -> web.Response:
    return web.Response(status=204)


async def cjk_font(_: web.Request) -> web.FileResponse:
    return web.FileResponse(cjk_font_path(), headers={"Content-Type": "font/otf"})


def build_app(front: WebFront) -> web.Application:
    from supervisor_bot.web import pages

    app = web.Application(client_max_size=64 * 1024)
    app[FRONT] = front
    app.on_response_prepare.append(_headers)
    app.router.add_get(WELCOME, welcome)
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/static/cjk.otf", cjk_font)
    app.router.add_get("/favicon.ico", no_icon)
    app.router.add_static("/static/", STATIC)
    pages.add_routes(app)
    return app
