"""The dashboard's refusals outside the access table: links replayed, forged or expired; sessions expired or
forged; forms forged; /web where it must not answer with a link. Each refused, nothing changed, nothing sent."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import TicketKind
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.views import web as texts
from supervisor_bot.web.app import COOKIE, SECURITY_HEADERS
from supervisor_bot.web.auth import LINK_SECONDS, SESSION_SECONDS
from tests.e2e.harness import BUREAU_CHAT, COORDINATOR, MONDAY, STRANGER
from tests.e2e.test_supervision import report
from tests.e2e.web_harness import LEADER, a_web_world, token_of

FIN = "市财政局"


def _bound(name: str) -> bool:
    return name == FIN


async def test_links_are_single_use_signed_and_short_lived(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        await web.world.tick(MONDAY)
        link = await web.link_for(COORDINATOR)
        first = web.client()
        async with first.post(web.url + "/login", data={"t": token_of(link)}, allow_redirects=False) as response:
            assert response.status == 302 and COOKIE in response.cookies
            cookie = response.cookies[COOKIE]
            assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) == SESSION_SECONDS
        replay = web.client()
        async with replay.get(link, allow_redirects=False) as response:
            assert response.status == 403 and COOKIE not in response.cookies
            assert "已使用、已过期或无法识别" in await response.text()
        async with replay.get(web.url + "/", allow_redirects=False) as response:
            assert response.status == 302 and response.headers["Location"] == "/welcome"

        forged = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
        other = web.client()
        async with other.get(forged, allow_redirects=False) as response:
            assert response.status == 403 and COOKIE not in response.cookies
        tampered = link.replace("login?t=", "login?t=x")
        async with other.get(tampered, allow_redirects=False) as response:
            assert response.status == 403

        late = await web.link_for(LEADER)
        web.wall.now += LINK_SECONDS + 1
        async with other.get(late, allow_redirects=False) as response:
            assert response.status == 403 and COOKIE not in response.cookies


async def test_sessions_expire_and_cannot_be_forged(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        await web.world.tick(MONDAY)
        client = await web.logged_in(COORDINATOR)
        async with client.get(web.url + "/units", allow_redirects=False) as response:
            assert response.status == 200
            for name, value in SECURITY_HEADERS.items():
                assert response.headers[name] == value
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
            assert "script-src" not in response.headers["Content-Security-Policy"]  # default-src 'none': no script
            assert response.headers["Referrer-Policy"] == "no-referrer"
        web.wall.now += SESSION_SECONDS + 1
        async with client.get(web.url + "/units", allow_redirects=False) as response:
            assert response.status == 302 and response.headers["Location"] == "/welcome"
        async with client.get(web.url + "/welcome") as response:
            assert "发送 /web" in await response.text()

        forged = web.client()
        forged.cookie_jar.update_cookies({COOKIE: "eyJ1Ijo5MDAwMDEsIm4iOiLnjovljY_osIMiLCJlIjo5OTk5OTk5OTk5fQ.AAAA"})
        async with forged.get(web.url + "/units", allow_redirects=False) as response:
            assert response.status == 302


async def test_a_forged_form_changes_nothing(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        world = web.world
        await world.tick(MONDAY)
        await report(world, 46, Status.DONE, "已出台政府购买服务指导目录")
        await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains="【办结核实】"))
        ticket = next(t for t in world.runtime.store.tickets() if t.kind is TicketKind.CLOSURE)
        client = await web.logged_in(COORDINATOR)
        mark = world.sandbox.mark()
        form = {"ticket": ticket.id, "measure": "46", "act": "close"}
        for csrf in ("", "forged", None):
            data = dict(form, csrf=csrf) if csrf is not None else form
            async with client.post(web.url + "/actions", data=data, allow_redirects=False) as response:
                assert response.status == 403 and "未做任何更改" in await response.text()
        other = await web.logged_in(LEADER)  # a leader's own token does not make a coordinator's form
        async with other.get(web.url + "/") as response:
            html = await response.text()
        leader_csrf = html.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        async with client.post(web.url + "/actions", data=dict(form, csrf=leader_csrf)) as response:
            assert response.status == 403
        for bad in ({"measure": "x"}, {"act": "delete"}, {"ticket": "../../"}):
            async with client.get(web.url + "/") as response:
                html = await response.text()
            csrf = html.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            async with client.post(web.url + "/actions", data=dict(form, csrf=csrf, **bad)) as response:
                assert response.status == 400
        assert [c.state.value for c in world.runtime.store.closures()] == ["pending"]
        assert [r.chat_id for r in world.sandbox.sent(after=mark)] == [LEADER]  # only the leader's login link


async def test_web_answers_with_a_link_only_in_private_and_only_to_someone(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        world = web.world
        in_group = await world.command(world.chats[FIN], world.liaisons[FIN], "web")
        assert in_group.text == texts.PRIVATE_ONLY and "login" not in (in_group.text or "")
        world.sandbox.create_private_chat(STRANGER)
        stranger = await world.command(STRANGER, STRANGER, "web")
        assert stranger.text == texts.NOBODY
        liaison = await web.link_for(world.liaisons[FIN])
        assert liaison.startswith(web.url + "/login?t=")
