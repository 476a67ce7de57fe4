"""The dashboard's links and sessions, attacked: a link preview or a mail scanner opening the link (GET, HEAD), a
link replayed, expired or tampered, cookies forged (even with the signing key), a cookie used after logout, after
its holder's role was removed, after a liaison's unbinding, after a restore; the server's name in a header."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import aiohttp

from storage.backup import make_backup
from storage.restore import restore_backup
from supervisor_bot.web.app import COOKIE
from supervisor_bot.web.auth import LINK_SECONDS, SECRET_FILE, SESSIONS_FILE, Signer, load_secret
from tests.e2e.harness import COORDINATOR, MONDAY, eventually
from tests.e2e.web_harness import LEADER, WebWorld, a_web_world, token_of

FIN, EDU = "市财政局", "市教育局"


def _bound(name: str) -> bool:
    return name in (FIN, EDU)


async def _status(client: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with client.get(url, allow_redirects=False) as response:
        return response.status, response.headers.get("Location", "")


async def _post_link(web: WebWorld, client: aiohttp.ClientSession, link: str) -> int:
    async with client.post(f"{web.url}/login", data={"t": token_of(link)}, allow_redirects=False) as response:
        return response.status


async def test_opening_the_link_spends_nothing_only_the_button_does(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        await web.world.tick(MONDAY)
        mark = web.world.sandbox.mark()
        link = await web.link_for(COORDINATOR)
        [sent] = [r for r in web.world.sandbox.sent(after=mark) if link in (r.text or "")]
        assert sent.link_preview_options == {"is_disabled": True}  # Telegram fetches no preview of it
        preview = web.client()  # a preview all the same, a mail scanner, a proxy prefetching
        for _ in range(3):
            async with preview.get(link, allow_redirects=False) as response:
                assert response.status == 200 and COOKIE not in response.cookies
                page = await response.text()
            async with preview.head(link, allow_redirects=False) as response:
                assert response.status == 200 and COOKIE not in response.cookies
        assert page.count("<form") == 1 and 'method="post" action="/login"' in page and "进入督办看板" in page
        assert await _status(preview, web.url + "/") == (302, "/welcome")
        person = web.client()
        assert await _post_link(web, person, link) == 302  # the person who clicks gets the session
        assert await _status(person, web.url + "/units") == (200, "")
        assert await _post_link(web, web.client(), link) == 403  # replayed: spent by the button
        async with web.client().get(link, allow_redirects=False) as response:
            assert response.status == 403


async def test_expired_and_tampered_links_are_refused(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        await web.world.tick(MONDAY)
        link = await web.link_for(LEADER)
        token = token_of(link)
        payload, _, signature = token.partition(".")
        forged = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        forged["u"] = COORDINATOR  # the leader's link made a coordinator's
        raised = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
        for bad in (f"{raised}.{signature}", token[:-2] + "AA", "", "x" * 40):
            client = web.client()
            async with client.post(f"{web.url}/login", data={"t": bad}, allow_redirects=False) as response:
                assert response.status == 403 and COOKIE not in response.cookies
        web.wall.now += LINK_SECONDS + 1
        async with web.client().get(link, allow_redirects=False) as response:
            assert response.status == 403
        assert await _post_link(web, web.client(), link) == 403


def _stateless_cookie(secret: bytes, user: int, name: str, expires: float) -> str:
    """A cookie as the stateless sessions made them — what anyone holding the key could forge."""
    fields = json.dumps({"u": user, "n": name, "e": expires, "r": "x"}, separators=(",", ":")).encode()
    payload = base64.urlsafe_b64encode(fields).decode().rstrip("=")
    mac = hmac.new(secret, f"session|{payload}".encode(), hashlib.sha256).digest()
    return f"{payload}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


async def test_forged_cookies_are_refused_even_with_the_key(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        await web.world.tick(MONDAY)
        secret = load_secret(web.world.data_dir)
        for cookie in (
            _stateless_cookie(secret, COORDINATOR, "王协调", web.wall.now + 3600),
            _stateless_cookie(b"k" * 32, COORDINATOR, "王协调", web.wall.now + 3600),
            "garbage",
            "a.b",
        ):
            client = web.client()
            client.cookie_jar.update_cookies({COOKIE: cookie})
            assert await _status(client, web.url + "/units") == (302, "/welcome")


async def test_logout_ends_the_session_for_the_same_cookie(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        await web.world.tick(MONDAY)
        client = await web.logged_in(COORDINATOR)
        [cookie] = [c.value for c in client.cookie_jar if c.key == COOKIE]
        async with client.get(web.url + "/units") as response:
            html = await response.text()
        csrf = html.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        async with client.post(f"{web.url}/logout", data={"csrf": "forged"}, allow_redirects=False) as response:
            assert response.status == 403  # a forged logout (CSRF) ends nothing
        assert await _status(client, web.url + "/units") == (200, "")
        async with client.post(f"{web.url}/logout", data={"csrf": csrf}, allow_redirects=False) as response:
            assert response.status == 302
        replay = web.client()  # the cookie kept (copied off the machine, or the browser ignoring the deletion)
        replay.cookie_jar.update_cookies({COOKIE: cookie})
        assert await _status(replay, web.url + "/units") == (302, "/welcome")


async def test_a_role_removed_or_a_liaison_unbound_ends_the_session_at_once(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        world = web.world
        await world.tick(MONDAY)
        leader = await web.logged_in(LEADER)
        liaison = await web.logged_in(world.liaisons[FIN])
        assert await _status(leader, web.url + "/units") == (200, "")
        assert await _status(liaison, f"{web.url}/units/{FIN}") == (200, "")
        settings = web.front.settings
        web.front.settings = type(settings)(settings.listen, settings.public_url, frozenset())  # leader taken off
        assert await _status(leader, web.url + "/") == (302, "/welcome")
        web.front.settings = settings  # named again: the session ended stays ended (a new login is needed)
        assert await _status(leader, web.url + "/units") == (302, "/welcome")
        world.sandbox.remove_bot_from_chat(world.chats[FIN], world.liaisons[FIN])
        await eventually(lambda: not any(b.active for b in world.runtime.store.bindings() if b.respondent == FIN))
        assert await _status(liaison, web.url + "/") == (302, "/welcome")


async def test_a_restore_ends_every_session(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        await web.world.tick(MONDAY)
        client = await web.logged_in(COORDINATOR)
        [cookie] = [c.value for c in client.cookie_jar if c.key == COOKIE]
        data = web.world.data_dir
        assert (data / SECRET_FILE).exists() and (data / SESSIONS_FILE).exists()
        restored = tmp_path / "restored"
        restore_backup(make_backup(data, tmp_path / "copy.tar.gz").path, restored)
        assert not (restored / SECRET_FILE).exists() and not (restored / SESSIONS_FILE).exists()
        signer = Signer(load_secret(restored), web.wall.now, sessions_file=restored / SESSIONS_FILE)
        assert signer.session(cookie, web.wall.now) is None  # the bot started on the copy knows no session
        assert load_secret(restored) != load_secret(data)


async def test_no_response_names_the_server(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        await web.world.tick(MONDAY)
        client = await web.logged_in(COORDINATOR)
        for path in ("/", "/welcome", "/static/style.css", "/nothing-here", "/login?t=x", "/evidence/1"):
            async with client.get(web.url + path, allow_redirects=False) as response:
                assert "Server" not in response.headers, (path, response.headers.get("Server"))
