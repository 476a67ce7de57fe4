"""The sandbox over HTTP: the bot's long connection at /ws, inbound files at /media/<token>, and the control
API at /control/<action> (JSON in, JSON out) for tests and the demo."""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
import signal
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from aiohttp import WSMsgType, web

from supervisor_bot.wecom_sandbox.world import World

Action = Callable[["Sandbox", dict[str, Any]], Awaitable[dict[str, Any]]]


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


class Sandbox:
    def __init__(self, world: World | None = None) -> None:
        self.world = world or World()
        self.live: web.WebSocketResponse | None = None
        self.app = web.Application(client_max_size=64 * 1024 * 1024)
        self.app.router.add_get("/ws", self._connection)
        self.app.router.add_get("/media/{token}", self._media)
        self.app.router.add_post("/control/{action}", self._control)
        self._runner: web.AppRunner | None = None
        self.url = ""

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1) + "/ws"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._runner = web.AppRunner(self.app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.url = f"http://{host}:{self._runner.addresses[0][1]}"
        self.world.base_url = self.url
        return self.url

    async def stop(self) -> None:
        if self.live is not None:
            await self.live.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def push(self, frame: dict[str, Any]) -> None:
        if self.live is None or self.live.closed:
            raise web.HTTPConflict(text="the bot is not connected")
        await self.live.send_str(_dumps(frame))

    async def _connection(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=8 * 1024 * 1024)
        await ws.prepare(request)
        subscribed = False
        try:
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(message.data)
                cmd, body = str(frame.get("cmd", "")), frame.get("body") or {}
                req_id = str((frame.get("headers") or {}).get("req_id", ""))
                if cmd == "aibot_subscribe":
                    subscribed = await self._subscribe(ws, req_id, body)
                    if not subscribed:
                        break
                    continue
                if not subscribed:
                    break
                answer = self.world.answer(cmd, req_id, body)
                if answer is not None:
                    code, text, data = answer
                    await ws.send_str(
                        _dumps({"headers": {"req_id": req_id}, "errcode": code, "errmsg": text, "body": data})
                    )
        finally:
            if self.live is ws:
                self.live = None
        return ws

    async def _subscribe(self, ws: web.WebSocketResponse, req_id: str, body: dict[str, Any]) -> bool:
        code, text = self.world.subscribe(body)
        await ws.send_str(_dumps({"headers": {"req_id": req_id}, "errcode": code, "errmsg": text}))
        if code != 0:
            await ws.close()
            return False
        old, self.live = self.live, ws
        if old is not None and not old.closed:  # one live connection per bot: the newer takes over
            event = {"eventtype": "disconnected_event"}
            body = {"msgid": secrets.token_hex(8), "aibotid": self.world.bot_id, "msgtype": "event", "event": event}
            await old.send_str(_dumps(self.world.callback("aibot_event_callback", body)))
            await old.close()
        return True

    async def _media(self, request: web.Request) -> web.Response:
        found = self.world.media(request.match_info["token"])
        if found is None:
            raise web.HTTPForbidden(text="expired or unknown media URL")
        data, name = found
        disposition = f"attachment; filename*=UTF-8''{quote(name)}"
        return web.Response(body=data, headers={"Content-Disposition": disposition})

    async def _control(self, request: web.Request) -> web.Response:
        action = _ACTIONS.get(request.match_info["action"])
        if action is None:
            raise web.HTTPNotFound(text="no such control action")
        body = await request.json() if request.can_read_body else {}
        try:
            result = await action(self, body)
        except (KeyError, ValueError) as error:
            raise web.HTTPBadRequest(text=str(error)) from error
        return web.json_response(result, dumps=_dumps)


async def _member(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    box.world.members[str(body["userid"])] = str(body.get("name") or body["userid"])
    return {}


async def _group(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    chat = str(body["chatid"])
    box.world.groups[chat] = {str(m) for m in body.get("members", [])}
    if body.get("known"):  # someone there @-mentioned the bot before
        box.world.known_groups.add(chat)
    return {}


async def _say(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    user = str(body["userid"])
    frame = box.world.text(user, str(body.get("chatid") or user), str(body["text"]), bool(body.get("mention", True)))
    if frame is not None:
        await box.push(frame)
    return {"delivered": frame is not None}


async def _press(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    frame = box.world.press(str(body["userid"]), str(body["task_id"]), str(body["key"]))
    for _ in range(int(body.get("times", 1))):  # WeCom may deliver an event more than once
        await box.push(frame)
    return {"req_id": frame["headers"]["req_id"]}


async def _enter(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    await box.push(box.world.enter(str(body["userid"])))
    return {}


async def _file(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    user = str(body["userid"])
    data = base64.b64decode(str(body["base64"]))
    frame = box.world.file(user, str(body.get("chatid") or user), str(body["name"]), data, float(body.get("age", 0)))
    if frame is not None:
        await box.push(frame)
    return {"delivered": frame is not None}


async def _advance(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    box.world.offset += float(body["seconds"])
    return {}


async def _drop(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    if box.live is not None:
        await box.live.close()
    return {}


async def _fault(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    code = body.get("errcode")
    for _ in range(int(body.get("times", 1))):
        box.world.faults.append((str(body["cmd"]), None if code is None else int(code)))
    return {}


async def _silence(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    box.world.silent_pings = int(body["count"])
    return {}


async def _remove(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    box.world.removed_groups.add(str(body["chatid"]))
    return {}


async def _messages(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    chat, after = body.get("chatid"), int(body.get("after", 0))
    shown = [p.summary() for p in box.world.posted[after:] if chat is None or p.chat == chat]
    return {"messages": shown}


async def _state(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    w = box.world
    return {
        "connected": box.live is not None,
        "subscriptions": w.subscriptions,
        "refused_subscriptions": w.refused_subscriptions,
        "received": w.received,
        "chunks": w.uploads.chunk_sizes,
    }


_ACTIONS: dict[str, Action] = {
    "member": _member,
    "group": _group,
    "say": _say,
    "press": _press,
    "file": _file,
    "enter": _enter,
    "advance": _advance,
    "drop": _drop,
    "fault": _fault,
    "silence_pings": _silence,
    "remove_group": _remove,
    "messages": _messages,
    "state": _state,
}


async def serve(host: str, port: int) -> None:
    """A sandbox for rehearsing `main.py run` on WeCom, until Ctrl-C or SIGTERM."""
    box = Sandbox()
    await box.start(host, port)
    print(f"企业微信沙箱：ws_url = {box.ws_url}  bot_id = {box.world.bot_id}  WECOM_BOT_SECRET={box.world.secret}")
    print(f"控制接口：POST {box.url}/control/<action>（member、group、say、press、file、messages…）；按 Ctrl-C 停止")
    stopped = asyncio.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(number, stopped.set)
    await stopped.wait()
    await box.stop()
