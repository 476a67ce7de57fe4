"""The e2e world with the dashboard: the real bot on the sandbox, and its web front on 127.0.0.1 (a free port),
wired as composition/run.py wires it; people log in through /web in their private chat, as in a deployment."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp

from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.web.app import COOKIE
from supervisor_bot.web.front import WebFront, WebSettings
from tests.e2e.harness import COORDINATOR, World, a_world

if TYPE_CHECKING:
    from playwright.async_api import Page

LEADER = 900003
LINK = re.compile(r"http://\S+/login\?t=\S+")


@dataclass
class Wall:
    """The web front's wall clock, set by the test (sessions and links expire in real time, not the bot's)."""

    now: float = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class WebWorld:
    world: World
    front: WebFront
    wall: Wall
    clients: list[aiohttp.ClientSession] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.front.url

    async def link_for(self, user_id: int) -> str:
        """Send /web in the user's private chat; the link the bot answers with."""
        reply = await self.world.command(user_id, user_id, "web")
        found = LINK.search(reply.text or "")
        assert found is not None, reply.text
        return found.group(0)

    def client(self) -> aiohttp.ClientSession:
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.clients.append(session)
        return session

    async def logged_in(self, user_id: int) -> aiohttp.ClientSession:
        session = self.client()
        await self.enter(session, await self.link_for(user_id))
        return session

    async def enter(self, session: aiohttp.ClientSession, link: str) -> None:
        """What a person does: open the link (a page with one button), press 进入督办看板 (a POST)."""
        async with session.get(link, allow_redirects=False) as response:
            assert response.status == 200 and "进入督办看板" in await response.text()
            assert COOKIE not in response.cookies
        async with session.post(self.url + "/login", data={"t": token_of(link)}, allow_redirects=False) as response:
            assert response.status == 302 and response.headers["Location"] == "/"


def token_of(link: str) -> str:
    return link.partition("login?t=")[2]


async def enter_in_browser(page: Page, link: str) -> None:
    """In Chromium: the link opened, its one button pressed."""
    await page.goto(link)
    async with page.expect_navigation():
        await page.locator("button[data-login]").click()


@asynccontextmanager
async def a_web_world(tmp: Path, bind: Callable[[str], bool] = lambda _: True) -> AsyncIterator[WebWorld]:
    async with a_world(tmp, bind) as world, with_web(world) as web:
        yield web


@asynccontextmanager
async def with_web(world: World) -> AsyncIterator[WebWorld]:
    """The dashboard on a running world (any deployment's), with the leader and the liaisons able to ask /web."""
    assert world.front is not None and world.shell is not None
    sandbox = world.sandbox
    sandbox.add_user(LEADER, "李领导")
    sandbox.create_private_chat(LEADER)
    for user in world.liaisons.values():
        sandbox.create_private_chat(user)
    wall = Wall()
    front = WebFront(
        world.shell,
        WebSettings("127.0.0.1:0", "", frozenset({LEADER})),
        wall=wall,
    )
    world.front.offer_login_links(front)
    await front.start()
    web = WebWorld(world, front, wall)
    try:
        yield web
    finally:
        for client in web.clients:
            await client.close()
        await front.stop()


__all__ = ["COORDINATOR", "LEADER", "RecordFilter", "WebWorld", "a_web_world", "enter_in_browser", "with_web"]
